"""Settings: `hanport.toml`, then `HANPORT_*` environment variables, then command-line flags.

    [meter]
    source = "/dev/ttyUSB0"          # or serial://…, tcp://host:port, file://…, sim://
    key = "…32 hex digits…"          # encryption key (GUEK), only for encrypted meters
    auth_key = "…32 hex digits…"     # authentication key (GAK)
    timezone = "Europe/Tallinn"      # for meters that send local time
    interval_s = 10                  # the meter's push interval (the watchdog waits 3 of them)
    database = "hanport.db"          # where every reading is kept (SQLite)
    retention_days = 0               # delete raw readings older than this (rollups stay); 0: never

The `[web]` section is described in `hanport.web.settings`, `[mqtt]` in `hanport.mqtt.settings`;
their environment variables are HANPORT_WEB_<NAME> and HANPORT_MQTT_<NAME>.

Every problem is found at start and named with its setting and the fix, in one sentence.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hanport.mqtt.settings import MQTT_KEYS, MqttSettings, mqtt_settings
from hanport.setting_values import ConfigError, Raw
from hanport.web.settings import WEB_KEYS, WebSettings, web_settings

__all__ = ["ConfigError", "Settings", "load_settings"]

_ENV = {
    "database": "HANPORT_DATABASE",
    "retention_days": "HANPORT_RETENTION_DAYS",
    "source": "HANPORT_SOURCE",
    "key": "HANPORT_KEY",
    "auth_key": "HANPORT_AUTH_KEY",
    "timezone": "HANPORT_TIMEZONE",
    "interval_s": "HANPORT_INTERVAL_S",
}


_SECTIONS: dict[str, tuple[str, ...]] = {
    "meter": tuple(_ENV),
    "web": WEB_KEYS,
    "mqtt": MQTT_KEYS,
}

_FLAGS = {"timezone": "--tz", "web.enabled": "--no-web"}


@dataclass(frozen=True)
class Settings:
    source: str | None = None
    """None: no meter configured; `hanport run` then uses the simulator and says so."""
    key: bytes | None = None
    auth_key: bytes | None = None
    timezone: str = "Europe/Tallinn"
    interval_s: float = 10.0
    retention_days: int = 0
    """Raw readings older than this many days are deleted (rollups stay); 0 keeps them all."""
    database: str | None = None
    """SQLite file for the readings; None: hanport.db (hanport-simulator.db on the simulator)."""
    web: WebSettings = field(default_factory=WebSettings)
    mqtt: MqttSettings | None = None
    """None: no broker configured, nothing is published."""


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, str | None] | None = None,
) -> Settings:
    """Read the file (if any), then the environment, then non-None `overrides`; validate all.

    Overrides are named like the settings: `source` for [meter], `web.port` for the others.
    """
    environ = os.environ if environ is None else environ
    document = _read_file(path, environ)
    where = path or Path(environ.get("HANPORT_CONFIG", "hanport.toml"))
    sections = {
        name: _collect(name, document.get(name, {}), where, environ, overrides or {})
        for name in _SECTIONS
    }
    raw = sections["meter"]
    return Settings(
        source=_source(raw.get("source")),
        key=_key(raw.get("key")),
        auth_key=_key(raw.get("auth_key")),
        timezone=_timezone(raw.get("timezone")),
        interval_s=_interval(raw.get("interval_s")),
        database=str(raw["database"][0]) if raw.get("database") else None,
        retention_days=_days(raw.get("retention_days")),
        web=web_settings(sections["web"]),
        mqtt=mqtt_settings(sections["mqtt"]),
    )


def _collect(
    section: str,
    table: Mapping[str, object],
    path: Path,
    environ: Mapping[str, str],
    overrides: Mapping[str, str | None],
) -> Raw:
    raw: Raw = {name: (value, f"{section}.{name} in {path}") for name, value in table.items()}
    for name in _SECTIONS[section]:
        variable = _ENV[name] if section == "meter" else f"HANPORT_{section}_{name}".upper()
        if variable in environ:
            raw[name] = (environ[variable], f"the environment variable {variable}")
        key = name if section == "meter" else f"{section}.{name}"
        value = overrides.get(key)
        if value is not None:
            raw[name] = (value, _FLAGS.get(key, f"--{name.replace('_', '-')}"))
    return raw


def _read_file(path: Path | None, environ: Mapping[str, str]) -> dict[str, dict[str, object]]:
    explicit = path is not None or "HANPORT_CONFIG" in environ
    path = path or Path(environ.get("HANPORT_CONFIG", "hanport.toml"))
    if not path.exists():
        if explicit:
            raise ConfigError(
                f"The settings file {path} does not exist; create it or fix the path."
            )
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"Cannot read the settings file {path}: {error}.") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"The settings file {path} is not valid TOML: {error}.") from None
    unknown = sorted(set(document) - set(_SECTIONS))
    if unknown:
        names = ", ".join(f"[{name}]" for name in _SECTIONS)
        raise ConfigError(f"Unknown section [{unknown[0]}] in {path}; the sections are {names}.")
    for section, keys in _SECTIONS.items():
        table = document.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"In {path}, [{section}] must be a table of settings.")
        extra = sorted(set(table) - set(keys))
        if extra:
            known = ", ".join(f"{section}.{name}" for name in keys)
            raise ConfigError(
                f"Unknown setting {section}.{extra[0]} in {path}; the settings are {known}."
            )
    return document


def _source(item: tuple[object, str] | None) -> str | None:
    if item is None or item[0] in ("", None):
        return None
    value, where = item
    from hanport.transport import SourceError, parse_source

    try:
        parse_source(str(value))
    except SourceError as error:
        raise ConfigError(f"{error} (from {where})") from None
    return str(value)


def _key(item: tuple[object, str] | None) -> bytes | None:
    if item is None or item[0] in ("", None):
        return None
    value, where = item
    try:
        key = bytes.fromhex(str(value))
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ConfigError(
            f"The key from {where} must be 32 hexadecimal digits (16 bytes), as your grid "
            "operator gives it."
        )
    return key


def _timezone(item: tuple[object, str] | None) -> str:
    if item is None:
        return Settings.timezone
    value, where = item
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"Unknown time zone {value!r} (from {where}); use a name such as Europe/Tallinn."
        ) from None
    return str(value)


def _days(item: tuple[object, str] | None) -> int:
    if item is None:
        return 0
    value, where = item
    text = str(value)
    if not text.isdigit():
        raise ConfigError(
            f"The retention from {where} must be a whole number of days (0: keep all)."
        )
    return int(text)


def _interval(item: tuple[object, str] | None) -> float:
    if item is None:
        return Settings.interval_s
    value, where = item
    try:
        interval = float(str(value))
    except ValueError:
        interval = 0.0
    if not 0.5 <= interval <= 3600:
        raise ConfigError(
            f"The interval from {where} must be the meter's push interval in seconds (0.5 to 3600)."
        )
    return interval
