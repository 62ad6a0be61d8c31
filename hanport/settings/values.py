"""Checks of single setting values, shared by the sections of `hanport.toml`.

Every check takes `(value, where)`, where `where` names the setting as the user wrote it (a key
in the file, an environment variable or a flag), and raises `ConfigError` with one sentence that
names it and says what would work.

Values from the file keep their TOML types and must have the right one: `retain = true`, not
`retain = "yes"`; `port = 8080`, not `port = "8080"`; `database = "hanport.db"`, not
`database = 5`. Environment variables and flags are text, so there `true/false/yes/no/on/off/1/0`
and digits are read as what they say. `where` tells them apart: a `FileKey` is a key in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from hanport.errors import HanError
from hanport.i18n.catalogue import Message

__all__ = [
    "ConfigError",
    "FileKey",
    "Raw",
    "SettingError",
    "boolean",
    "described",
    "environment",
    "existing_file",
    "number",
    "text_value",
    "whole",
]

Raw = dict[str, tuple[object, str]]
"""Setting name → (value as given, where it was given)."""

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class ConfigError(HanError):
    """A setting is missing, misspelt or has a value that cannot work."""


class SettingError(ConfigError):
    """A `ConfigError` about one value of hanport.toml or of a HANPORT_* variable."""


class FileKey(Message):
    """`where` of a value from hanport.toml (`meter.database in hanport.toml`): typed by TOML."""

    def __new__(cls, key: str, path: object) -> FileKey:
        return cast(FileKey, super().__new__(cls, "settings.where_file", key=key, path=path))


def environment(variable: str) -> Message:
    """`where` of a value from an environment variable."""
    return Message("settings.where_environment", variable=variable)


def described(what: str) -> Message:
    """What a setting is (`what` is a code of `[settings.what]`), in the sentence's language."""
    return Message(what)


def boolean(item: tuple[object, str] | None, default: bool) -> bool:
    if item is None:
        return default
    value, where = item
    if isinstance(value, bool):
        return value
    if isinstance(where, FileKey):
        raise SettingError("settings.toml_boolean", where=where, value=value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SettingError("settings.boolean", where=where, value=value)


def whole(item: tuple[object, str] | None, default: int, low: int, high: int, what: str) -> int:
    if item is None:
        return default
    value, where = item
    if isinstance(where, FileKey):
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        if not ok:
            raise SettingError(
                "settings.toml_whole", what=described(what), where=where, low=low, high=high
            )
        return int(str(value))
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise SettingError("settings.whole", what=described(what), where=where, low=low, high=high)
    return int(text)


def number(
    item: tuple[object, str] | None, default: float, low: float, high: float, what: str
) -> float:
    if item is None:
        return default
    value, where = item
    bounds = {"what": described(what), "where": where, "low": low, "high": high}
    if isinstance(where, FileKey):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingError("settings.toml_number", **bounds)
        result = float(value)
    else:
        try:
            result = float(str(value))
        except ValueError:
            result = float("nan")
    if not low <= result <= high:
        raise SettingError("settings.number", **bounds)
    return result


def text_value(item: tuple[object, str] | None, what: str) -> str | None:
    """A text setting (a path, a name, a URL); None when not given or empty."""
    if item is None or item[0] in ("", None):
        return None
    value, where = item
    if not isinstance(value, str):
        raise SettingError("settings.text", what=described(what), where=where, value=value)
    return value


def existing_file(item: tuple[object, str] | None, what: str) -> str | None:
    path = text_value(item, what)
    if path is None:
        return None
    if not Path(path).is_file():
        raise SettingError(
            "settings.no_file", what=described(what), path=path, where=item[1] if item else ""
        )
    return path
