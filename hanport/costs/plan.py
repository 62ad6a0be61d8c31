"""When to run a boiler, a heat pump or a car: the cheapest window and the cheapest slots.

Prices here are all-in: what one more kWh bought in the slot costs, day-ahead price, margin,
network price of the slot's window, national fees and VAT included (`Tariff.all_in_eur_kwh`),
in the billing view of the tariff (with hourly billing a quarter costs its hour's mean).
A duration is rounded up to whole quarter-hours; a window never spans a slot without a price.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from hanport.costs.errors import CostError
from hanport.costs.ledger import Billing, hourly_mean_prices
from hanport.costs.slots import QUARTER
from hanport.costs.tariff import Tariff

__all__ = [
    "MAX_DURATION",
    "PlanSlot",
    "PlanWindow",
    "all_in_prices",
    "cheapest_slots",
    "cheapest_window",
    "parse_duration",
]

MAX_DURATION = timedelta(hours=48)
_DURATION = re.compile(r"^(?:(\d{1,3})h)?(?:(\d{1,4})m(?:in)?)?$")


@dataclass(frozen=True, slots=True)
class PlanSlot:
    start: datetime
    eur_kwh: Decimal
    """All-in, VAT included."""

    @property
    def end(self) -> datetime:
        return self.start + QUARTER


@dataclass(frozen=True)
class PlanWindow:
    start: datetime
    end: datetime
    mean_eur_kwh: Decimal
    slots: tuple[PlanSlot, ...]


def parse_duration(text: str) -> timedelta:
    """ "3h", "45m", "1h30m" (or "90min") → a duration of at most 48 hours."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match or not any(match.groups()):
        raise CostError("costs.plan_duration", value=text, limit_h=48)
    duration = timedelta(hours=int(match[1] or 0), minutes=int(match[2] or 0))
    if not timedelta(0) < duration <= MAX_DURATION:
        raise CostError("costs.plan_duration", value=text, limit_h=48)
    return duration


def all_in_prices(
    prices: Mapping[datetime, Decimal], tariff: Tariff, billing: Billing | None = None
) -> list[PlanSlot]:
    """Every quarter with a known price, in time order, priced all-in."""
    view = billing or tariff.settings.billing
    used = hourly_mean_prices(prices) if view == "1h" else prices
    return [PlanSlot(start, tariff.all_in_eur_kwh(start, used[start])) for start in sorted(used)]


def cheapest_window(
    slots: Sequence[PlanSlot], duration: timedelta, start: datetime, end: datetime
) -> PlanWindow | None:
    """The contiguous run of quarters of `duration` within [start, end) with the lowest mean
    price (the earliest of equals); None if no such run has prices for every quarter."""
    count = _quarters(duration)
    chosen = [slot for slot in slots if start <= slot.start and slot.end <= end]
    best: tuple[Decimal, int] | None = None
    total = Decimal(0)
    run = 0  # the length of the gap-free run ending at index
    for index, slot in enumerate(chosen):
        contiguous = index and chosen[index - 1].end == slot.start
        run = run + 1 if contiguous else 1
        if run == 1:
            total = Decimal(0)
        total += slot.eur_kwh
        if run > count:
            total -= chosen[index - count].eur_kwh
        if run >= count and (best is None or total < best[0]):
            best = (total, index - count + 1)
    if best is None:
        return None
    picked = tuple(chosen[best[1] : best[1] + count])
    return PlanWindow(picked[0].start, picked[-1].end, best[0] / count, picked)


def cheapest_slots(
    slots: Sequence[PlanSlot], duration: timedelta, start: datetime, end: datetime
) -> list[PlanSlot]:
    """The cheapest quarters within [start, end) adding up to `duration`, in time order (for
    loads that may pause: a boiler, a car); fewer if fewer have prices."""
    chosen = [slot for slot in slots if start <= slot.start and slot.end <= end]
    cheapest = sorted(chosen, key=lambda slot: (slot.eur_kwh, slot.start))[: _quarters(duration)]
    return sorted(cheapest, key=lambda slot: slot.start)


def _quarters(duration: timedelta) -> int:
    return max(1, -(-int(duration.total_seconds()) // int(QUARTER.total_seconds())))
