"""Settings: `hanport.toml`, then `HANPORT_*` environment variables, then command-line flags.

    [meter]
    source = "/dev/ttyUSB0"          # or serial://…, tcp://host:port, file://…, sim://
    key = "…32 hex digits…"          # encryption key (GUEK), only for encrypted meters
    auth_key = "…32 hex digits…"     # authentication key (GAK)
    timezone = "Europe/Tallinn"      # for meters that send local time
    interval_s = 10                  # the meter's push interval (the watchdog waits 3 of them)
    database = "hanport.db"          # where every reading is kept (SQLite)
    retention_days = 0               # delete raw readings older than this (rollups stay); 0: never
    energy_scale = "auto"            # lists without scalers count energy in 1 or 10 Wh: "auto",
                                     #   1 or 10 (HANPORT_ENERGY_SCALE)

The `[web]` section is described in `hanport.web.settings`, `[mqtt]` in `hanport.mqtt.settings`;
their environment variables are HANPORT_WEB_<NAME> and HANPORT_MQTT_<NAME>.

Every problem is found at start and named with its setting and the fix, in one sentence. Values
in the file must have their TOML type (`retain = true`, `port = 8080`); environment variables and
flags are text (`HANPORT_MQTT_RETAIN=yes`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hanport.mqtt.settings import MQTT_KEYS, MqttSettings, mqtt_settings
from hanport.settings.values import (
    ConfigError,
    FileKey,
    Raw,
    SettingError,
    environment,
    number,
    text_value,
    whole,
)
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
    "energy_scale": "HANPORT_ENERGY_SCALE",
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
    energy_scale: int | None = None
    """Wh per count of energy registers in lists without scalers: 1 or 10; None: found out."""
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
        interval_s=number(
            raw.get("interval_s"), 10.0, 0.5, 3600, "meter's push interval in seconds"
        ),
        database=text_value(raw.get("database"), "database"),
        retention_days=whole(
            raw.get("retention_days"), 0, 0, 1_000_000, "retention in days (0: keep all)"
        ),
        energy_scale=_energy_scale(raw.get("energy_scale")),
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
    raw: Raw = {name: (value, FileKey(f"{section}.{name}", path)) for name, value in table.items()}
    for name in _SECTIONS[section]:
        variable = _ENV[name] if section == "meter" else f"HANPORT_{section}_{name}".upper()
        if variable in environ:
            raw[name] = (environ[variable], environment(variable))
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
            raise SettingError("settings_missing", path=path)
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise SettingError("settings_unreadable", path=path, error=error) from None
    except tomllib.TOMLDecodeError as error:
        raise SettingError("settings_not_toml", path=path, error=error) from None
    unknown = sorted(set(document) - set(_SECTIONS))
    if unknown:
        names = ", ".join(f"[{name}]" for name in _SECTIONS)
        raise SettingError("settings_section", section=unknown[0], path=path, names=names)
    for section, keys in _SECTIONS.items():
        table = document.get(section, {})
        if not isinstance(table, dict):
            raise SettingError("settings_table", section=section, path=path)
        extra = sorted(set(table) - set(keys))
        if extra:
            known = ", ".join(f"{section}.{name}" for name in keys)
            raise SettingError(
                "settings_unknown", name=f"{section}.{extra[0]}", path=path, known=known
            )
    return document


def _source(item: tuple[object, str] | None) -> str | None:
    value = text_value(item, "meter source")
    if value is None:
        return None
    from hanport.sources.transport import SourceError, parse_source

    try:
        parse_source(value)
    except SourceError as error:
        raise SettingError("setting_source", error=error, where=item[1] if item else "") from None
    return value


def _key(item: tuple[object, str] | None) -> bytes | None:
    value = text_value(item, "key")
    if value is None:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise SettingError("setting_key", where=item[1] if item else "")
    return key


def _timezone(item: tuple[object, str] | None) -> str:
    value = text_value(item, "time zone")
    if value is None:
        return Settings.timezone
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError("setting_zone", value=value, where=item[1] if item else "") from None
    return value


def _energy_scale(item: tuple[object, str] | None) -> int | None:
    if item is None:
        return None
    value, where = item
    if isinstance(where, FileKey):  # "auto", or the number 1 or 10
        text = str(value)
        ok = value == "auto" or (type(value) is int and value in (1, 10))
    else:
        text = str(value).strip().lower()
        ok = text in ("auto", "1", "10")
    if not ok:
        raise SettingError("setting_energy_scale", where=where, value=value)
    return None if text == "auto" else int(text)
