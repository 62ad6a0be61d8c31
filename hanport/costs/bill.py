"""A month's bills as Estonian bills are written: lines rounded to the cent, VAT on the total.

An Elektrilevi network bill and a seller's bill each list lines "quantity × unit price =
amount" computed from VAT-exclusive prices, every amount rounded to the cent (half up); VAT is
then added to each bill's total and rounded once (per VAT rate, if a rate changed within the
month). A line exists per distinct unit price, so a price change within a month gives two lines.

Network bill: network energy per window (day, night, peak, rest-day peak), renewable-energy
fee, excise, security-of-supply fee, the monthly connection fee, and for packages over 63 A
the capacity (kasutusvõimsus) charge on the month's billed peak. Seller bill: energy (the
day-ahead price, or a fixed price), margin, balancing-capacity fee, monthly fee. Export revenue
is a separate line without VAT. Fixed monthly fees are the month's in full (a price change
within the month counts by days), whether or not the meter data covers the whole month.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hanport.costs.energy import SlotEnergy
from hanport.costs.ledger import SlotCost
from hanport.costs.peaks import MonthPeak, month_peak
from hanport.costs.tariff import Tariff

__all__ = ["BillLine", "MonthBill", "cents", "month_bill"]

_CENT = Decimal("0.01")
_ORDER = (
    "network_day",
    "network_night",
    "network_peak",
    "network_restday_peak",
    "renewable",
    "excise",
    "supply_security",
    "energy",
    "margin",
    "balancing",
    "export",
)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class BillLine:
    bill: str
    """"network", "seller" or "export"."""
    item: str
    """energy, margin, balancing, network_day, network_night, network_peak,
    network_restday_peak, renewable, excise, supply_security, network_monthly, capacity,
    seller_monthly, export."""
    quantity: Decimal | None
    """kWh for energy lines, kW for capacity, None for monthly fees."""
    unit_price: Decimal | None
    """c/kWh for per-kWh lines, EUR/kW for capacity; None for the day-ahead energy line,
    whose price changes every slot."""
    eur: Decimal
    vat_percent: Decimal | None


@dataclass(frozen=True)
class MonthBill:
    month: date
    lines: tuple[BillLine, ...]
    network_vat_eur: Decimal
    seller_vat_eur: Decimal
    import_kwh: Decimal
    export_kwh: Decimal
    slots: int
    gap_slots: int
    unpriced_slots: int
    peak: MonthPeak | None

    def total(self, bill: str) -> Decimal:
        return sum((line.eur for line in self.lines if line.bill == bill), Decimal(0))

    def item(self, name: str) -> Decimal:
        return sum((line.eur for line in self.lines if line.item == name), Decimal(0))

    @property
    def network_total_eur(self) -> Decimal:
        return self.total("network") + self.network_vat_eur

    @property
    def seller_total_eur(self) -> Decimal:
        return self.total("seller") + self.seller_vat_eur

    @property
    def total_eur(self) -> Decimal:
        """Both bills with VAT: what the energy bought costs (export revenue not deducted)."""
        return self.network_total_eur + self.seller_total_eur

    @property
    def export_eur(self) -> Decimal:
        return self.total("export")

    @property
    def complete(self) -> bool:
        return not self.gap_slots and not self.unpriced_slots


def month_bill(costs: Sequence[SlotCost], month: date, tariff: Tariff) -> MonthBill:
    """The bills of the month containing `month` from that month's slots (others are ignored
    by the caller's choice: pass only the month's slots)."""
    first = month.replace(day=1)
    groups: dict[tuple[str, str, Decimal | None, Decimal | None], list[Decimal]] = {}
    import_kwh = export_kwh = Decimal(0)
    gaps = unpriced = 0
    for cost in costs:
        import_kwh += cost.import_kwh
        export_kwh += cost.export_kwh
        money = cost.money
        if money is None:
            gaps += cost.gap
            unpriced += not cost.gap
            continue
        _add_lines(groups, cost)
    fees = tariff.monthly(first)
    vat = tariff.rates(first).vat_percent
    lines = [
        BillLine(bill, item, quantity, unit, cents(amount), rate)
        for (bill, item, unit, rate), (quantity, amount) in sorted(
            groups.items(), key=lambda entry: _ORDER.index(entry[0][1])
        )
        if item == "energy" or unit != 0
    ]
    lines.append(BillLine("network", "network_monthly", None, None, cents(fees.network_eur), vat))
    peak = None
    if tariff.capacity is not None:
        peak = month_peak(_energies(costs), tariff.capacity)
        lines.append(
            BillLine(
                "network",
                "capacity",
                peak.kw,
                fees.capacity_eur_kw,
                cents(peak.kw * fees.capacity_eur_kw),
                vat,
            )
        )
    if fees.seller_eur:
        lines.append(BillLine("seller", "seller_monthly", None, None, cents(fees.seller_eur), vat))
    return MonthBill(
        first,
        tuple(lines),
        _vat(lines, "network"),
        _vat(lines, "seller"),
        import_kwh,
        export_kwh,
        len(costs),
        gaps,
        unpriced,
        peak,
    )


def _add_lines(
    groups: dict[tuple[str, str, Decimal | None, Decimal | None], list[Decimal]],
    cost: SlotCost,
) -> None:
    money = cost.money
    assert money is not None
    rates = money.rates
    vat = rates.vat_percent
    kwh = cost.import_kwh
    fixed = rates.seller_fixed_c_kwh
    entries = (
        ("seller", "energy", fixed, kwh, money.energy_eur),
        ("seller", "margin", rates.seller_margin_c_kwh, kwh, money.margin_eur),
        ("seller", "balancing", rates.balancing_c_kwh, kwh, money.balancing_eur),
        (
            "network",
            f"network_{cost.window}",
            rates.network_c_kwh[cost.window],
            kwh,
            money.network_eur,
        ),
        ("network", "renewable", rates.renewable_c_kwh, kwh, money.renewable_eur),
        ("network", "excise", rates.excise_c_kwh, kwh, money.excise_eur),
        ("network", "supply_security", rates.supply_security_c_kwh, kwh, money.supply_security_eur),
    )
    for bill, item, unit, quantity, amount in entries:
        if item == "margin" and fixed is not None:
            continue
        total = groups.setdefault((bill, item, unit, vat), [Decimal(0), Decimal(0)])
        total[0] += quantity
        total[1] += amount
    if cost.export_kwh:
        total = groups.setdefault(("export", "export", None, None), [Decimal(0), Decimal(0)])
        total[0] += cost.export_kwh
        total[1] += money.export_eur


def _vat(lines: Iterable[BillLine], bill: str) -> Decimal:
    bases: dict[Decimal, Decimal] = {}
    for line in lines:
        if line.bill == bill and line.vat_percent is not None:
            bases[line.vat_percent] = bases.get(line.vat_percent, Decimal(0)) + line.eur
    return sum((cents(base * rate / 100) for rate, base in bases.items()), Decimal(0))


def _energies(costs: Iterable[SlotCost]) -> list[SlotEnergy]:
    return [
        SlotEnergy(cost.start, cost.import_kwh * 1000, cost.export_kwh * 1000, cost.gap)
        for cost in costs
    ]
