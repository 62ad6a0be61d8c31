"""What the app's Now and Costs pages show, from the store: today, yesterday, the month so far
and its forecast, the price now, this month's peak; and one month's bills line by line.

Blocking store reads (run it in a worker thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.costs.aggregate import CostRow, cost_rows
from hanport.costs.bill import MonthBill, month_bill
from hanport.costs.book import ledger_from_store, prices_index
from hanport.costs.energy import SlotEnergy
from hanport.costs.forecast import MonthForecast, month_forecast
from hanport.costs.ledger import Billing, SlotCost
from hanport.costs.peaks import MonthPeak, PeakWarning, month_peak, peak_warning, period_powers
from hanport.costs.slots import QUARTER, quarter_floor
from hanport.costs.tariff import Tariff
from hanport.store import Store

__all__ = ["CostSummary", "cost_summary", "month_bills"]

TALLINN = ZoneInfo("Europe/Tallinn")
_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class CostSummary:
    today: CostRow | None
    yesterday: CostRow | None
    month: MonthBill
    forecast: MonthForecast
    price_eur_mwh: Decimal | None
    price_all_in_eur_kwh: Decimal | None
    peak: MonthPeak | None
    warning: PeakWarning | None


def cost_summary(
    store: Store,
    meter: str,
    tariff: Tariff,
    now: datetime,
    power_now_w: int | Decimal | None = None,
    billing: Billing | None = None,
) -> CostSummary:
    today = _midnight(now.astimezone(TALLINN).date())
    yesterday = _midnight(now.astimezone(TALLINN).date() - timedelta(days=1))
    first = now.astimezone(TALLINN).date().replace(day=1)
    month_start = _midnight(first)
    since = min(month_start, now - _WEEK, yesterday)
    costs = ledger_from_store(store, meter, since, now + QUARTER, tariff, billing)
    this_month = [cost for cost in costs if cost.start >= month_start]
    current = quarter_floor(now)
    spot = prices_index(store, current, current + QUARTER).get(current)
    peak = warning = None
    rule = tariff.capacity
    if rule is not None:
        energies = _energies(this_month)
        peak = month_peak(energies, rule)
        if power_now_w is not None:
            warning = peak_warning(
                rule,
                period_powers(energies, rule)[0],
                now,
                _period_wh(this_month, now, rule.period_min),
                power_now_w,
            )
    return CostSummary(
        today=_row(costs, today, now + QUARTER, tariff),
        yesterday=_row(costs, yesterday, today, tariff),
        month=month_bill(this_month, first, tariff),
        forecast=month_forecast(costs, now, tariff),
        price_eur_mwh=spot,
        price_all_in_eur_kwh=None if spot is None else tariff.all_in_eur_kwh(current, spot),
        peak=peak,
        warning=warning,
    )


def month_bills(
    store: Store, meter: str, month: date, tariff: Tariff, billing: Billing | None = None
) -> MonthBill:
    """The month's bills, as far as the store has data."""
    first = month.replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    costs = ledger_from_store(store, meter, _midnight(first), _midnight(following), tariff, billing)
    return month_bill(costs, first, tariff)


def _row(costs: list[SlotCost], start: datetime, end: datetime, tariff: Tariff) -> CostRow | None:
    rows = cost_rows([cost for cost in costs if start <= cost.start < end], "1d", tariff)
    return rows[0] if rows else None


def _energies(costs: list[SlotCost]) -> list[SlotEnergy]:
    return [
        SlotEnergy(cost.start, cost.import_kwh * 1000, cost.export_kwh * 1000, cost.gap)
        for cost in costs
    ]


def _period_wh(costs: list[SlotCost], now: datetime, period_min: int) -> Decimal:
    seconds = int(now.timestamp())
    start = datetime.fromtimestamp(seconds - seconds % (period_min * 60), UTC)
    return sum((cost.import_kwh * 1000 for cost in costs if cost.start >= start), Decimal(0))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), TALLINN).astimezone(UTC)
