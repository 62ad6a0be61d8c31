"""The slot ledger: what every 15-minute slot cost, component by component.

For each slot: the energy in and out (from the rollups' registers, never from power samples),
the day-ahead price, the seller's energy and margin, the network price of the slot's window,
the national fees, VAT and the total, and the export revenue. Two billing views:

* "15m": each quarter at its own price;
* "1h": each quarter at the mean of its hour's four quarter prices, so an hour costs its energy
  × that mean, as the DSO bills a customer whose meter is read hourly (before 1 Oct 2025 the
  hour's own price).

A slot with a gap in the meter data, or without a price, gets no money figures at all (None),
never zero. Money stays exact here; rounding happens in the bill (`hanport.costs.bill`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from hanport.costs.energy import SlotEnergy
from hanport.costs.slots import QUARTER
from hanport.costs.tariff import DayRates, Tariff
from hanport.costs.windows import Window

__all__ = ["Billing", "SlotCost", "SlotMoney", "hourly_mean_prices", "slot_ledger"]

TALLINN = ZoneInfo("Europe/Tallinn")
Billing = Literal["15m", "1h"]
_THOUSAND = Decimal(1000)
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class SlotMoney:
    """The slot's money in EUR, exact; everything but `export_eur` is for energy bought."""

    energy_eur: Decimal
    """The seller's energy: kWh × the day-ahead price, or × the fixed price."""
    margin_eur: Decimal
    balancing_eur: Decimal
    network_eur: Decimal
    renewable_eur: Decimal
    excise_eur: Decimal
    supply_security_eur: Decimal
    vat_eur: Decimal
    total_eur: Decimal
    export_eur: Decimal
    """Revenue for the energy exported: kWh × (day-ahead price − export margin); no VAT."""
    rates: DayRates

    @property
    def network_bill_eur(self) -> Decimal:
        """The part on the network operator's bill, excluding VAT."""
        return self.network_eur + self.renewable_eur + self.excise_eur + self.supply_security_eur

    @property
    def seller_bill_eur(self) -> Decimal:
        return self.energy_eur + self.margin_eur + self.balancing_eur


@dataclass(frozen=True, slots=True)
class SlotCost:
    start: datetime
    window: Window
    import_kwh: Decimal
    export_kwh: Decimal
    spot_eur_mwh: Decimal | None
    """The price this billing view used for the slot (its own, or its hour's mean)."""
    gap: bool
    money: SlotMoney | None
    """None: a gap, or no price for the slot; it is shown, never counted as free."""

    @property
    def end(self) -> datetime:
        return self.start + QUARTER


def hourly_mean_prices(prices: Mapping[datetime, Decimal]) -> dict[datetime, Decimal]:
    """Each quarter → the mean of its UTC (= Tallinn) hour's four quarter prices; quarters of
    an hour missing any price are left out."""
    hours: dict[datetime, list[Decimal]] = {}
    for start, price in prices.items():
        hours.setdefault(_hour(start), []).append(price)
    mean: dict[datetime, Decimal] = {}
    for hour, values in hours.items():
        if len(values) == 4:
            price = sum(values, Decimal(0)) / 4
            for index in range(4):
                mean[hour + QUARTER * index] = price
    return mean


def slot_ledger(
    energies: Iterable[SlotEnergy],
    prices: Mapping[datetime, Decimal],
    tariff: Tariff,
    billing: Billing | None = None,
) -> list[SlotCost]:
    """The cost of every slot given, in the order given.

    `prices` maps each quarter's UTC start to EUR/MWh (`hanport.costs.slots.quarter_prices`);
    `billing` defaults to the tariff's setting.
    """
    view = billing or tariff.settings.billing
    used = hourly_mean_prices(prices) if view == "1h" else prices
    costs: list[SlotCost] = []
    for energy in energies:
        local = energy.start.astimezone(TALLINN)
        rates = tariff.rates(local.date())
        where = tariff.window(local)
        imported = Decimal(energy.import_wh) / _THOUSAND
        exported = Decimal(energy.export_wh) / _THOUSAND
        spot = used.get(energy.start)
        money = None
        if spot is not None and not energy.gap:
            money = _money(imported, exported, spot, rates, where)
        costs.append(SlotCost(energy.start, where, imported, exported, spot, energy.gap, money))
    return costs


def _money(
    imported: Decimal, exported: Decimal, spot: Decimal, rates: DayRates, where: Window
) -> SlotMoney:
    if rates.seller_fixed_c_kwh is not None:
        energy = imported * rates.seller_fixed_c_kwh / _HUNDRED
        margin = Decimal(0)
    else:
        energy = imported * spot / _THOUSAND
        margin = imported * rates.seller_margin_c_kwh / _HUNDRED
    balancing = imported * rates.balancing_c_kwh / _HUNDRED
    network = imported * rates.network_c_kwh[where] / _HUNDRED
    renewable = imported * rates.renewable_c_kwh / _HUNDRED
    excise = imported * rates.excise_c_kwh / _HUNDRED
    security = imported * rates.supply_security_c_kwh / _HUNDRED
    subtotal = energy + margin + balancing + network + renewable + excise + security
    vat = subtotal * rates.vat_percent / _HUNDRED
    revenue = exported * (spot / _THOUSAND - rates.export_margin_c_kwh / _HUNDRED)
    return SlotMoney(
        energy,
        margin,
        balancing,
        network,
        renewable,
        excise,
        security,
        vat,
        subtotal + vat,
        revenue,
        rates,
    )


def _hour(moment: datetime) -> datetime:
    """The start of the UTC hour, which is a Tallinn hour too (whole-hour offsets)."""
    return moment.replace(minute=0, second=0, microsecond=0)
