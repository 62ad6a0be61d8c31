"""Checks of command-line flags: each wrong value is one sentence naming the flag."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hanport.codec.cipher import key_bytes
from hanport.errors import HanError

__all__ = ["UsageError", "key_flag", "not_negative", "positive", "zone_flag"]


class UsageError(HanError):
    """A flag's value that cannot work."""


def positive(value: float, flag: str) -> None:
    if not value > 0:
        raise UsageError("cli.flag_positive", flag=flag, value=value)


def not_negative(value: float, flag: str) -> None:
    if not value >= 0:
        raise UsageError("cli.flag_not_negative", flag=flag, value=value)


def key_flag(value: str | None, flag: str) -> bytes | None:
    """A key given as 32 hexadecimal digits (16 bytes)."""
    if value is None:
        return None
    key = key_bytes(value)
    if key is None:
        raise UsageError("cli.bad_key", name=flag)
    return key


def zone_flag(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError("cli.bad_zone", zone=name) from None
