"""Price slots: one day-ahead price for one market time unit, in UTC.

The Nord Pool / SDAC day-ahead market cleared hourly until delivery day 30 Sep 2025 and in
15-minute units from delivery day 1 Oct 2025 (CET), which began at 2025-09-30T22:00Z. A slot's
length is read from the data (the gap between successive timestamps), never assumed: a Tallinn
day has 24 hourly or 96 quarter-hour prices, 92 / 100 on the days the clocks change.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hanport.costs.errors import PriceDataError

__all__ = [
    "HOUR",
    "MTU_SWITCH",
    "QUARTER",
    "PriceSlot",
    "quarter_floor",
    "quarter_prices",
    "slots_from_starts",
]

QUARTER = timedelta(minutes=15)
HOUR = timedelta(hours=1)
MTU_SWITCH = datetime(2025, 9, 30, 22, tzinfo=UTC)
"""The first 15-minute delivery slot: 1 Oct 2025 00:00 CEST."""

_LENGTHS = (QUARTER, timedelta(minutes=30), HOUR)


@dataclass(frozen=True, slots=True)
class PriceSlot:
    """The day-ahead price for [start, end), in EUR/MWh excluding VAT (negative prices occur)."""

    start: datetime
    end: datetime
    eur_mwh: Decimal

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("A price slot needs time-zone-aware times.")
        if self.end <= self.start:
            raise ValueError("A price slot must end after it starts.")

    @property
    def eur_kwh(self) -> Decimal:
        return self.eur_mwh / 1000


def quarter_floor(moment: datetime) -> datetime:
    """The start of the quarter-hour `moment` falls in, in UTC (Tallinn's offsets are whole
    hours, so UTC quarters are Tallinn quarters)."""
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % 900, UTC)


def slots_from_starts(records: Iterable[tuple[datetime, Decimal]], source: str) -> list[PriceSlot]:
    """Price slots from (start, price) records, each slot as long as the data's own step.

    The step is the smallest gap between successive starts on each side of the 15-minute switch
    (so a response mixing hourly September with quarter-hour October is read right); a side
    with a single record uses that era's market time unit. A missing record leaves a hole; it
    does not stretch its neighbour. Duplicates and misaligned starts are refused.
    """
    ordered = sorted(records, key=lambda item: item[0])
    for (first, _), (second, _) in itertools.pairwise(ordered):
        if first == second:
            raise PriceDataError("costs.price_duplicate", source=source, start=_show(first))
    before = [item for item in ordered if item[0] < MTU_SWITCH]
    after = [item for item in ordered if item[0] >= MTU_SWITCH]
    slots: list[PriceSlot] = []
    for era, default in ((before, HOUR), (after, QUARTER)):
        step = _step(era, default, source)
        for start, price in era:
            if start.timestamp() % step.total_seconds():
                raise PriceDataError("costs.price_misaligned", source=source, start=_show(start))
            slots.append(PriceSlot(start, start + step, price))
    return slots


def quarter_prices(slots: Iterable[PriceSlot]) -> dict[datetime, Decimal]:
    """Each 15-minute UTC slot → its price; an hourly price covers its four quarters."""
    index: dict[datetime, Decimal] = {}
    for slot in slots:
        moment = slot.start
        while moment < slot.end:
            index[moment] = slot.eur_mwh
            moment += QUARTER
    return index


def _step(era: list[tuple[datetime, Decimal]], default: timedelta, source: str) -> timedelta:
    if len(era) < 2:
        return default
    step = min(second - first for (first, _), (second, _) in itertools.pairwise(era))
    if step not in _LENGTHS:
        raise PriceDataError(
            "costs.price_step", source=source, minutes=int(step.total_seconds() // 60)
        )
    return step


def _show(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
