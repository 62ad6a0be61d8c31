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

`[site]` (the main fuse, phases, nominal voltage) is described in `hanport.settings.site`; every
other section belongs to a subsystem and is declared there as a `Section` (`hanport.plugins`
lists them); their environment variables are HANPORT_<SECTION>_<KEY>.

Every problem is found at start and named with its setting and the fix, in one sentence. Values
in the file must have their TOML type (`retain = true`, `port = 8080`); environment variables and
flags are text (`HANPORT_MQTT_RETAIN=yes`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from hanport.codec.cipher import key_bytes
from hanport.errors import HanError
from hanport.grid.site import Site
from hanport.settings.section import Section
from hanport.settings.site import SITE
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

__all__ = ["METER", "ConfigError", "Settings", "load_settings"]

T = TypeVar("T")

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
_OVERRIDE_FLAGS = {"timezone": "--tz", "web.enabled": "--no-web"}


@dataclass(frozen=True)
class Settings:
    """The `[meter]` values, the `[site]` and every other section's value by name (`get`)."""

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
    site: Site = field(default_factory=Site)
    sections: Mapping[str, object] = field(default_factory=dict)
    notes: tuple[HanError, ...] = ()
    """What the user should hear once at start (a setting that moved, say)."""

    def get(self, section: Section[T]) -> T:
        """The value of `section` (its defaults when it was not read)."""
        if section.name in self.sections:
            return cast(T, self.sections[section.name])
        return section.parse({}, {"meter": self, "site": self.site})


def _meter(raw: Raw, before: Mapping[str, object]) -> dict[str, object]:
    return {
        "source": _source(raw.get("source")),
        "key": _key(raw.get("key")),
        "auth_key": _key(raw.get("auth_key")),
        "timezone": _timezone(raw.get("timezone")),
        "interval_s": number(raw.get("interval_s"), 10.0, 0.5, 3600, "settings.what.interval"),
        "database": text_value(raw.get("database"), "settings.what.database"),
        "retention_days": whole(
            raw.get("retention_days"), 0, 0, 1_000_000, "settings.what.retention"
        ),
        "energy_scale": _energy_scale(raw.get("energy_scale")),
    }


METER: Section[dict[str, object]] = Section("meter", tuple(_ENV), _meter, environment=_ENV)


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, str | None] | None = None,
    sections: Sequence[Section[Any]] = (),
) -> Settings:
    """Read the file (if any), then the environment, then non-None `overrides`; validate all.

    `sections` are the subsystems' sections (`hanport.plugins.SECTIONS`); `[meter]` and
    `[site]` are always read first. Overrides are named like the settings: `source` for
    [meter], `web.port` for the others.
    """
    environ = os.environ if environ is None else environ
    every: tuple[Section[Any], ...] = (METER, SITE, *sections)
    document = _read_file(path, environ, every)
    where = path or Path(environ.get("HANPORT_CONFIG", "hanport.toml"))
    raws = {
        section.name: _collect(section, document.get(section.name, {}), where, environ, overrides)
        for section in every
    }
    notes = _moved_fuse(raws)
    values: dict[str, object] = {}
    for section in every:
        values[section.name] = section.parse(raws[section.name], values)
    meter = cast(dict[str, Any], values.pop("meter"))
    site = cast(Site, values.pop("site"))
    return Settings(**meter, site=site, sections=values, notes=notes)


def _moved_fuse(raws: dict[str, Raw]) -> tuple[HanError, ...]:
    """`[web] fuse_a` (before [site] existed) still sets the main fuse, with a note."""
    old = raws.get("web", {}).pop("fuse_a", None)
    if old is None:
        return ()
    if "fuse_a" not in raws["site"]:
        raws["site"]["fuse_a"] = old
    return (HanError("site.fuse_moved", where=old[1]),)


def _collect(
    section: Section[Any],
    table: Mapping[str, object],
    path: Path,
    environ: Mapping[str, str],
    overrides: Mapping[str, str | None] | None,
) -> Raw:
    raw: Raw = {
        name: (value, FileKey(f"{section.name}.{name}", path)) for name, value in table.items()
    }
    for name in section.keys:
        if name in section.tables:
            continue  # arrays of tables come from the file only
        variable = section.variable(name)
        if variable in environ:
            raw[name] = (environ[variable], environment(variable))
        key = name if section is METER else f"{section.name}.{name}"
        value = (overrides or {}).get(key)
        if value is not None:
            raw[name] = (value, _OVERRIDE_FLAGS.get(key, section.flag(name)))
    return raw


def _read_file(
    path: Path | None, environ: Mapping[str, str], sections: Sequence[Section[Any]]
) -> dict[str, dict[str, object]]:
    explicit = path is not None or "HANPORT_CONFIG" in environ
    path = path or Path(environ.get("HANPORT_CONFIG", "hanport.toml"))
    if not path.exists():
        if explicit:
            raise SettingError("settings.file_missing", path=path)
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise SettingError("settings.file_unreadable", path=path, error=error) from None
    except tomllib.TOMLDecodeError as error:
        raise SettingError("settings.file_not_toml", path=path, error=error) from None
    known = {section.name: section.keys for section in sections}
    unknown = sorted(set(document) - set(known))
    if unknown:
        names = ", ".join(f"[{name}]" for name in known)
        raise SettingError("settings.unknown_section", section=unknown[0], path=path, names=names)
    for section, keys in known.items():
        table = document.get(section, {})
        if not isinstance(table, dict):
            raise SettingError("settings.section_not_table", section=section, path=path)
        extra = sorted(set(table) - set(keys))
        if extra:
            names = ", ".join(f"{section}.{name}" for name in keys)
            raise SettingError(
                "settings.unknown_setting", name=f"{section}.{extra[0]}", path=path, known=names
            )
    return document


def _source(item: tuple[object, str] | None) -> str | None:
    value = text_value(item, "settings.what.source")
    if value is None:
        return None
    from hanport.sources.transport import SourceError, parse_source

    try:
        parse_source(value)
    except SourceError as error:
        raise SettingError("settings.source", error=error, where=item[1] if item else "") from None
    return value


def _key(item: tuple[object, str] | None) -> bytes | None:
    value = text_value(item, "settings.what.key")
    if value is None:
        return None
    key = key_bytes(value)
    if key is None:
        raise SettingError("settings.key", where=item[1] if item else "")
    return key


def _timezone(item: tuple[object, str] | None) -> str:
    value = text_value(item, "settings.what.timezone")
    if value is None:
        return Settings.timezone
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError("settings.zone", value=value, where=item[1] if item else "") from None
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
        raise SettingError("settings.energy_scale", where=where, value=value)
    return None if text == "auto" else int(text)
