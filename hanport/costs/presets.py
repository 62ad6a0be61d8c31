"""The tariff presets shipped in `hanport/costs/presets/*.toml`, read into dataclasses.

Every number there is data with a valid-from date and a source, never a constant in code; a
new price list is a new `[[package.prices]]` entry (or fee step) in those files.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from hanport.costs.errors import TariffError
from hanport.costs.peaks import PeakRule
from hanport.costs.windows import SCHEMES

__all__ = [
    "FEES",
    "NationalFee",
    "NetworkPackage",
    "PriceList",
    "Step",
    "national_fees",
    "network_packages",
]

FEES = (
    "renewable_c_kwh",
    "excise_c_kwh",
    "supply_security_c_kwh",
    "balancing_c_kwh",
    "vat_percent",
)
_PACKAGE_FILES = ("elektrilevi.toml", "imatra.toml")


@dataclass(frozen=True)
class Step:
    valid_from: date
    value: Decimal
    source: str
    confidence: str


@dataclass(frozen=True)
class NationalFee:
    bill: str
    """"network", "seller" or "both" (VAT)."""
    steps: tuple[Step, ...]

    def in_force(self, day: date) -> Step | None:
        found = None
        for step in self.steps:
            if step.valid_from <= day:
                found = step
        return found


@dataclass(frozen=True)
class PriceList:
    """One price list of a package, in force from `valid_from` to the next list (or to
    `valid_until`, inclusive, when nothing later is known)."""

    valid_from: date
    valid_until: date | None
    source: str
    confidence: str
    energy_c_kwh: Mapping[str, Decimal]
    """Window ("day", "night", "peak", "restday_peak") → price."""
    monthly_eur: tuple[tuple[int, Decimal], ...] = ()
    """(fuse A, monthly fee) in ascending fuse order."""
    apartment_eur: Decimal | None = None
    base_monthly_eur: Decimal | None = None
    throughput_eur_a_month: Decimal | None = None
    throughput_1phase_eur_a_month: Decimal | None = None
    capacity_eur_kw_month: Decimal | None = None


@dataclass(frozen=True)
class NetworkPackage:
    key: str
    name: str
    operator: str
    windows: str
    price_lists: tuple[PriceList, ...]
    min_fuse_a: int | None = None
    capacity: PeakRule | None = None
    """The peak rule of a package that charges kasutusvõimsus (its price is per price list)."""

    def price_list(self, day: date) -> PriceList | None:
        found = None
        for entry in self.price_lists:
            if entry.valid_from <= day:
                found = entry
        if found is not None and found.valid_until is not None and day > found.valid_until:
            return None
        return found

    @property
    def first_day(self) -> date:
        return self.price_lists[0].valid_from


@cache
def network_packages() -> dict[str, NetworkPackage]:
    packages: dict[str, NetworkPackage] = {}
    for name in _PACKAGE_FILES:
        for raw in _load(name).get("package", []):
            package = _package(raw, name)
            packages[package.key] = package
    return packages


@cache
def national_fees() -> dict[str, NationalFee]:
    document = _load("national.toml")
    try:
        return {
            key: NationalFee(
                str(document[key]["bill"]),
                tuple(_step(raw) for raw in document[key]["steps"]),
            )
            for key in FEES
        }
    except (KeyError, TypeError, ValueError) as error:
        raise TariffError("costs.preset_bad", name="national.toml", detail=repr(error)) from None


def _load(name: str) -> dict[str, Any]:
    try:
        text = files("hanport.costs").joinpath("presets").joinpath(name).read_text("utf-8")
        return tomllib.loads(text, parse_float=Decimal)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TariffError("costs.preset_bad", name=name, detail=str(error)) from None


def _package(raw: dict[str, Any], name: str) -> NetworkPackage:
    try:
        if raw["windows"] not in SCHEMES:
            raise ValueError(f"windows {raw['windows']!r}")
        capacity = raw.get("capacity")
        lists = tuple(
            sorted(
                (_price_list(entry) for entry in raw["prices"]), key=lambda entry: entry.valid_from
            )
        )
        return NetworkPackage(
            key=str(raw["key"]),
            name=str(raw["name"]),
            operator=str(raw["operator"]),
            windows=str(raw["windows"]),
            price_lists=lists,
            min_fuse_a=int(raw["min_fuse_a"]) if "min_fuse_a" in raw else None,
            capacity=PeakRule(int(capacity["period_min"]), str(capacity["combine"]))  # type: ignore[arg-type]
            if capacity
            else None,
        )
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise TariffError("costs.preset_bad", name=name, detail=repr(error)) from None


def _price_list(raw: dict[str, Any]) -> PriceList:
    energy = {
        window: _decimal(raw[f"{window}_c_kwh"])
        for window in ("day", "night", "peak", "restday_peak")
        if f"{window}_c_kwh" in raw
    }
    monthly = tuple(
        sorted((int(fuse), _decimal(fee)) for fuse, fee in raw.get("monthly_eur", {}).items())
    )
    return PriceList(
        valid_from=_date(raw["valid_from"]),
        valid_until=_date(raw["valid_until"]) if "valid_until" in raw else None,
        source=str(raw["source"]),
        confidence=str(raw["confidence"]),
        energy_c_kwh=energy,
        monthly_eur=monthly,
        apartment_eur=_optional(raw, "apartment_eur"),
        base_monthly_eur=_optional(raw, "base_monthly_eur"),
        throughput_eur_a_month=_optional(raw, "throughput_eur_a_month"),
        throughput_1phase_eur_a_month=_optional(raw, "throughput_1phase_eur_a_month"),
        capacity_eur_kw_month=_optional(raw, "capacity_eur_kw_month"),
    )


def _step(raw: dict[str, Any]) -> Step:
    return Step(
        _date(raw["valid_from"]), _decimal(raw["value"]), str(raw["source"]), str(raw["confidence"])
    )


def _date(value: object) -> date:
    if not isinstance(value, date):
        raise ValueError(f"date {value!r}")
    return value


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"number {value!r}")
    return Decimal(value)


def _optional(raw: dict[str, Any], key: str) -> Decimal | None:
    return _decimal(raw[key]) if key in raw else None
