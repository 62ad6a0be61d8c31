"""When to fetch which prices: a pure planner over what is already stored.

The day-ahead auction closes at 12:00 CET; results come out about 12:55 CET (≈13:55 Tallinn)
for the next CET delivery day, which runs 00:00–24:00 CET, i.e. 01:00–01:00 Tallinn. So after
the publication, prices are known up to 01:00 Tallinn on the day after tomorrow; before it, up
to 01:00 Tallinn tomorrow. The planner asks only for slots that can exist by then and are not
stored; the caller fetches them with retries (`hanport.costs.fetch`), calls again a while later
(every 15 minutes is plenty), and prices offline from what is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hanport.costs.slots import PriceSlot, quarter_floor

__all__ = [
    "PUBLISHED_AT",
    "FetchRange",
    "due_fetches",
    "next_publication",
    "prices_known_until",
]

TALLINN = ZoneInfo("Europe/Tallinn")
CET = ZoneInfo("Europe/Brussels")
PUBLISHED_AT = time(14, 0)
"""Tallinn time by which the next delivery day's prices are expected (≈13:55 plus a margin)."""


@dataclass(frozen=True, slots=True)
class FetchRange:
    """[start, end) to fetch; `ahead` when it reaches past `now` (tomorrow's prices), else
    history (a backfill of the stored range or a hole in it)."""

    start: datetime
    end: datetime
    ahead: bool


def _cet_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), CET)


def _publication(day: date, published_at: time) -> datetime:
    """The publication moment for the delivery day after the CET day `day` (same calendar date
    in Tallinn, an hour ahead of CET all year)."""
    return datetime.combine(day, published_at, TALLINN)


def prices_known_until(now: datetime, published_at: time = PUBLISHED_AT) -> datetime:
    """The end of the last delivery day whose prices are out at `now`."""
    today = now.astimezone(CET).date()
    if now >= _publication(today, published_at):
        return _cet_midnight(today + timedelta(days=2))
    return _cet_midnight(today + timedelta(days=1))


def next_publication(now: datetime, published_at: time = PUBLISHED_AT) -> datetime:
    """The next moment new prices are expected."""
    today = now.astimezone(CET).date()
    moment = _publication(today, published_at)
    return moment if now < moment else _publication(today + timedelta(days=1), published_at)


def due_fetches(
    now: datetime,
    known_slots: Iterable[PriceSlot],
    wanted_from: datetime,
    wanted_to: datetime,
    published_at: time = PUBLISHED_AT,
) -> list[FetchRange]:
    """The ranges of [wanted_from, wanted_to) that are published by `now` and not stored,
    merged where they touch, in time order. A range the provider answered without prices
    (before its history starts, say) comes back on every call; the caller remembers those."""
    start = quarter_floor(wanted_from)
    horizon = min(wanted_to, prices_known_until(now, published_at))
    ranges: list[FetchRange] = []
    for hole_start, hole_end in _holes(_covered(known_slots), start, horizon):
        ranges.append(FetchRange(hole_start, hole_end, ahead=hole_end > now))
    return ranges


def _covered(slots: Iterable[PriceSlot]) -> list[tuple[datetime, datetime]]:
    spans: list[tuple[datetime, datetime]] = []
    for slot in sorted(slots, key=lambda item: item.start):
        if spans and slot.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], slot.end))
        else:
            spans.append((slot.start, slot.end))
    return spans


def _holes(
    covered: list[tuple[datetime, datetime]], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    holes: list[tuple[datetime, datetime]] = []
    cursor = start
    for span_start, span_end in covered:
        if span_end <= cursor:
            continue
        if span_start >= end:
            break
        if span_start > cursor:
            holes.append((cursor, span_start))
        cursor = max(cursor, span_end)
    if cursor < end:
        holes.append((cursor, end))
    return holes
