"""A hand-computed month, checked to the cent in both billing views.

February 2026, Võrk 2, 3 × 25 A house, spot contract with a 0.50 c/kWh margin and a 1.99 EUR
monthly fee. Every hour the household uses 700 Wh: 100, 150, 200 and 250 Wh in its four
quarters. The day-ahead price of an hour is 120 EUR/MWh from 07:00 to 22:00 Tallinn time
and 80 EUR/MWh otherwise, every day; its four quarters cost the hour's price −3, −1, +1 and
+3 EUR/MWh (so the hour's mean is the hour's price).

The month: 28 days, 672 hours, 470.4 kWh. 1 Feb 2026 is a Sunday; 20 weekdays, one of them a
holiday (Tuesday 24 Feb, Independence Day), so 19 working days.
    network day    19 working days × 15 h × 0.7 kWh = 199.5 kWh; night 470.4 − 199.5 = 270.9
    price hours    28 × 15 = 420 h at 120, 252 h at 80

Seller's bill
    energy, hourly view   0.7 × (420 × 0.120 + 252 × 0.080) = 0.7 × 70.56 = 49.392 → 49.39
    energy, 15-min view   each hour also pays (100 × −3 + 150 × −1 + 200 × 1 + 250 × 3) Wh ×
                          EUR/MWh = 0.0005 EUR; 672 × 0.0005 = 0.336; 49.728 → 49.73
    margin                470.4 × 0.0050 = 2.352 → 2.35
    balancing fee         470.4 × 0.00373 = 1.754592 → 1.75
    monthly fee           1.99
    total excl. VAT       hourly 55.48; 15-min 55.82
    VAT 24 %              hourly 13.3152 → 13.32; 15-min 13.3968 → 13.40
    total                 hourly 68.80; 15-min 69.22

Network bill (the same in both views)
    day      199.5 × 0.0607 = 12.10965 → 12.11
    night    270.9 × 0.0351 = 9.50859 → 9.51
    renewable energy fee   470.4 × 0.0084 = 3.95136 → 3.95
    excise                 470.4 × 0.0021 = 0.98784 → 0.99
    security of supply     470.4 × 0.00758 = 3.565632 → 3.57
    monthly fee (25 A)     8.57
    total excl. VAT        38.70; VAT 24 % 9.288 → 9.29; total 47.99

Both bills: hourly 116.79 EUR, 15-min 117.21 EUR.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hanport.costs.aggregate import cost_rows
from hanport.costs.bill import month_bill
from hanport.costs.energy import SlotEnergy
from hanport.costs.ledger import slot_ledger
from hanport.costs.settings import tariff_settings
from hanport.costs.tariff import Tariff, build_tariff

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 2, 1, tzinfo=TALLINN).astimezone(UTC)
END = datetime(2026, 3, 1, tzinfo=TALLINN).astimezone(UTC)
QUARTER_WH = (100, 150, 200, 250)
QUARTER_OFFSET = (-3, -1, 1, 3)


def month() -> tuple[list[SlotEnergy], dict[datetime, Decimal]]:
    energies: list[SlotEnergy] = []
    prices: dict[datetime, Decimal] = {}
    moment = START
    while moment < END:
        index = moment.minute // 15
        energies.append(SlotEnergy(moment, QUARTER_WH[index]))
        hour_price = 120 if 7 <= moment.astimezone(TALLINN).hour < 22 else 80
        prices[moment] = Decimal(hour_price + QUARTER_OFFSET[index])
        moment += timedelta(minutes=15)
    return energies, prices


def tariff() -> Tariff:
    settings = tariff_settings(
        {
            "seller_margin_c_kwh": ("0.50", "tariff.seller_margin_c_kwh"),
            "seller_monthly_eur": ("1.99", "tariff.seller_monthly_eur"),
        },
        fuse_a=Decimal(25),
    )
    return build_tariff(settings)


@pytest.mark.parametrize(
    ("billing", "energy", "seller_vat", "seller_total", "total"),
    [
        ("1h", "49.39", "13.32", "68.80", "116.79"),
        ("15m", "49.73", "13.40", "69.22", "117.21"),
    ],
)
def test_february_2026_to_the_cent(
    billing: str, energy: str, seller_vat: str, seller_total: str, total: str
) -> None:
    energies, prices = month()
    assert len(energies) == 2688
    costs = slot_ledger(energies, prices, tariff(), billing)  # type: ignore[arg-type]
    bill = month_bill(costs, START.astimezone(TALLINN).date(), tariff())
    lines = {line.item: line for line in bill.lines}
    assert lines["network_day"].quantity == Decimal("199.5")
    assert lines["network_night"].quantity == Decimal("270.9")
    assert {item: line.eur for item, line in lines.items()} == {
        "energy": Decimal(energy),
        "margin": Decimal("2.35"),
        "balancing": Decimal("1.75"),
        "seller_monthly": Decimal("1.99"),
        "network_day": Decimal("12.11"),
        "network_night": Decimal("9.51"),
        "renewable": Decimal("3.95"),
        "excise": Decimal("0.99"),
        "supply_security": Decimal("3.57"),
        "network_monthly": Decimal("8.57"),
    }
    assert lines["network_day"].unit_price == Decimal("6.07")
    assert bill.total("network") == Decimal("38.70")
    assert bill.network_vat_eur == Decimal("9.29")
    assert bill.network_total_eur == Decimal("47.99")
    assert bill.seller_vat_eur == Decimal(seller_vat)
    assert bill.seller_total_eur == Decimal(seller_total)
    assert bill.total_eur == Decimal(total)
    assert bill.import_kwh == Decimal("470.4")
    assert bill.complete

    [row] = cost_rows(costs, "1mo", tariff())
    assert row.total_eur == Decimal(total)
    assert row.energy_eur == Decimal(energy)
    assert row.network_eur == Decimal("21.62")
    assert row.network_monthly_eur == Decimal("8.57")
    assert row.seller_monthly_eur == Decimal("1.99")
    assert row.vat_eur == Decimal("9.29") + Decimal(seller_vat)
    assert (row.start, row.end) == (START, END)

    days = cost_rows(costs, "1d", tariff())
    assert len(days) == 28
    variable = sum((day.total_eur or Decimal(0) for day in days), Decimal(0))
    fixed_with_vat = (Decimal("8.57") + Decimal("1.99")) * Decimal("1.24")
    # the days are exact; the bill rounds each line, so they differ by rounding only
    assert abs(variable + fixed_with_vat - Decimal(total)) < Decimal("0.05")


def test_a_gap_is_never_priced_as_zero() -> None:
    energies, prices = month()
    energies[100] = SlotEnergy(energies[100].start, 0, 0, gap=True)
    del prices[energies[200].start]
    costs = slot_ledger(energies, prices, tariff(), "15m")
    assert costs[100].money is None
    assert costs[100].gap
    assert costs[200].money is None
    assert not costs[200].gap
    bill = month_bill(costs, START.astimezone(TALLINN).date(), tariff())
    assert (bill.gap_slots, bill.unpriced_slots, bill.complete) == (1, 1, False)
    hourly = cost_rows(costs, "1h", tariff())
    assert hourly[25].gap_slots == 1
    assert hourly[25].total_eur is not None
