"""Settings from hanport.toml, HANPORT_* variables and flags; every mistake named with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from hanport.cli import main
from hanport.config import ConfigError, Settings, load_settings

KEY = "000102030405060708090A0B0C0D0E0F"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hanport.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_nothing_configured_means_the_simulator(tmp_path: Path) -> None:
    assert load_settings(None, environ={"HANPORT_CONFIG_UNUSED": "1"}) == Settings()


def test_file_then_environment_then_flags(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f'[meter]\nsource = "/dev/ttyUSB0"\nkey = "{KEY}"\ntimezone = "Europe/Riga"\n'
        "interval_s = 5\n",
    )
    from_file = load_settings(path, environ={})
    assert from_file == Settings("/dev/ttyUSB0", bytes(range(16)), None, "Europe/Riga", 5.0)
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
    assert (settings.web.port, settings.web.fuse_a, settings.web.listen) == (9000, 32, "0.0.0.0")
    assert settings.web.url == "http://0.0.0.0:9000"
    assert settings.mqtt is not None
    assert (settings.mqtt.host, settings.mqtt.port, settings.mqtt.tls) == ("192.0.2.5", 1883, False)
    assert (settings.mqtt.username, settings.mqtt.password) == ("ha", "s@cret")
    assert (settings.mqtt.prefix, settings.mqtt.qos) == ("home/meter", 1)
    assert "s@cret" not in repr(settings.mqtt)
    flags = load_settings(path, environ={}, overrides={"web.port": "8081", "web.enabled": "no"})
    assert (flags.web.port, flags.web.enabled) == (8081, False)
    assert load_settings(None, environ={}).mqtt is None
    secure = load_settings(None, environ={"HANPORT_MQTT_URL": "mqtts://broker.lan"})
    assert secure.mqtt is not None
    assert (secure.mqtt.port, secure.mqtt.tls) == (8883, True)


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
