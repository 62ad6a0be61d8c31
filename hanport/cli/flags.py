"""Checks of command-line flags: each wrong value is one sentence naming the flag."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hanport.i18n import Localized

__all__ = ["UsageError", "key_flag", "not_negative", "positive", "zone_flag"]


class UsageError(Localized):
    """A flag's value that cannot work."""


def positive(value: float, flag: str) -> None:
    if not value > 0:
        raise UsageError("flag_positive", flag=flag, value=f"{value:g}")


def not_negative(value: float, flag: str) -> None:
    if not value >= 0:
        raise UsageError("flag_not_negative", flag=flag, value=f"{value:g}")


def key_flag(value: str | None, flag: str) -> bytes | None:
    """A key given as 32 hexadecimal digits (16 bytes)."""
    if value is None:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise UsageError("bad_key", name=flag)
    return key


def zone_flag(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError("bad_zone", zone=name) from None
