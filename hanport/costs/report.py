"""What the app's API answers about money, from the store: cost rows, prices, the plan.

Blocking store reads (run in a worker thread). Month rows of months that are over (and two
days past, when the DSO's data and the last prices are in) are kept in a `MonthCache`, keyed
by the prices' generation (`PriceBook`), so a year of month rows is a dozen lookups.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hanport.costs.aggregate import CostRow, Step, cost_rows
from hanport.costs.book import ledger_from_store, prices_index
from hanport.costs.ledger import Billing
from hanport.costs.plan import PlanSlot, PlanWindow, all_in_prices, cheapest_slots, cheapest_window
from hanport.costs.price_store import stored_prices
from hanport.costs.slots import PriceSlot
from hanport.costs.tariff import Tariff
from hanport.store import Store

__all__ = ["MonthCache", "Plan", "align", "cost_report", "plan_report", "price_report"]

TALLINN = ZoneInfo("Europe/Tallinn")
_SETTLED = timedelta(days=2)


class MonthCache:
    """Month rows of settled months: (meter, month, billing, generation) → row."""

    def __init__(self, size: int = 600) -> None:
        self.size = size
        self._rows: OrderedDict[tuple[str, datetime, str, int], CostRow | None] = OrderedDict()

    def get(self, key: tuple[str, datetime, str, int]) -> tuple[bool, CostRow | None]:
        if key in self._rows:
            self._rows.move_to_end(key)
            return True, self._rows[key]
        return False, None

    def put(self, key: tuple[str, datetime, str, int], row: CostRow | None) -> None:
        self._rows[key] = row
        while len(self._rows) > self.size:
            self._rows.popitem(last=False)


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
    cache: MonthCache | None = None,
    generation: int = 0,
) -> list[CostRow]:
    start, end = align(start, end, step)
    if step != "1mo":
        return cost_rows(ledger_from_store(store, meter, start, end, tariff, billing), step, tariff)
    rows: list[CostRow] = []
    month = start
    while month < end:
        following = _next_month(month)
        key = (meter, month, billing, generation)
        settled = cache is not None and following + _SETTLED <= now
        found, row = cache.get(key) if cache is not None and settled else (False, None)
        if not found:
            costs = ledger_from_store(store, meter, month, following, tariff, billing)
            row = cost_rows(costs, "1mo", tariff)[0] if costs else None
            if cache is not None and settled:
                cache.put(key, row)
        if row is not None:
            rows.append(row)
        month = following
    return rows


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
