"""[prices] and [tariff] settings, and the effective tariff from presets and overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hanport.costs.errors import CostSettingError, TariffError
from hanport.costs.settings import (
    PRICES_KEYS,
    TARIFF_KEYS,
    PricesSettings,
    prices_settings,
    tariff_settings,
)
from hanport.costs.tariff import build_tariff
from hanport.settings.values import ConfigError, Raw


def raw(**values: object) -> Raw:
    return {key: (value, f"HANPORT_TARIFF_{key.upper()}") for key, value in values.items()}


def test_keys_cover_the_issue() -> None:
    assert PRICES_KEYS == ("source", "url", "entsoe_token")
    for key in (
        "network",
        "seller",
        "billing",
        "apartment",
        "vat_percent",
        "network_restday_peak_c_kwh",
        "balancing_c_kwh",
        "export_margin_c_kwh",
    ):
        assert key in TARIFF_KEYS


def test_prices_defaults_and_entsoe() -> None:
    assert prices_settings({}) == PricesSettings("elering", "https://dashboard.elering.ee", None)
    settings = prices_settings({"source": ("entsoe", "x"), "entsoe_token": ("secret", "y")})
    assert settings.url == "https://web-api.tp.entsoe.eu/api"
    assert "secret" not in repr(settings)
    offline = prices_settings({"url": ("http://127.0.0.1:8080/", "HANPORT_PRICES_URL")})
    assert offline.url == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"source": ("nordpool", "prices.source")}, "prices.source must be one of"),
        ({"source": ("entsoe", "prices.source")}, "entsoe_token"),
        ({"url": ("ftp://x", "HANPORT_PRICES_URL")}, "HANPORT_PRICES_URL must be an http"),
    ],
)
def test_prices_problems_name_the_setting(values: Raw, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        prices_settings(values)
    assert fragment in str(caught.value)
    assert isinstance(caught.value, CostSettingError)
    assert caught.value.text("et") != str(caught.value)


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        (raw(network="vork9"), "HANPORT_TARIFF_NETWORK names no known network package"),
        (raw(seller="cheap"), "HANPORT_TARIFF_SELLER must be one of spot, fixed"),
        (raw(seller="fixed"), "seller_fixed_c_kwh"),
        (raw(billing="30m"), "must be one of 1h, 15m"),
        (raw(vat_percent="240"), "HANPORT_TARIFF_VAT_PERCENT must be a price"),
        (raw(network_day_c_kwh="607,0"), "from -100 to 500 c/kWh"),
        (raw(renewable_c_kwh="0.9 from 2027-13-01"), "RENEWABLE_C_KWH"),
        (raw(renewable_c_kwh="1; 2"), "RENEWABLE_C_KWH"),
        (raw(seller_monthly_eur=True), "SELLER_MONTHLY_EUR"),
        (raw(apartment="maybe"), "true or false"),
    ],
)
def test_tariff_problems_name_the_setting(values: Raw, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(")):
        tariff_settings(values)


def test_defaults_price_a_2026_day_on_vork2() -> None:
    tariff = build_tariff(tariff_settings({}))
    rates = tariff.rates(date(2026, 1, 15))
    assert rates.network_c_kwh == {"day": Decimal("6.07"), "night": Decimal("3.51")}
    assert (rates.renewable_c_kwh, rates.excise_c_kwh) == (Decimal("0.84"), Decimal("0.21"))
    assert (rates.supply_security_c_kwh, rates.balancing_c_kwh) == (
        Decimal("0.758"),
        Decimal("0.373"),
    )
    assert rates.vat_percent == 24
    assert tariff.settings.billing == "1h"


def test_overrides_win_from_their_own_date() -> None:
    tariff = build_tariff(
        tariff_settings(
            raw(
                renewable_c_kwh="0.95 from 2027-01-01",
                network_day_c_kwh="6,50",
                seller_margin_c_kwh="0.4; 0.6 from 2026-07-01",
            )
        )
    )
    assert tariff.rates(date(2026, 12, 31)).renewable_c_kwh == Decimal("0.84")  # the preset
    assert tariff.rates(date(2027, 1, 1)).renewable_c_kwh == Decimal("0.95")
    assert tariff.rates(date(2026, 1, 1)).network_c_kwh["day"] == Decimal("6.50")
    assert tariff.rates(date(2026, 6, 30)).seller_margin_c_kwh == Decimal("0.4")
    assert tariff.rates(date(2026, 7, 1)).seller_margin_c_kwh == Decimal("0.6")


def test_a_day_before_the_preset_names_the_setting_in_both_languages() -> None:
    tariff = build_tariff(tariff_settings({}))
    with pytest.raises(TariffError) as caught:
        tariff.rates(date(2025, 7, 31))
    assert "network_day_c_kwh" in str(caught.value)
    assert "starts on 2025-08-01" in str(caught.value)
    assert "algab kuupäeval 2025-08-01" in caught.value.text("et")
    with_history = build_tariff(
        tariff_settings(raw(network_day_c_kwh="6.07", network_night_c_kwh="3.51"))
    )
    assert with_history.rates(date(2025, 7, 31)).network_c_kwh["night"] == Decimal("3.51")


def test_custom_network_takes_every_price_from_the_settings() -> None:
    with pytest.raises(TariffError, match="custom"):
        build_tariff(tariff_settings(raw(network="custom"))).rates(date(2026, 1, 1))
    tariff = build_tariff(
        tariff_settings(
            raw(
                network="custom",
                network_day_c_kwh="5",
                network_night_c_kwh="3",
                network_monthly_eur="9.99",
            )
        )
    )
    assert tariff.scheme == "day-night"
    assert tariff.monthly(date(2026, 1, 1)).network_eur == Decimal("9.99")


@pytest.mark.parametrize(
    ("network", "fuse_a", "apartment", "expected"),
    [
        ("elektrilevi-vork2", Decimal(25), False, Decimal("8.57")),
        ("elektrilevi-vork2", Decimal(35), False, Decimal("12.58")),  # next larger size: 40 A
        ("elektrilevi-vork2", Decimal(10), False, Decimal("5.81")),
        ("elektrilevi-vork2", Decimal(80), False, Decimal("37.48")),  # above 63 A: doubled
        ("elektrilevi-vork1", Decimal(25), True, Decimal("2.12")),  # apartment
        ("elektrilevi-vma2", Decimal(100), False, Decimal("58.19")),  # 29.19 + 100 × 0.29
    ],
)
def test_monthly_fee_rules(
    network: str, fuse_a: Decimal, apartment: bool, expected: Decimal
) -> None:
    settings = tariff_settings(raw(network=network, apartment=apartment), fuse_a=fuse_a)
    assert build_tariff(settings).monthly(date(2026, 3, 1)).network_eur == expected


def test_monthly_fee_changing_within_a_month_counts_by_days() -> None:
    settings = tariff_settings(raw(network_monthly_eur="10; 20 from 2026-04-16"))
    assert build_tariff(settings).monthly(date(2026, 4, 1)).network_eur == Decimal(15)


def test_vma2_needs_a_fuse_over_63_a() -> None:
    with pytest.raises(TariffError, match="over 63 A"):
        build_tariff(tariff_settings(raw(network="elektrilevi-vma2"), fuse_a=Decimal(63)))


def test_imatra_after_its_public_list_asks_for_the_bill_s_prices() -> None:
    tariff = build_tariff(
        tariff_settings(raw(network="imatra-partner1212-pluss"), fuse_a=Decimal(25), phases=1)
    )
    assert tariff.monthly(date(2021, 1, 1)).network_eur == Decimal("3.150")  # 25 A × 0.126
    with pytest.raises(TariffError, match="end on 2022-03-31"):
        tariff.rates(date(2024, 1, 1))


def test_fixed_contract_and_all_in_price() -> None:
    tariff = build_tariff(tariff_settings(raw(seller="fixed", seller_fixed_c_kwh="12")))
    # 2026-01-15 12:00 Tallinn is a weekday day slot: (12 + 6.07 + 0.84 + 0.21 + 0.758 + 0.373)
    # × 1.24 / 100 EUR/kWh, whatever the spot price
    moment = datetime(2026, 1, 15, 10, tzinfo=UTC)
    expected = (
        (
            Decimal("12")
            + Decimal("6.07")
            + Decimal("0.84")
            + Decimal("0.21")
            + Decimal("0.758")
            + Decimal("0.373")
        )
        * Decimal("1.24")
        / 100
    )
    assert tariff.all_in_eur_kwh(moment, Decimal(999)) == expected
