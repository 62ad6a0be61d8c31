"""The slot ledger: components per slot, both billing views, export, Tallinn rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.costs.aggregate import cost_rows
from hanport.costs.energy import SlotEnergy
from hanport.costs.ledger import hourly_mean_prices, slot_ledger
from hanport.costs.settings import tariff_settings
from hanport.costs.slots import PriceSlot, quarter_prices
from hanport.costs.tariff import Tariff, build_tariff

TALLINN = ZoneInfo("Europe/Tallinn")
Q = timedelta(minutes=15)


def tariff(**values: str) -> Tariff:
    return build_tariff(tariff_settings({key: (value, key) for key, value in values.items()}))


def test_one_day_slot_component_by_component() -> None:
    # Wed 2026-01-14 10:00 Tallinn (08:00 UTC): Võrk 2 day, 0.5 c margin, 1 kWh at 100 EUR/MWh
    start = datetime(2026, 1, 14, 8, tzinfo=UTC)
    [cost] = slot_ledger(
        [SlotEnergy(start, 1000, 200)],
        {start: Decimal(100)},
        tariff(seller_margin_c_kwh="0.5", export_margin_c_kwh="0.3"),
        "15m",
    )
    money = cost.money
    assert money is not None
    assert cost.window == "day"
    assert money.energy_eur == Decimal("0.1")
    assert money.margin_eur == Decimal("0.005")
    assert money.network_eur == Decimal("0.0607")
    assert money.renewable_eur == Decimal("0.0084")
    assert money.excise_eur == Decimal("0.0021")
    assert money.supply_security_eur == Decimal("0.00758")
    assert money.balancing_eur == Decimal("0.00373")
    subtotal = Decimal("0.18751")
    assert money.vat_eur == subtotal * Decimal("0.24")
    assert money.total_eur == subtotal * Decimal("1.24")
    assert money.export_eur == Decimal("0.2") * (Decimal("0.1") - Decimal("0.003"))


def test_hourly_view_is_the_hour_s_energy_at_the_mean_of_its_quarters() -> None:
    start = datetime(2026, 1, 14, 8, tzinfo=UTC)
    slots = [SlotEnergy(start + Q * i, wh) for i, wh in enumerate((100, 0, 0, 900))]
    prices = {start + Q * i: Decimal(p) for i, p in enumerate((10, 20, 30, -40))}
    quarter = slot_ledger(slots, prices, tariff(), "15m")
    hourly = slot_ledger(slots, prices, tariff(), "1h")
    assert (
        sum((c.money.energy_eur for c in quarter if c.money), Decimal(0))
        == Decimal("0.1") * 10 / 1000 + Decimal("0.9") * -40 / 1000
    )
    assert (
        sum((c.money.energy_eur for c in hourly if c.money), Decimal(0))
        == Decimal("1.0") * Decimal(5) / 1000
    )  # mean (10 + 20 + 30 − 40) / 4 = 5
    assert {c.spot_eur_mwh for c in hourly} == {Decimal(5)}


def test_before_october_2025_the_hour_s_own_price_serves_both_views() -> None:
    hour = datetime(2025, 9, 10, 8, tzinfo=UTC)
    prices = quarter_prices([PriceSlot(hour, hour + timedelta(hours=1), Decimal("55.5"))])
    slots = [SlotEnergy(hour + Q * i, 250) for i in range(4)]
    settings = {"network_day_c_kwh": "6.07", "network_night_c_kwh": "3.51"}
    for view in ("1h", "15m"):
        costs = slot_ledger(slots, prices, tariff(**settings), view)
        assert [c.spot_eur_mwh for c in costs] == [Decimal("55.5")] * 4
        assert costs[0].money is not None
        assert costs[0].money.rates.vat_percent == 24


def test_vat_was_22_percent_until_june_2025() -> None:
    june = datetime(2025, 6, 30, 8, tzinfo=UTC)
    july = datetime(2025, 7, 1, 8, tzinfo=UTC)
    settings = {"network_day_c_kwh": "6.07", "network_night_c_kwh": "3.51"}
    costs = slot_ledger(
        [SlotEnergy(june, 1000), SlotEnergy(july, 1000)],
        {june: Decimal(0), july: Decimal(0)},
        tariff(**settings),
        "15m",
    )
    assert [c.money.rates.vat_percent for c in costs if c.money] == [22, 24]


def test_an_hour_missing_a_quarter_price_is_unpriced_in_the_hourly_view() -> None:
    start = datetime(2026, 1, 14, 8, tzinfo=UTC)
    prices = {start + Q * i: Decimal(1) for i in range(3)}
    assert hourly_mean_prices(prices) == {}
    costs = slot_ledger([SlotEnergy(start, 5)], prices, tariff(), "1h")
    assert costs[0].money is None
    assert not costs[0].gap


def test_negative_prices_lower_the_bill_and_the_export_revenue() -> None:
    start = datetime(2026, 5, 10, 9, tzinfo=UTC)  # a Sunday noon
    [cost] = slot_ledger([SlotEnergy(start, 400, 2000)], {start: Decimal(-10)}, tariff(), "15m")
    assert cost.money is not None
    assert cost.money.energy_eur == Decimal("-0.004")
    assert cost.money.export_eur == Decimal("-0.02")  # exporting at a negative price costs
    assert cost.window == "night"


def test_dst_days_have_23_and_25_hour_rows() -> None:
    rates = tariff()
    for day, hours in (
        (datetime(2026, 3, 29, tzinfo=TALLINN), 23),
        (datetime(2026, 10, 25, tzinfo=TALLINN), 25),
    ):
        start = day.astimezone(UTC)
        count = hours * 4
        slots = [SlotEnergy(start + Q * i, 10) for i in range(count + 4)]  # and 1 h of the next
        prices = {slot.start: Decimal(50) for slot in slots}
        costs = slot_ledger(slots, prices, rates, "15m")
        days = cost_rows(costs, "1d", rates)
        assert [row.slots for row in days] == [count, 4]
        assert days[0].end - days[0].start == timedelta(hours=hours)
        assert days[0].import_kwh == Decimal(count) / 100
        assert len(cost_rows(costs, "1h", rates)) == hours + 1


def test_a_row_without_any_priced_slot_has_no_money() -> None:
    start = datetime(2026, 1, 14, 8, tzinfo=UTC)
    costs = slot_ledger(
        [SlotEnergy(start + Q * i, 5, gap=True) for i in range(4)], {}, tariff(), "15m"
    )
    [row] = cost_rows(costs, "1h", tariff())
    assert row.total_eur is None
    assert row.energy_eur is None
    assert (row.slots, row.gap_slots, row.complete) == (4, 4, False)
