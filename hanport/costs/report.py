"""What the app's API answers about money, from the store: cost rows, prices, the plan.

Blocking store reads (run in a worker thread). The slot costs of days that are over and the
rows of months that are over are kept in a `LedgerCache` for as long as no newer price was
stored for them (`PriceBook.still_valid`), so a year of month rows is a dozen lookups and the
month so far is its settled days plus today.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

from hanport.costs.aggregate import CostRow, Step, cost_rows
from hanport.costs.book import ledger_from_store, prices_index
from hanport.costs.ledger import Billing, SlotCost
from hanport.costs.plan import PlanSlot, PlanWindow, all_in_prices, cheapest_slots, cheapest_window
from hanport.costs.price_store import PriceBook, stored_prices
from hanport.costs.slots import PriceSlot
from hanport.costs.tariff import Tariff
from hanport.store import Store

__all__ = ["LedgerCache", "Plan", "align", "cost_report", "plan_report", "price_report"]

TALLINN = ZoneInfo("Europe/Tallinn")
_ZERO = Decimal(0)
QUARTER = timedelta(minutes=15)
_SETTLED = timedelta(minutes=20)
"""A period is settled once its last quarter's rollup is closed."""


class LedgerCache:
    """Settled days' slot costs and settled months' rows, each with the prices' generation it
    was computed at (`PriceBook.still_valid` says whether that still holds)."""

    def __init__(self, days: int = 70, months: int = 600) -> None:
        self.sizes = {"days": days, "months": months}
        self._entries: dict[str, OrderedDict[tuple[str, datetime, str], tuple[int, object]]] = {
            "days": OrderedDict(),
            "months": OrderedDict(),
        }

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._entries.values())

    def get(
        self, kind: str, key: tuple[str, datetime, str], end: datetime, book: PriceBook | None
    ) -> tuple[bool, object]:
        entries = self._entries[kind]
        found = entries.get(key)
        if found is None:
            return False, None
        generation, value = found
        if book is not None and not book.still_valid(generation, end):
            del entries[key]
            return False, None
        entries.move_to_end(key)
        return True, value

    def put(
        self, kind: str, key: tuple[str, datetime, str], value: object, book: PriceBook | None
    ) -> None:
        entries = self._entries[kind]
        entries[key] = (book.generation if book is not None else 0, value)
        while len(entries) > self.sizes[kind]:
            entries.popitem(last=False)


def align(start: datetime, end: datetime, step: Step) -> tuple[datetime, datetime]:
    """[start, end) widened to whole days or months (Tallinn) for day and month rows, to whole
    quarters otherwise."""
    return _floor(start, step), _ceil(end, step)


def cost_report(
    store: Store,
    meter: str,
    start: datetime,
    end: datetime,
    step: Step,
    tariff: Tariff,
    billing: Billing,
    now: datetime,
    cache: LedgerCache | None = None,
    book: PriceBook | None = None,
) -> list[CostRow]:
    """The rows of `step` over [start, end) widened to whole periods (`align`). Day and month
    rows are made of whole days; a day without any data of the meter has no slots at all."""
    start, end = align(start, end, step)
    if step in ("15m", "1h"):
        return cost_rows(ledger_from_store(store, meter, start, end, tariff, billing), step, tariff)
    work = _Work(
        store, meter, tariff, billing, now, LedgerCache(0, 0) if cache is None else cache, book
    )
    if step == "1d":
        return cost_rows(work.days(start, end), "1d", tariff)
    rows: list[CostRow] = []
    month = start
    while month < end:
        following = _next_month(month)
        row = work.month(month, following)
        if row is not None:
            rows.append(row)
        month = following
    return rows


@dataclass
class _Work:
    store: Store
    meter: str
    tariff: Tariff
    billing: Billing
    now: datetime
    cache: LedgerCache
    book: PriceBook | None

    def month(self, start: datetime, end: datetime) -> CostRow | None:
        key = (self.meter, start, self.billing)
        settled = end + _SETTLED <= self.now
        if settled:
            found, row = self.cache.get("months", key, end, self.book)
            if found:
                return cast(CostRow | None, row)
        costs = _with_gaps(self.days(start, end), start, self.tariff)
        made = cost_rows(costs, "1mo", self.tariff)[0] if costs else None
        if settled:
            self.cache.put("months", key, made, self.book)
        return made

    def days(self, start: datetime, end: datetime) -> list[SlotCost]:
        costs: list[SlotCost] = []
        day = start
        while day < end:
            following = _ceil(day + timedelta(hours=1), "1d")
            costs += self.day(day, following)
            day = following
        return costs

    def day(self, start: datetime, end: datetime) -> list[SlotCost]:
        key = (self.meter, start, self.billing)
        settled = end + _SETTLED <= self.now
        if settled:
            found, costs = self.cache.get("days", key, end, self.book)
            if found:
                return cast(list[SlotCost], costs)
        made = ledger_from_store(self.store, self.meter, start, end, self.tariff, self.billing)
        if settled:
            self.cache.put("days", key, made, self.book)
        return made


def _with_gaps(costs: list[SlotCost], start: datetime, tariff: Tariff) -> list[SlotCost]:
    """The month's slots from its start to its last known one, a quarter without data a gap
    (as the bill counts them: `hanport.costs.summary.month_bills`)."""
    if not costs:
        return costs
    known = {cost.start: cost for cost in costs}
    filled: list[SlotCost] = []
    moment = start
    while moment <= costs[-1].start:
        found = known.get(moment)
        if found is None:
            where = tariff.window(moment.astimezone(TALLINN))
            found = SlotCost(moment, where, _ZERO, _ZERO, None, True, None)
        filled.append(found)
        moment += QUARTER
    return filled


def price_report(store: Store, start: datetime, end: datetime) -> list[PriceSlot]:
    return stored_prices(store, start, end)


@dataclass(frozen=True)
class Plan:
    window: PlanWindow | None
    slots: list[PlanSlot]
    prices: list[PlanSlot]


def plan_report(
    store: Store,
    start: datetime,
    end: datetime,
    duration: timedelta,
    tariff: Tariff,
    billing: Billing,
) -> Plan:
    prices = all_in_prices(prices_index(store, start, end), tariff, billing)
    within = [slot for slot in prices if start <= slot.start and slot.end <= end]
    return Plan(
        cheapest_window(within, duration, start, end),
        cheapest_slots(within, duration, start, end),
        within,
    )


def _floor(moment: datetime, step: Step) -> datetime:
    if step in ("15m", "1h"):
        seconds = int(moment.timestamp())
        size = 900 if step == "15m" else 3600
        return datetime.fromtimestamp(seconds - seconds % size, UTC)
    local = moment.astimezone(TALLINN).date()
    if step == "1mo":
        local = local.replace(day=1)
    return datetime.combine(local, time(0), TALLINN).astimezone(UTC)


def _ceil(moment: datetime, step: Step) -> datetime:
    floor = _floor(moment, step)
    if floor == moment:
        return floor
    if step == "15m":
        return floor + timedelta(minutes=15)
    if step == "1h":
        return floor + timedelta(hours=1)
    if step == "1d":
        local = floor.astimezone(TALLINN).date() + timedelta(days=1)
        return datetime.combine(local, time(0), TALLINN).astimezone(UTC)
    return _next_month(floor)


def _next_month(month: datetime) -> datetime:
    local = month.astimezone(TALLINN).date().replace(day=28) + timedelta(days=4)
    return datetime.combine(local.replace(day=1), time(0), TALLINN).astimezone(UTC)
