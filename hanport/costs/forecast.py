"""This month so far, and where it is heading.

Month to date is the month's bill (`hanport.costs.bill`) from the slots up to `now`, with the
month's fixed fees in full, because the bill will carry them in full.

The forecast adds the rest of the month at the recent rate: the cost (VAT included) of the
priced slots of the last 7 days before `now`, per hour, times the hours left in the month. A
week holds every weekday, so a household's weekly rhythm is in the rate; the prices of the
coming days are not known beyond tomorrow, so the recent prices stand in for them. With less
than 24 priced hours in that week there is no forecast (None) rather than a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.costs.bill import MonthBill, cents, month_bill
from hanport.costs.ledger import SlotCost
from hanport.costs.tariff import Tariff

__all__ = ["BASIS", "MIN_BASIS_H", "MonthForecast", "month_forecast"]

TALLINN = ZoneInfo("Europe/Tallinn")
BASIS = timedelta(days=7)
MIN_BASIS_H = Decimal(24)


@dataclass(frozen=True)
class MonthForecast:
    month: date
    to_date: MonthBill
    total_eur: Decimal | None
    """The month's expected bills, VAT included; None without enough recent data."""
    import_kwh: Decimal | None
    export_eur: Decimal | None
    basis_h: Decimal
    """The priced hours of the last week the rate came from."""
    remaining_h: Decimal


def month_forecast(costs: Sequence[SlotCost], now: datetime, tariff: Tariff) -> MonthForecast:
    """`costs`: the slots of this month up to `now` and of the week before (more is ignored)."""
    local = now.astimezone(TALLINN)
    first = local.date().replace(day=1)
    month_start = datetime.combine(first, time(0), TALLINN)
    month_end = datetime.combine(
        (first.replace(day=28) + timedelta(days=4)).replace(day=1), time(0), TALLINN
    )
    this_month = [cost for cost in costs if month_start <= cost.start < now]
    to_date = month_bill(this_month, first, tariff)
    recent = [cost for cost in costs if now - BASIS <= cost.start < now and cost.money is not None]
    basis_h = Decimal(len(recent)) / 4
    remaining_h = Decimal(int((month_end - now).total_seconds())) / 3600
    if basis_h < MIN_BASIS_H:
        return MonthForecast(first, to_date, None, None, None, basis_h, remaining_h)
    spent = sum((cost.money.total_eur for cost in recent if cost.money), Decimal(0))
    earned = sum((cost.money.export_eur for cost in recent if cost.money), Decimal(0))
    used = sum((cost.import_kwh for cost in recent), Decimal(0))
    ahead = remaining_h / basis_h
    return MonthForecast(
        first,
        to_date,
        cents(to_date.total_eur + spent * ahead),
        to_date.import_kwh + used * ahead,
        cents(to_date.export_eur + earned * ahead),
        basis_h,
        remaining_h,
    )
