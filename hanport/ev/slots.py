"""Time slots for the cheapest mode: plain daily windows, or the cheapest priced slots.

`window_slots` turns daily windows such as 22:00–07:00 (local time, across midnight) into the
slots between now and a departure; `cheapest_slots` picks the cheapest priced slots before the
departure that together last long enough (the cost ledger supplies the prices).
`next_departure` is the next time the car leaves, given a time of day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.ev.policy import Slot

__all__ = [
    "PricedSlot",
    "Window",
    "cheapest_slots",
    "next_departure",
    "parse_window",
    "window_slots",
]


@dataclass(frozen=True)
class Window:
    """A daily window of local time; `end` at or before `start` runs past midnight."""

    start: time
    end: time


@dataclass(frozen=True)
class PricedSlot:
    start: datetime
    end: datetime
    price_eur_kwh: Decimal


def parse_window(text: str) -> Window:
    """`"22:00-07:00"` → Window(22:00, 07:00). Raises ValueError carrying `text` (the settings
    say in a sentence what is wrong with it)."""
    parts = text.replace("–", "-").split("-")
    try:
        start, end = (time.fromisoformat(part.strip()) for part in parts)
    except ValueError:
        raise ValueError(text) from None
    return Window(start, end)


def window_slots(
    windows: Sequence[Window], now: datetime, until: datetime, zone: ZoneInfo
) -> tuple[Slot, ...]:
    """The windows' occurrences that overlap `[now, until)`, clipped to it, in order."""
    slots: list[Slot] = []
    day = now.astimezone(zone).date() - timedelta(days=1)
    while _local(day, time(0), zone) < until:
        for window in windows:
            slot = _occurrence(window, day, zone)
            start, end = max(slot.start, now), min(slot.end, until)
            if start < end:
                slots.append(Slot(start, end))
        day += timedelta(days=1)
    return tuple(sorted(slots, key=lambda s: s.start))


def cheapest_slots(
    prices: Sequence[PricedSlot], needed_s: float, now: datetime, departure: datetime
) -> tuple[Slot, ...]:
    """The cheapest slots (clipped to `[now, departure)`) that add up to `needed_s`, in time
    order; all of them when they do not add up to that much. Ties go to the earlier slot."""
    usable = [
        (p.price_eur_kwh, max(p.start, now), min(p.end, departure))
        for p in prices
        if max(p.start, now) < min(p.end, departure)
    ]
    chosen: list[Slot] = []
    total = 0.0
    for _price, start, end in sorted(usable, key=lambda u: (u[0], u[1])):
        if total >= needed_s:
            break
        chosen.append(Slot(start, end))
        total += (end - start).total_seconds()
    return tuple(sorted(chosen, key=lambda s: s.start))


def next_departure(departure: time, now: datetime, zone: ZoneInfo) -> datetime:
    """The next `departure` (local time of day) after `now`."""
    day = now.astimezone(zone).date()
    moment = _local(day, departure, zone)
    return moment if moment > now else _local(day + timedelta(days=1), departure, zone)


def _occurrence(window: Window, day: date, zone: ZoneInfo) -> Slot:
    start = _local(day, window.start, zone)
    end_day = day if window.end > window.start else day + timedelta(days=1)
    return Slot(start, _local(end_day, window.end, zone))


def _local(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone)
