"""The peak engine, the plan (cheapest window and slots) and the month forecast."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hanport.costs.bill import month_bill
from hanport.costs.energy import SlotEnergy
from hanport.costs.errors import CostError
from hanport.costs.forecast import month_forecast
from hanport.costs.ledger import slot_ledger
from hanport.costs.peaks import Peak, PeakRule, month_peak, peak_warning
from hanport.costs.plan import (
    PlanSlot,
    all_in_prices,
    cheapest_slots,
    cheapest_window,
    parse_duration,
)
from hanport.costs.settings import tariff_settings
from hanport.costs.tariff import build_tariff

TALLINN = ZoneInfo("Europe/Tallinn")
Q = timedelta(minutes=15)
MONDAY = datetime(2026, 1, 12, tzinfo=TALLINN).astimezone(UTC)


def flat_day(start: datetime, wh: int, days: int = 1) -> list[SlotEnergy]:
    return [SlotEnergy(start + Q * i, wh) for i in range(96 * days)]


def test_month_max_of_hourly_average_power() -> None:
    slots = flat_day(MONDAY, 250, days=3)  # 1 kW all the time
    slots[40] = SlotEnergy(slots[40].start, 2250)  # a quarter at 9 kW: its hour averages 3 kW
    rule = PeakRule(60, "max", price_eur_kw_month=Decimal("2.45"))
    peak = month_peak(slots, rule)
    assert peak.kw == Decimal(3)
    assert peak.peaks[0].start == slots[40].start
    assert peak.charge_eur == Decimal("7.35")
    quarter = month_peak(slots, PeakRule(15, "max"))
    assert quarter.kw == Decimal(9)


def test_mean_of_the_top_days_and_windows() -> None:
    slots = flat_day(MONDAY, 250, days=5)
    for day, wh in enumerate((1000, 2000, 3000, 500, 4000)):  # an evening hour each day
        index = day * 96 + 18 * 4 - 8  # 18:00 Tallinn is 16:00 UTC in winter
        for quarter in range(4):
            slots[index + quarter] = SlotEnergy(slots[index + quarter].start, wh)
    rule = PeakRule(60, "top_days_mean", top_days=3)
    assert month_peak(slots, rule).kw == Decimal(12)  # (16 + 12 + 8) / 3
    nights = PeakRule(60, "max", hours=((22, 24), (0, 7)))
    assert month_peak(slots, nights).kw == Decimal(1)


def test_a_gap_leaves_its_period_out_and_says_so() -> None:
    slots = flat_day(MONDAY, 250)
    slots[10] = SlotEnergy(slots[10].start, 9999, gap=True)
    peak = month_peak(slots, PeakRule(60, "max"))
    assert peak.kw == Decimal(1)
    assert not peak.complete


def test_new_peak_warning() -> None:
    rule = PeakRule(60, "max")
    so_far = [Peak(MONDAY, Decimal("5.0"))]
    half = MONDAY + timedelta(days=1, minutes=30)
    # 2.0 kWh in the first half hour, 6 kW now: (2000 + 6000 × 0.5) / 1 h = 5 kW → near
    near = peak_warning(rule, so_far, half, 2000, 6000)
    assert near is not None
    assert not near.new_peak
    assert near.projected_kw == Decimal(5)
    new = peak_warning(rule, so_far, half, 2000, 8000)
    assert new is not None
    assert new.new_peak
    assert new.threshold_kw == Decimal("5.0")
    assert peak_warning(rule, so_far, half, 500, 1000) is None
    outside = PeakRule(60, "max", hours=((7, 8),))
    assert peak_warning(outside, so_far, half, 9000, 9000) is None


def test_cheapest_window_and_slots() -> None:
    start = MONDAY
    prices = [Decimal(p) for p in (5, 4, 3, 9, 1, 1, 8, 2, 2, 2, 7)]
    slots = [PlanSlot(start + Q * i, price) for i, price in enumerate(prices)]
    window = cheapest_window(slots, timedelta(minutes=45), start, start + Q * 11)
    assert window is not None
    assert (window.start, window.end) == (start + Q * 7, start + Q * 10)
    assert window.mean_eur_kwh == Decimal(2)
    # 50 minutes round up to four quarters: 1 + 1 + 8 + 2 beats 2 + 2 + 2 + 7
    four = cheapest_window(slots, timedelta(minutes=50), start, start + Q * 11)
    assert four is not None
    assert four.start == start + Q * 4
    assert len(four.slots) == 4
    picked = cheapest_slots(slots, timedelta(hours=1), start, start + Q * 11)
    assert [slot.eur_kwh for slot in picked] == [Decimal(1), Decimal(1), Decimal(2), Decimal(2)]
    assert picked == sorted(picked, key=lambda slot: slot.start)
    holed = slots[:3] + slots[4:]
    assert cheapest_window(holed, timedelta(minutes=60), start, start + Q * 6) is None


def test_plan_prices_are_all_in_and_follow_the_billing_view() -> None:
    tariff = build_tariff(tariff_settings({}))
    start = datetime(2026, 1, 14, 8, tzinfo=UTC)
    prices = {start + Q * i: Decimal(p) for i, p in enumerate((0, 100, 200, 300))}
    quarter = all_in_prices(prices, tariff, "15m")
    hourly = all_in_prices(prices, tariff, "1h")
    assert quarter[0].eur_kwh == tariff.all_in_eur_kwh(start, Decimal(0))
    assert {slot.eur_kwh for slot in hourly} == {tariff.all_in_eur_kwh(start, Decimal(150))}


@pytest.mark.parametrize(
    ("text", "minutes"), [("3h", 180), ("45m", 45), ("1h30m", 90), ("90min", 90)]
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "0m", "3 hours", "49h", "-1h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(CostError, match="duration"):
        parse_duration(text)


def test_month_forecast_extrapolates_the_last_week() -> None:
    tariff = build_tariff(tariff_settings({}))
    start = datetime(2026, 1, 1, tzinfo=TALLINN).astimezone(UTC)
    energies = flat_day(start, 250, days=10)  # 24 kWh a day
    prices = {slot.start: Decimal(100) for slot in energies}
    costs = slot_ledger(energies, prices, tariff, "15m")
    now = start + timedelta(days=10)
    forecast = month_forecast(costs, now, tariff)
    assert forecast.basis_h == 168
    assert forecast.remaining_h == 21 * 24
    assert forecast.import_kwh == Decimal(31 * 24)
    week = sum((c.money.total_eur for c in costs[-7 * 96 :] if c.money), Decimal(0))
    assert forecast.to_date == month_bill(costs, start.astimezone(TALLINN).date(), tariff)
    expected = forecast.to_date.total_eur + week / 168 * 504
    assert abs((forecast.total_eur or Decimal(0)) - expected) < Decimal("0.01")
    early = month_forecast(costs[:80], start + timedelta(hours=20), tariff)
    assert early.total_eur is None
    assert early.to_date.slots == 80
