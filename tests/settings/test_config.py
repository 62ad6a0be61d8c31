"""Settings from hanport.toml, HANPORT_* variables and flags; every mistake named with its fix."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from hanport.cli.main import main
from hanport.mqtt.settings import MQTT
from hanport.plugins import load_settings
from hanport.settings.loader import ConfigError, Settings
from hanport.web.settings import WEB, WebSettings

KEY = "000102030405060708090A0B0C0D0E0F"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hanport.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_nothing_configured_means_the_simulator(tmp_path: Path) -> None:
    settings = load_settings(None, environ={"HANPORT_CONFIG_UNUSED": "1"})
    assert settings == Settings(sections=settings.sections)
    assert (settings.get(WEB), settings.get(MQTT)) == (WebSettings(), None)
    assert settings.source is None


def test_file_then_environment_then_flags(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f'[meter]\nsource = "/dev/ttyUSB0"\nkey = "{KEY}"\ntimezone = "Europe/Riga"\n'
        "interval_s = 5\n",
    )
    from_file = load_settings(path, environ={})
    expected = Settings("/dev/ttyUSB0", bytes(range(16)), None, "Europe/Riga", 5.0)
    assert from_file == replace(expected, sections=from_file.sections)
    environ = {"HANPORT_SOURCE": "tcp://192.0.2.1:8888", "HANPORT_INTERVAL_S": "2.5"}
    from_env = load_settings(path, environ=environ)
    assert from_env.source == "tcp://192.0.2.1:8888"
    assert from_env.interval_s == 2.5
    assert from_env.timezone == "Europe/Riga"
    flags = load_settings(path, environ=environ, overrides={"source": "sim://", "key": None})
    assert flags.source == "sim://"
    assert flags.key == bytes(range(16))


def test_the_file_can_be_named_by_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, '[meter]\nsource = "sim://?seed=4"\n')
    assert load_settings(environ={"HANPORT_CONFIG": str(path)}).source == "sim://?seed=4"
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(environ={"HANPORT_CONFIG": str(tmp_path / "nope.toml")})


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[meter]\nsorce = "/dev/ttyUSB0"\n', "Unknown setting meter.sorce"),
        ('[mqtt]\nhost = "x"\n', "Unknown setting mqtt.host"),
        ('[meter]\nkey = "1234"\n', "key from meter.key in"),
        ('[meter]\nsource = "ftp://x"\n', "Unknown source 'ftp://x'"),
        ('[meter]\ntimezone = "Mars/Base"\n', "Unknown time zone 'Mars/Base'"),
        ("[meter]\ninterval_s = 0\n", "push interval in seconds"),
        ("[meter\n", "not valid TOML"),
    ],
)
def test_mistakes_in_the_file_are_named(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        load_settings(write(tmp_path, text), environ={})


def test_a_bad_environment_variable_is_named() -> None:
    with pytest.raises(ConfigError, match="HANPORT_AUTH_KEY"):
        load_settings(environ={"HANPORT_AUTH_KEY": "zz"})


def test_run_reports_a_bad_setting_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, '[meter]\nkey = "nothex"\n')
    assert main(["run", "--config", str(path), "--count", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("hanport: The key from meter.key in")
    assert err.count("\n") == 0


def test_run_uses_the_configured_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, '[meter]\nsource = "sim://?speed=max&seed=2"\n')
    assert main(["run", "--config", str(path), "--count", "2"]) == 0
    out = capsys.readouterr().out
    assert "No meter configured" not in out
    assert len(out.splitlines()) == 3  # the app's address, then two readings
    no_app = main(["run", "--config", str(path), "--count", "2", "--no-web"])
    assert no_app == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_retention_days(tmp_path: Path) -> None:
    assert (
        load_settings(write(tmp_path, "[meter]\nretention_days = 30\n"), environ={}).retention_days
        == 30
    )
    assert load_settings(None, environ={"HANPORT_RETENTION_DAYS": "0"}).retention_days == 0
    with pytest.raises(
        ConfigError, match=r"retention in days \(0: keep all\) from the environment"
    ):
        load_settings(None, environ={"HANPORT_RETENTION_DAYS": "a week"})


def test_web_and_mqtt_sections_from_file_environment_and_flags(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[web]\nport = 9000\nfuse_a = 32\n[mqtt]\nurl = "mqtt://ha:s%40cret@192.0.2.5"\n'
        'prefix = "home/meter/"\nqos = 1\n',
    )
    settings = load_settings(path, environ={"HANPORT_WEB_LISTEN": "0.0.0.0"})
    web, mqtt = settings.get(WEB), settings.get(MQTT)
    assert (web.port, web.listen, settings.site.fuse_a) == (9000, "0.0.0.0", Decimal(32))
    assert [note.code for note in settings.notes] == ["site.fuse_moved"]  # [web] fuse_a moved
    assert web.url == "http://0.0.0.0:9000"
    assert mqtt is not None
    assert (mqtt.host, mqtt.port, mqtt.tls) == ("192.0.2.5", 1883, False)
    assert (mqtt.username, mqtt.password) == ("ha", "s@cret")
    assert (mqtt.prefix, mqtt.qos) == ("home/meter", 1)
    assert "s@cret" not in repr(mqtt)
    flags = load_settings(path, environ={}, overrides={"web.port": "8081", "web.enabled": "no"})
    assert (flags.get(WEB).port, flags.get(WEB).enabled) == (8081, False)
    assert load_settings(None, environ={}).get(MQTT) is None
    secure = load_settings(None, environ={"HANPORT_MQTT_URL": "mqtts://broker.lan"}).get(MQTT)
    assert secure is not None
    assert (secure.port, secure.tls) == (8883, True)


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        (
            {"HANPORT_WEB_PORT": "80000"},
            "port \\(0: any free port\\) from the environment variable",
        ),
        ({"HANPORT_WEB_LISTEN": "my-pc"}, "listen address 'my-pc'"),
        ({"HANPORT_WEB_TLS_CERT": "/no/cert.pem"}, "TLS certificate /no/cert.pem"),
        ({"HANPORT_WEB_ENABLED": "maybe"}, "HANPORT_WEB_ENABLED must be true or false"),
        ({"HANPORT_MQTT_URL": "http://broker"}, "must look like mqtt://"),
        ({"HANPORT_MQTT_URL": "mqtt://b", "HANPORT_MQTT_QOS": "3"}, "MQTT QoS"),
        ({"HANPORT_MQTT_URL": "mqtt://b", "HANPORT_MQTT_PREFIX": "a/#"}, "without #"),
    ],
)
def test_mistakes_in_web_and_mqtt_settings_are_named(environ: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load_settings(None, environ=environ)


def test_an_unknown_section_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"Unknown section \[hass\]"):
        load_settings(write(tmp_path, "[hass]\nx = 1\n"), environ={})


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[meter]\ndatabase = 5\n", "The database from meter.database in"),
        ('[mqtt]\nurl = "mqtt://b"\nretain = "yes"\n', "true or false without quotes"),
        ('[web]\nenabled = "no"\n', "setting web.enabled in"),
        ('[web]\nport = "8080"\n', "whole number from 0 to 65535, without quotes"),
        ("[web]\nport = 80.5\n", "whole number from 0 to 65535, without quotes"),
        ("[web]\nport = true\n", "whole number from 0 to 65535, without quotes"),
        ('[meter]\ninterval_s = "5"\n', "number from 0.5 to 3600, without quotes"),
        ("[meter]\nsource = 7\n", "must be text in quotes, not 7"),
        ("[meter]\ntimezone = 2\n", "must be text in quotes, not 2"),
        ('[meter]\nenergy_scale = "10"\n', 'must be "auto", 1 or 10'),
        ("[meter]\nenergy_scale = 5\n", 'must be "auto", 1 or 10'),
        ("[meter]\nenergy_scale = true\n", 'must be "auto", 1 or 10'),
        ('[meter]\nsource = "tcp://192.0.2.1:99999"\n', "must be a number from 1 to 65535"),
    ],
)
def test_values_in_the_file_must_have_their_toml_type(
    tmp_path: Path, text: str, words: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_settings(write(tmp_path, text), environ={})


def test_a_number_as_the_database_creates_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HANPORT_DATABASE")
    path = write(tmp_path, "[meter]\ndatabase = 5\n")
    assert main(["--lang", "en", "run", "--config", str(path), "--count", "1", "--no-web"]) == 2
    assert "must be text in quotes, not 5" in capsys.readouterr().err
    assert not (tmp_path / "5").exists()


@pytest.mark.parametrize("word", ["yes", "true", "1", "on", "YES"])
def test_the_environment_and_flags_are_text(word: str) -> None:
    environ = {"HANPORT_MQTT_URL": "mqtt://b", "HANPORT_MQTT_RETAIN": word}
    mqtt = load_settings(None, environ=environ).get(MQTT)
    assert mqtt is not None
    assert mqtt.retain is True
    assert load_settings(None, environ={"HANPORT_WEB_PORT": "8081"}).get(WEB).port == 8081
    assert load_settings(None, environ={}, overrides={"web.port": "9001"}).get(WEB).port == 9001


def test_real_toml_values_are_taken(tmp_path: Path) -> None:
    text = '[meter]\ninterval_s = 2.5\ndatabase = "my.db"\n[web]\nenabled = false\nport = 9000\n'
    settings = load_settings(write(tmp_path, text), environ={})
    assert (settings.interval_s, settings.database) == (2.5, "my.db")
    assert (settings.get(WEB).enabled, settings.get(WEB).port) == (False, 9000)


@pytest.mark.parametrize(
    ("text", "environ", "scale"),
    [
        ("", {}, None),
        ('[meter]\nenergy_scale = "auto"\n', {}, None),
        ("[meter]\nenergy_scale = 1\n", {}, 1),
        ("[meter]\nenergy_scale = 10\n", {}, 10),
        ("", {"HANPORT_ENERGY_SCALE": "10"}, 10),
        ("[meter]\nenergy_scale = 10\n", {"HANPORT_ENERGY_SCALE": "Auto"}, None),
    ],
)
def test_the_energy_scale(
    tmp_path: Path, text: str, environ: dict[str, str], scale: int | None
) -> None:
    assert load_settings(write(tmp_path, text), environ=environ).energy_scale == scale


def test_a_wrong_energy_scale_in_the_environment_is_named() -> None:
    with pytest.raises(ConfigError, match='HANPORT_ENERGY_SCALE must be "auto", 1 or 10'):
        load_settings(None, environ={"HANPORT_ENERGY_SCALE": "100"})


def test_setting_mistakes_are_in_estonian_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANPORT_WEB_PORT", "80000")
    assert main(["--lang", "et", "run", "--count", "1"]) == 2
    assert capsys.readouterr().err == (
        "hanport: Seade keskkonnamuutujas HANPORT_WEB_PORT (port; 0: mis tahes vaba port) peab "
        "olema täisarv 0 kuni 65535.\n"
    )
    monkeypatch.delenv("HANPORT_WEB_PORT")
    path = write(tmp_path, '[mqtt]\nretain = "yes"\nurl = "mqtt://b"\n')
    assert main(["--lang", "et", "run", "--config", str(path), "--count", "1"]) == 2
    err = capsys.readouterr().err
    assert f"Seade mqtt.retain failis {path} peab olema true või false ilma jutumärkideta" in err
    path = write(tmp_path, '[meter]\nsource = "ftp://x"\n')
    assert main(["--lang", "et", "run", "--config", str(path), "--count", "1"]) == 2
    assert "Tundmatu allikas 'ftp://x'; kasuta /dev/ttyUSB0" in capsys.readouterr().err
