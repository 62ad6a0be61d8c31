"""`hanport mqtt test` against a real Mosquitto: exit 0 and a preview, or 2 and one sentence."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from mqtt_broker import (  # noqa: F401  (fixtures)
    Broker,
    Subscriber,
    auth_broker_fixture,
    broker_fixture,
    free_port,
    make_tls,
    subscriber_fixture,
    tls_broker_fixture,
)

from hanport.cli.main import main
from hanport.sim.home import serial_number

METER = serial_number(1)  # the simulated meter the preview comes from


@pytest.fixture(autouse=True)
def _no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("HANPORT_CONFIG", "HANPORT_MQTT_URL", "HANPORT_MQTT_CA_FILE", "HANPORT_LANG"):
        monkeypatch.delenv(name, raising=False)


def one_sentence(capsys: pytest.CaptureFixture[str]) -> str:
    """The one sentence on stderr; stdout shows what would be published all the same."""
    captured = capsys.readouterr()
    assert "\nhanport/status [retained]\nonline\n" in captured.out
    assert "/state\n{" in captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_success_shows_what_would_be_published_and_publishes_nothing(
    broker: Broker, subscriber: Subscriber, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "mqtt", "test", "--url", broker.url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Connected to the MQTT broker {broker.url}.\n")
    assert "\nhanport/status [retained]\nonline\n" in out
    discovery = out.split(f"homeassistant/device/hanport_{METER}/config [retained]\n", 1)[1]
    config = json.loads(discovery.split("\n\n", 1)[0])
    assert config["cmps"]["energy_import_wh"]["unit_of_measurement"] == "Wh"
    state = out.split(f"\nhanport/{METER}/state\n", 1)[1].splitlines()[0]
    assert json.loads(state)["meter_model"] == "LGF5E360"
    assert not [m for m in subscriber.messages if not m.topic.startswith("$")]


def test_settings_file_and_per_field_topics(
    broker: Broker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "mine.toml"
    config.write_text(
        f'[mqtt]\nurl = "{broker.url}"\nprefix = "home/meter"\nper_field_topics = true\n'
    )
    assert main(["mqtt", "test", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert f"\nhome/meter/{METER}/voltage_l1_v\n" in out
    assert "\nhome/meter/status [retained]\n" in out


def test_nothing_configured(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "mqtt", "test"]) == 2
    assert "No MQTT broker is configured; set mqtt.url" in one_sentence(capsys)


def test_nothing_listening(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"mqtt://127.0.0.1:{free_port()}"
    assert main(["--lang", "en", "mqtt", "test", "--url", url]) == 2
    assert one_sentence(capsys) == (
        f"hanport: Nothing accepts connections at {url} (--url); is the MQTT broker running, "
        "and is the port right?"
    )


def test_a_broker_from_the_settings_is_named_by_its_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"mqtt://127.0.0.1:{free_port()}"
    config = tmp_path / "hanport.toml"
    config.write_text(f'[mqtt]\nurl = "{url}"\n')
    assert main(["--lang", "en", "mqtt", "test", "--config", str(config)]) == 2
    assert f"Nothing accepts connections at {url} (mqtt.url);" in one_sentence(capsys)


def test_a_wrong_password_in_english_and_estonian(
    auth_broker: Broker, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = auth_broker.url.replace("s3cret", "nope")
    assert main(["--lang", "en", "mqtt", "test", "--url", wrong]) == 2
    sentence = one_sentence(capsys)
    assert "refused the user name or password (--url)" in sentence
    assert "nope" not in sentence
    assert main(["--lang", "et", "mqtt", "test", "--url", wrong]) == 2
    assert "ei võtnud kasutajanime või parooli vastu (--url)" in one_sentence(capsys)
    anonymous = f"mqtt://127.0.0.1:{auth_broker.port}"
    assert main(["--lang", "en", "mqtt", "test", "--url", anonymous]) == 2
    assert "requires a user name and password" in one_sentence(capsys)
    assert main(["mqtt", "test", "--url", auth_broker.url]) == 0


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_tls_with_the_right_and_a_wrong_ca(
    tls_broker: Broker, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tls_broker.tls is not None
    monkeypatch.setenv("HANPORT_MQTT_CA_FILE", str(tls_broker.tls.ca_file))
    assert main(["mqtt", "test", "--url", tls_broker.url]) == 0
    assert capsys.readouterr().out.startswith("Connected to the MQTT broker mqtts://localhost:")
    other = make_tls(tls_broker.directory / "other", "other")
    monkeypatch.setenv("HANPORT_MQTT_CA_FILE", str(other.ca_file))
    assert main(["--lang", "en", "mqtt", "test", "--url", tls_broker.url]) == 2
    sentence = one_sentence(capsys)
    assert "TLS certificate could not be verified with the CA in" in sentence
    assert "mqtt.ca_file" in sentence
    gc.collect()  # paho leaves the failed TLS socket to the collector: here, not in a later test


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_tls_to_a_plain_port_says_so(broker: Broker, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"mqtts://127.0.0.1:{broker.port}"
    assert main(["--lang", "en", "mqtt", "test", "--url", url]) == 2
    sentence = one_sentence(capsys)
    assert sentence.startswith(f"hanport: The TLS connection to the MQTT broker {url} failed (")
    assert "check that --url uses mqtts:// with the broker's TLS port" in sentence
    gc.collect()
