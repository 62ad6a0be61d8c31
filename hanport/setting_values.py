"""Checks of single setting values, shared by the sections of `hanport.toml`.

Every check takes `(value, where)`, where `where` names the setting as the user wrote it (a key
in the file, an environment variable or a flag), and raises `ConfigError` with one sentence that
names it and says what would work.
"""

from __future__ import annotations

from pathlib import Path

from hanport.errors import HanError

__all__ = ["ConfigError", "Raw", "boolean", "existing_file", "number", "whole"]

Raw = dict[str, tuple[object, str]]
"""Setting name → (value as given, where it was given)."""


class ConfigError(HanError):
    """A setting is missing, misspelt or has a value that cannot work."""


def boolean(item: tuple[object, str] | None, default: bool) -> bool:
    if item is None:
        return default
    value, where = item
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"The setting {where} must be true or false, not {value!r}.")


def whole(item: tuple[object, str] | None, default: int, low: int, high: int, what: str) -> int:
    if item is None:
        return default
    value, where = item
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise ConfigError(f"The {what} from {where} must be a whole number from {low} to {high}.")
    return int(text)


def number(
    item: tuple[object, str] | None, default: float, low: float, high: float, what: str
) -> float:
    if item is None:
        return default
    value, where = item
    try:
        result = float(str(value))
    except ValueError:
        result = low - 1
    if not low <= result <= high:
        raise ConfigError(f"The {what} from {where} must be a number from {low:g} to {high:g}.")
    return result


def existing_file(item: tuple[object, str] | None, what: str) -> str | None:
    if item is None or item[0] in ("", None):
        return None
    value, where = item
    if not Path(str(value)).is_file():
        raise ConfigError(f"The {what} {value} (from {where}) does not exist; fix the path.")
    return str(value)
