"""The `[prices]` and `[tariff]` sections: where prices come from and what the bill adds.

    [prices]
    source = "elering"        # HANPORT_PRICES_SOURCE: elering (no key), entsoe or none
    url = "https://dashboard.elering.ee"   # HANPORT_PRICES_URL: the provider's base URL
    entsoe_token = "…"        # HANPORT_PRICES_ENTSOE_TOKEN: needed for source = "entsoe"

    [tariff]
    network = "elektrilevi-vork2"   # a preset (see NETWORK_CHOICES) or "custom"
    seller = "spot"           # spot (day-ahead price + margin) or fixed
    seller_margin_c_kwh = 0.5 # the seller's margin on the spot price
    seller_fixed_c_kwh = 12.9 # the price of a fixed contract
    seller_monthly_eur = 1.99 # the seller's monthly fee
    export_margin_c_kwh = 0.3 # what the seller keeps of the spot price for exported energy
    billing = "1h"            # 1h (the hour's energy at its mean price) or 15m
    apartment = false         # the flat's share of the building's fuse is at most 16 A
    network_day_c_kwh = 6.07  # … and network_night_c_kwh, network_peak_c_kwh,
                              # network_restday_peak_c_kwh, network_monthly_eur,
                              # renewable_c_kwh, excise_c_kwh, supply_security_c_kwh,
                              # balancing_c_kwh, vat_percent: override one component

Every price excludes VAT. A price is a number, or steps with dates from which they apply:
`"0.84; 0.95 from 2027-01-01"` keeps 0.84 until the end of 2026 and uses 0.95 after, and
`"0.95 from 2027-01-01"` keeps the preset until then. Environment variables are
HANPORT_PRICES_<NAME> and HANPORT_TARIFF_<NAME>. The main fuse and the phases come from [site].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal, cast
from urllib.parse import urlsplit

from hanport.costs.errors import CostSettingError
from hanport.costs.presets import network_packages
from hanport.costs.prices_elering import ELERING_URL
from hanport.costs.prices_entsoe import ENTSOE_URL
from hanport.settings.values import Raw, boolean

__all__ = [
    "COMPONENT_KEYS",
    "PRICES_KEYS",
    "TARIFF_KEYS",
    "Override",
    "PricesSettings",
    "TariffSettings",
    "network_choices",
    "prices_settings",
    "tariff_settings",
]

PRICES_KEYS = ("source", "url", "entsoe_token")
COMPONENT_KEYS = (
    "network_day_c_kwh",
    "network_night_c_kwh",
    "network_peak_c_kwh",
    "network_restday_peak_c_kwh",
    "network_monthly_eur",
    "renewable_c_kwh",
    "excise_c_kwh",
    "supply_security_c_kwh",
    "balancing_c_kwh",
    "vat_percent",
)
TARIFF_KEYS = (
    "network",
    "seller",
    "seller_margin_c_kwh",
    "seller_fixed_c_kwh",
    "seller_monthly_eur",
    "export_margin_c_kwh",
    "billing",
    "apartment",
    *COMPONENT_KEYS,
)
_LIMITS = {  # plausible bounds: a typo such as 607 for 6.07 c/kWh is caught, real prices pass
    "c_kwh": (Decimal(-100), Decimal(500), "c/kWh"),
    "eur": (Decimal(0), Decimal(10_000), "EUR"),
    "percent": (Decimal(0), Decimal(100), "%"),
}


@dataclass(frozen=True)
class PricesSettings:
    source: Literal["elering", "entsoe", "none"] = "elering"
    url: str = ELERING_URL
    entsoe_token: str | None = None

    def __repr__(self) -> str:  # never print the token
        token = ", entsoe_token=***" if self.entsoe_token else ""
        return f"PricesSettings(source={self.source!r}, url={self.url!r}{token})"


@dataclass(frozen=True)
class Override:
    """A user's value for one component: steps of (from-day or None for always, value)."""

    steps: tuple[tuple[date | None, Decimal], ...]

    def value(self, day: date, preset: Decimal | None) -> Decimal | None:
        chosen = preset
        for since, value in self.steps:
            if since is None or since <= day:
                chosen = value
        return chosen

    @classmethod
    def always(cls, value: Decimal | int | str) -> Override:
        return cls(((None, Decimal(value)),))


_ZERO = Override.always(0)


@dataclass(frozen=True)
class TariffSettings:
    network: str = "elektrilevi-vork2"
    seller: Literal["spot", "fixed"] = "spot"
    seller_margin_c_kwh: Override = _ZERO
    seller_fixed_c_kwh: Override | None = None
    seller_monthly_eur: Override = _ZERO
    export_margin_c_kwh: Override = _ZERO
    billing: Literal["1h", "15m"] = "1h"
    apartment: bool = False
    fuse_a: Decimal = Decimal(25)
    phases: int = 3
    components: dict[str, Override] = field(default_factory=dict)
    """The per-component overrides given (keys from COMPONENT_KEYS)."""


def network_choices() -> tuple[str, ...]:
    return (*network_packages(), "custom")


def prices_settings(raw: Raw) -> PricesSettings:
    source = _choice(raw.get("source"), "elering", ("elering", "entsoe", "none"))
    default_url = ENTSOE_URL if source == "entsoe" else ELERING_URL
    url = _url(raw.get("url"), default_url)
    item = raw.get("entsoe_token")
    token = str(item[0]).strip() if item is not None and item[0] not in ("", None) else None
    if source == "entsoe" and not token:
        raise CostSettingError("costs.setting_token")
    return PricesSettings(cast(Literal["elering", "entsoe", "none"], source), url, token)


def tariff_settings(raw: Raw, fuse_a: Decimal = Decimal(25), phases: int = 3) -> TariffSettings:
    """The [tariff] section; `fuse_a` and `phases` are the site's ([site] fuse_a, phases)."""
    network = _network(raw.get("network"))
    seller = _choice(raw.get("seller"), "spot", ("spot", "fixed"))
    fixed = _price(raw.get("seller_fixed_c_kwh"), "c_kwh")
    if seller == "fixed" and fixed is None:
        raise CostSettingError("costs.setting_fixed")
    components = {
        key: override
        for key in COMPONENT_KEYS
        if (override := _price(raw.get(key), _kind(key))) is not None
    }
    return TariffSettings(
        network=network,
        seller=cast(Literal["spot", "fixed"], seller),
        seller_margin_c_kwh=_price(raw.get("seller_margin_c_kwh"), "c_kwh") or _ZERO,
        seller_fixed_c_kwh=fixed,
        seller_monthly_eur=_price(raw.get("seller_monthly_eur"), "eur") or _ZERO,
        export_margin_c_kwh=_price(raw.get("export_margin_c_kwh"), "c_kwh") or _ZERO,
        billing=cast(Literal["1h", "15m"], _choice(raw.get("billing"), "1h", ("1h", "15m"))),
        apartment=boolean(raw.get("apartment"), False),
        fuse_a=fuse_a,
        phases=phases,
        components=components,
    )


def _kind(key: str) -> str:
    return next(kind for kind in _LIMITS if key.endswith(kind))


def _choice(item: tuple[object, str] | None, default: str, choices: tuple[str, ...]) -> str:
    if item is None or item[0] in ("", None):
        return default
    value = str(item[0]).strip().lower()
    if value not in choices:
        raise CostSettingError(
            "costs.setting_choice", where=item[1], choices=", ".join(choices), value=item[0]
        )
    return value


def _network(item: tuple[object, str] | None) -> str:
    if item is None or item[0] in ("", None):
        return "elektrilevi-vork2"
    value = str(item[0]).strip().lower()
    if value not in network_choices():
        raise CostSettingError(
            "costs.setting_network",
            where=item[1],
            value=item[0],
            choices=", ".join(network_packages()),
        )
    return value


def _url(item: tuple[object, str] | None, default: str) -> str:
    if item is None or item[0] in ("", None):
        return default
    value = str(item[0]).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CostSettingError("costs.setting_url", where=item[1], value=item[0])
    return value.rstrip("/")


def _price(item: tuple[object, str] | None, kind: str) -> Override | None:
    if item is None or item[0] in ("", None):
        return None
    value, where = item
    low, high, unit = _LIMITS[kind]
    problem = CostSettingError(
        "costs.setting_price", where=where, low=low, high=high, unit=unit, value=value
    )
    if isinstance(value, bool):
        raise problem
    steps: list[tuple[date | None, Decimal]] = []
    for part in str(value).split(";"):
        step = _step(part)
        if step is None or not low <= step[1] <= high:
            raise problem
        steps.append(step)
    days = [since for since, _ in steps]
    if days.count(None) > 1 or len(set(days)) != len(days):
        raise problem
    steps.sort(key=lambda step: (step[0] is not None, step[0] or date.min))
    return Override(tuple(steps))


def _step(text: str) -> tuple[date | None, Decimal] | None:
    words = text.split()
    since: date | None = None
    if len(words) == 3 and words[1].lower() in ("from", "alates"):
        try:
            since = date.fromisoformat(words[2])
        except ValueError:
            return None
        words = words[:1]
    if len(words) != 1:
        return None
    try:
        number = Decimal(words[0].replace(",", "."))
    except InvalidOperation:
        return None
    return (since, number) if number.is_finite() else None
