"""Tariff presets as data and the Tallinn time-of-use windows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hanport.costs.presets import national_fees, network_packages
from hanport.costs.windows import is_rest_day, window

TALLINN = ZoneInfo("Europe/Tallinn")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TALLINN)  # type: ignore[arg-type, misc]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 1, 14, 6, 45), "night"),  # a Wednesday before 07:00
        (at(2026, 1, 14, 7, 0), "day"),
        (at(2026, 1, 14, 21, 45), "day"),
        (at(2026, 1, 14, 22, 0), "night"),
        (at(2026, 1, 17, 12, 0), "night"),  # Saturday
        (at(2026, 2, 24, 12, 0), "night"),  # Independence Day, a Tuesday
        (at(2026, 6, 23, 12, 0), "night"),  # Victory Day
        (at(2026, 7, 14, 12, 0), "day"),  # summer time: still 07–22 on the local clock
    ],
)
def test_elektrilevi_day_night(moment: datetime, expected: str) -> None:
    assert window("day-night", moment) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 1, 14, 9, 0), "peak"),
        (at(2026, 1, 14, 11, 45), "peak"),
        (at(2026, 1, 14, 12, 0), "day"),
        (at(2026, 1, 14, 16, 0), "peak"),
        (at(2026, 1, 14, 20, 0), "day"),
        (at(2026, 1, 17, 17, 0), "restday_peak"),  # Saturday evening
        (at(2026, 1, 17, 12, 0), "night"),
        (at(2026, 2, 24, 10, 0), "night"),  # a holiday has no day peak …
        (at(2026, 2, 24, 18, 0), "restday_peak"),  # … but the rest-day peak
        (at(2026, 4, 14, 10, 0), "day"),  # April: no peaks
        (at(2025, 11, 3, 10, 0), "peak"),  # November: peaks again
    ],
)
def test_vork5_peaks_only_november_to_march(moment: datetime, expected: str) -> None:
    assert window("day-night-peaks", moment) == expected


def test_imatra_seasonal_windows_follow_winter_and_summer_time() -> None:
    assert window("seasonal-day-night", at(2021, 1, 13, 22, 30)) == "day"  # winter: 07–23
    assert window("seasonal-day-night", at(2021, 1, 13, 7, 0)) == "day"
    assert window("seasonal-day-night", at(2021, 7, 14, 7, 30)) == "night"  # summer: 08–24
    assert window("seasonal-day-night", at(2021, 7, 14, 23, 30)) == "day"
    assert window("seasonal-day-night", at(2021, 7, 17, 12, 0)) == "night"  # weekend


def test_rest_days_come_from_the_holidays_package() -> None:
    assert is_rest_day(date(2026, 4, 3))  # Good Friday
    assert is_rest_day(date(2026, 12, 24))
    assert not is_rest_day(date(2026, 12, 23))


def test_presets_hold_the_august_2025_price_list() -> None:
    packages = network_packages()
    assert set(packages) >= {
        "elektrilevi-vork1",
        "elektrilevi-vork2",
        "elektrilevi-vork4",
        "elektrilevi-vork5",
        "elektrilevi-vma2",
    }
    vork5 = packages["elektrilevi-vork5"].price_list(date(2026, 1, 1))
    assert vork5 is not None
    assert dict(vork5.energy_c_kwh) == {
        "day": Decimal("5.29"),
        "night": Decimal("3.03"),
        "peak": Decimal("8.18"),
        "restday_peak": Decimal("4.74"),
    }
    assert vork5.valid_from == date(2025, 8, 1)
    assert "1. august 2025" in vork5.source
    vork4 = packages["elektrilevi-vork4"].price_list(date(2026, 1, 1))
    assert vork4 is not None
    assert dict(vork4.monthly_eur)[25] == Decimal("23.70")
    assert packages["elektrilevi-vork2"].price_list(date(2025, 7, 31)) is None
    vma2 = packages["elektrilevi-vma2"]
    assert vma2.capacity is not None
    assert vma2.capacity.combine == "max"
    assert vma2.price_lists[0].capacity_eur_kw_month == Decimal("2.45")


def test_imatra_presets_end_where_the_public_lists_end() -> None:
    package = network_packages()["imatra-partner1212"]
    assert package.price_list(date(2022, 3, 31)) is not None
    assert package.price_list(date(2022, 4, 1)) is None


def test_national_fees_have_valid_from_steps() -> None:
    fees = national_fees()
    vat = fees["vat_percent"]
    assert vat.in_force(date(2025, 6, 30)).value == 22  # type: ignore[union-attr]
    assert vat.in_force(date(2025, 7, 1)).value == 24  # type: ignore[union-attr]
    assert fees["supply_security_c_kwh"].in_force(date(2025, 12, 31)).value == 0  # type: ignore[union-attr]
    assert fees["supply_security_c_kwh"].in_force(date(2026, 1, 1)).value == Decimal("0.758")  # type: ignore[union-attr]
    assert fees["balancing_c_kwh"].bill == "seller"
    assert fees["excise_c_kwh"].in_force(date(2025, 5, 1)).value == Decimal("0.21")  # type: ignore[union-attr]
    assert fees["renewable_c_kwh"].in_force(date(2023, 12, 31)) is None
    for fee in fees.values():
        assert all(
            step.source and step.confidence in ("verified", "secondary", "unverified")
            for step in fee.steps
        )
