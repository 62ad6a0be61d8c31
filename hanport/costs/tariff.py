"""The effective tariff: a network preset, the national fees and the user's overrides.

`build_tariff(settings)` gives a `Tariff`; `tariff.rates(day)` is every per-kWh component in
force on a Tallinn calendar day, `tariff.window(local)` the time-of-use window of a moment and
`tariff.monthly(month)` the fixed fees of a month. A component the presets do not know for a
day (before the first price list, after the last known one, or a package without that price)
raises `TariffError` naming the [tariff] setting that supplies it; an override always wins,
from its own date on.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.costs.errors import TariffError
from hanport.costs.peaks import PeakRule
from hanport.costs.presets import (
    NationalFee,
    NetworkPackage,
    PriceList,
    national_fees,
    network_packages,
)
from hanport.costs.settings import Override, TariffSettings
from hanport.costs.windows import WINDOWS, Window, window
from hanport.i18n.catalogue import Message

__all__ = ["DayRates", "MonthlyFees", "Tariff", "build_tariff"]

TALLINN = ZoneInfo("Europe/Tallinn")
_SCHEME_WINDOWS: dict[str, tuple[Window, ...]] = {
    "flat": ("day",),
    "day-night": ("day", "night"),
    "seasonal-day-night": ("day", "night"),
    "day-night-peaks": WINDOWS,
}


@dataclass(frozen=True, slots=True)
class DayRates:
    """Every per-kWh component in force on one Tallinn day, c/kWh excluding VAT."""

    day: date
    network_c_kwh: Mapping[str, Decimal]
    renewable_c_kwh: Decimal
    excise_c_kwh: Decimal
    supply_security_c_kwh: Decimal
    balancing_c_kwh: Decimal
    vat_percent: Decimal
    seller_margin_c_kwh: Decimal
    seller_fixed_c_kwh: Decimal | None
    export_margin_c_kwh: Decimal

    @property
    def network_fees_c_kwh(self) -> Decimal:
        """The national fees on the network bill."""
        return self.renewable_c_kwh + self.excise_c_kwh + self.supply_security_c_kwh


@dataclass(frozen=True, slots=True)
class MonthlyFees:
    """A month's fixed fees, EUR excluding VAT; a price change within the month counts by days."""

    network_eur: Decimal
    seller_eur: Decimal
    capacity_eur_kw: Decimal
    """The price per kW of the month's billed peak (kasutusvõimsus); 0 if the package has none."""


class Tariff:
    def __init__(
        self,
        settings: TariffSettings,
        package: NetworkPackage | None,
        fees: Mapping[str, NationalFee],
    ) -> None:
        self.settings = settings
        self.package = package
        self.fees = fees
        self.scheme = package.windows if package else _custom_scheme(settings)
        self._rates: dict[date, DayRates] = {}
        if package and package.min_fuse_a and settings.fuse_a < package.min_fuse_a:
            raise TariffError(
                "costs.tariff_fuse",
                preset=package.key,
                limit=package.min_fuse_a - 1,
                fuse=settings.fuse_a,
            )

    @property
    def capacity(self) -> PeakRule | None:
        return self.package.capacity if self.package else None

    def window(self, local: datetime) -> Window:
        return window(self.scheme, local)

    def rates(self, day: date) -> DayRates:
        rates = self._rates.get(day)
        if rates is None:
            rates = self._rates[day] = self._day_rates(day)
        return rates

    def rates_at(self, moment: datetime) -> tuple[DayRates, Window]:
        """The rates and window of a moment (any time zone)."""
        local = moment.astimezone(TALLINN)
        return self.rates(local.date()), self.window(local)

    def all_in_eur_kwh(self, moment: datetime, spot_eur_mwh: Decimal) -> Decimal:
        """What one more kWh bought at `moment` costs, everything included (VAT too)."""
        rates, where = self.rates_at(moment)
        energy = (
            rates.seller_fixed_c_kwh
            if rates.seller_fixed_c_kwh is not None
            else spot_eur_mwh / 10 + rates.seller_margin_c_kwh
        )
        excl = energy + rates.network_c_kwh[where] + rates.network_fees_c_kwh
        excl += rates.balancing_c_kwh
        return excl * (1 + rates.vat_percent / 100) / 100

    def monthly(self, month: date) -> MonthlyFees:
        """The fixed fees of the month containing `month`: each day of the month carries
        1/days-in-month of the fee in force that day."""
        first = month.replace(day=1)
        days = calendar.monthrange(first.year, first.month)[1]
        network = seller = Decimal(0)
        for offset in range(days):
            day = first + timedelta(days=offset)
            network += self._network_monthly(day)
            seller += _value(self.settings.seller_monthly_eur, day)
        capacity = Decimal(0)
        if self.package and self.package.capacity:
            price_list = self.package.price_list(first)
            capacity = (price_list.capacity_eur_kw_month or Decimal(0)) if price_list else capacity
        return MonthlyFees(network / days, seller / days, capacity)

    def _day_rates(self, day: date) -> DayRates:
        settings = self.settings
        network: dict[str, Decimal] = {
            where: self._component(f"network_{where}_c_kwh", day, self._preset_energy(day, where))
            for where in _SCHEME_WINDOWS[self.scheme]
        }
        fees = {
            key: self._component(key, day, self._national(key, day))
            for key in (
                "renewable_c_kwh",
                "excise_c_kwh",
                "supply_security_c_kwh",
                "balancing_c_kwh",
                "vat_percent",
            )
        }
        fixed = settings.seller_fixed_c_kwh
        return DayRates(
            day=day,
            network_c_kwh=network,
            renewable_c_kwh=fees["renewable_c_kwh"],
            excise_c_kwh=fees["excise_c_kwh"],
            supply_security_c_kwh=fees["supply_security_c_kwh"],
            balancing_c_kwh=fees["balancing_c_kwh"],
            vat_percent=fees["vat_percent"],
            seller_margin_c_kwh=_value(settings.seller_margin_c_kwh, day),
            seller_fixed_c_kwh=fixed.value(day, None)
            if fixed is not None and settings.seller == "fixed"
            else None,
            export_margin_c_kwh=_value(settings.export_margin_c_kwh, day),
        )

    def _component(self, key: str, day: date, preset: tuple[Decimal | None, _Why]) -> Decimal:
        override = self.settings.components.get(key, _NONE)
        return _need(override.value(day, preset[0]), day, key, preset[1])

    def _preset_energy(self, day: date, where: str) -> tuple[Decimal | None, _Why]:
        if self.package is None:
            return None, _Why("costs.tariff_custom")
        price_list = self.package.price_list(day)
        if price_list is None:
            return None, self._missing(day)
        value = price_list.energy_c_kwh.get(where)
        if value is None and where in ("peak", "restday_peak"):
            value = price_list.energy_c_kwh.get("day")
        if value is None:
            return None, _Why("costs.tariff_not_in_package", {"preset": self.package.key})
        return value, _Why("costs.tariff_custom")

    def _national(self, key: str, day: date) -> tuple[Decimal | None, _Why]:
        step = self.fees[key].in_force(day)
        if step is None:
            first = self.fees[key].steps[0].valid_from
            return None, _Why("costs.tariff_before", {"preset": "national.toml", "first": first})
        return step.value, _Why("costs.tariff_custom")

    def _network_monthly(self, day: date) -> Decimal:
        preset: tuple[Decimal | None, _Why]
        if self.package is None:
            preset = (None, _Why("costs.tariff_custom"))
        else:
            price_list = self.package.price_list(day)
            preset = (
                (_connection_fee(price_list, self.settings), _Why("costs.tariff_custom"))
                if price_list
                else (None, self._missing(day))
            )
        return self._component("network_monthly_eur", day, preset)

    def _missing(self, day: date) -> _Why:
        assert self.package is not None
        if day < self.package.first_day:
            return _Why(
                "costs.tariff_before", {"preset": self.package.key, "first": self.package.first_day}
            )
        last = self.package.price_lists[-1].valid_until
        return _Why("costs.tariff_after", {"preset": self.package.key, "last": last})


_NONE = Override(())


def build_tariff(settings: TariffSettings) -> Tariff:
    """The tariff of the settings, with the shipped presets."""
    package = None if settings.network == "custom" else network_packages()[settings.network]
    return Tariff(settings, package, national_fees())


def _connection_fee(price_list: PriceList, settings: TariffSettings) -> Decimal:
    fee = Decimal(0)
    if price_list.monthly_eur:
        fee += _fuse_fee(price_list, settings)
    if price_list.base_monthly_eur is not None:
        fee += price_list.base_monthly_eur
    per_ampere = price_list.throughput_eur_a_month
    if settings.phases == 1 and price_list.throughput_1phase_eur_a_month is not None:
        per_ampere = price_list.throughput_1phase_eur_a_month
    if per_ampere is not None:
        fee += per_ampere * settings.fuse_a
    return fee


def _fuse_fee(price_list: PriceList, settings: TariffSettings) -> Decimal:
    """Elektrilevi's rule: the apartment fee for a flat, else the listed size at or above the
    fuse ("the next larger size applies"); above the largest listed size, twice its fee."""
    if settings.apartment and price_list.apartment_eur is not None:
        return price_list.apartment_eur
    for fuse_a, fee in price_list.monthly_eur:
        if settings.fuse_a <= fuse_a:
            return fee
    return 2 * price_list.monthly_eur[-1][1]


def _custom_scheme(settings: TariffSettings) -> str:
    components = settings.components
    if "network_peak_c_kwh" in components or "network_restday_peak_c_kwh" in components:
        return "day-night-peaks"
    return "day-night" if "network_night_c_kwh" in components else "flat"


def _value(override: Override, day: date) -> Decimal:
    value = override.value(day, None)
    return Decimal(0) if value is None else value


@dataclass(frozen=True)
class _Why:
    """Why a preset has no value for a day: a `[costs]` code and its parameters, made into a
    sentence only when the value is needed and missing."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


def _need(value: Decimal | None, day: date, key: str, why: _Why) -> Decimal:
    if value is None:
        raise TariffError(
            "costs.tariff_unknown",
            what=Message(f"costs.component_{key}"),
            day=day.isoformat(),
            why=Message(why.code, **why.params),
            key=key,
            env=key.upper(),
        )
    return value
