"""Meter clocks → timezone-aware datetimes.

P1 timestamps are `YYMMDDhhmmssX`, local time, where X = `W` means standard time and `S` means
summer time. We read them exactly so: `W` is the zone's standard offset, `S` the summer offset,
which is right both for meters that switch (NL, LT) and for those that stay on standard time all
year (Landis+Gyr E360 in Sweden and Denmark). Without a flag the zone's own rules decide.
The result is the same instant, expressed in the configured zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo

__all__ = ["cosem_datetime", "p1_datetime"]

_HOUR = timedelta(hours=1)


def p1_datetime(text: str, zone: tzinfo) -> datetime | None:
    """`"220204110650W"` → aware datetime; None for placeholders such as `632525252525S`."""
    flag = ""
    if text[-1:] in ("S", "W", "s", "w"):
        flag, text = text[-1].upper(), text[:-1]
    hour = _HOURS.get((text[:8], flag, zone)) if len(text) == 12 else None
    if hour is not None and text[8:].isdigit():
        try:
            return hour.replace(minute=int(text[8:10]), second=int(text[10:12]))
        except ValueError:
            return None
    try:
        if len(text) == 12 and text.isdigit():
            if text[0] in "789":
                return None  # 700101… and other pre-2000 placeholders of meters without a clock
            local = datetime(
                2000 + int(text[0:2]),
                int(text[2:4]),
                int(text[4:6]),
                int(text[6:8]),
                int(text[8:10]),
                int(text[10:12]),
            )
        else:
            local = datetime.strptime(text, "%Y%m%d %H:%M:%S")
    except ValueError:
        return None
    key = (text[:8], flag, zone)
    aware = _in_zone(local, key, lambda: _localize(local, zone, flag))
    shift = _SHIFTS[key][0]
    if not shift.seconds % 3600 and len(_HOURS) < 4096:
        _HOURS[key] = aware.replace(minute=0, second=0)
    return aware


_HOURS: dict[tuple[str, str, tzinfo], datetime] = {}
"""(YYMMDDhh as printed, flag, zone) → the aware start of that hour, for whole-hour shifts:
the rest of the hour's telegrams only replace minutes and seconds."""


_SHIFTS: dict[tuple[object, ...], tuple[timedelta, int]] = {}
"""(date and hour as sent, offset markers, zone) → (meter clock → zone clock, fold): offsets
and zone rules change only on whole hours, so one look-up serves the hour's 360 telegrams."""


def _in_zone(local: datetime, key: tuple[object, ...], convert: Callable[[], datetime]) -> datetime:
    """`convert()` (the meter's local time in the zone), computed once per hour and key."""
    cached = _SHIFTS.get(key)
    if cached is None:
        aware = convert()
        cached = (aware.replace(tzinfo=None) - local, aware.fold)
        if len(_SHIFTS) >= 4096:
            _SHIFTS.clear()
        _SHIFTS[key] = cached
    shift, fold = cached
    return (local + shift).replace(tzinfo=_zone_of(key), fold=fold)


def _zone_of(key: tuple[object, ...]) -> tzinfo:
    zone = key[-1]
    assert isinstance(zone, tzinfo)
    return zone


def _localize(local: datetime, zone: tzinfo, flag: str) -> datetime:
    probe = local.replace(tzinfo=zone)
    if not flag:
        return probe
    offset = probe.utcoffset() or timedelta(0)
    dst = probe.dst() or timedelta(0)
    standard = offset - dst
    wanted = standard if flag == "W" else standard + (dst or _HOUR)
    return (local - wanted).replace(tzinfo=UTC).astimezone(zone)


def cosem_datetime(raw: bytes, zone: tzinfo) -> datetime | None:
    """A 12-byte COSEM date-time → aware datetime; None when the date is not specified.

    The deviation field (minutes, UTC = local + deviation) fixes the offset when it is sent;
    otherwise the clock-status DST bit, and failing that the zone's rules, decide.
    """
    if len(raw) != 12:
        return None
    year = int.from_bytes(raw[0:2], "big")
    month, day, hour, minute, second = raw[2], raw[3], raw[5], raw[6], raw[7]
    if year == 0xFFFF or month > 12 or day > 31 or month == 0 or day == 0:
        return None
    try:
        local = datetime(
            year,
            month,
            day,
            0 if hour == 0xFF else hour,
            0 if minute == 0xFF else minute,
            0 if second == 0xFF else second,
        )
    except ValueError:
        return None
    return _in_zone(local, (raw[:6], raw[9:], zone), lambda: _cosem_in_zone(local, raw, zone))


def _cosem_in_zone(local: datetime, raw: bytes, zone: tzinfo) -> datetime:
    deviation = int.from_bytes(raw[9:11], "big", signed=True)
    status = raw[11]
    if deviation != -0x8000 and -720 <= deviation <= 840:
        fixed = timezone(timedelta(minutes=-deviation))
        return local.replace(tzinfo=fixed).astimezone(zone)
    if status != 0xFF:
        return _localize(local, zone, "S" if status & 0x80 else "W")
    return local.replace(tzinfo=zone)
