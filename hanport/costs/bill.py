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
from hanport.costs.tariff import DayRates, Tariff

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
    """The bills of the month containing `month` from that month's slots (pass only those)."""
    first = month.replace(day=1)
    buckets: dict[tuple[int, str], _Bucket] = {}
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
        key = (id(money.rates), cost.window)
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = _Bucket(money.rates, cost.window)
        bucket.kwh += cost.import_kwh
        bucket.energy_eur += money.energy_eur
        bucket.export_kwh += cost.export_kwh
        bucket.export_eur += money.export_eur
    lines = _energy_lines(buckets.values())
    fees = tariff.monthly(first)
    vat = tariff.rates(first).vat_percent
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


@dataclass
class _Bucket:
    """The priced slots of one day's rates and one window: every per-kWh line of the bill is
    the bucket's kWh × its unit price, which is exactly the sum of the slots' amounts."""

    rates: DayRates
    window: str
    kwh: Decimal = Decimal(0)
    energy_eur: Decimal = Decimal(0)
    export_kwh: Decimal = Decimal(0)
    export_eur: Decimal = Decimal(0)


def _energy_lines(buckets: Iterable[_Bucket]) -> list[BillLine]:
    groups: dict[tuple[str, str, Decimal | None, Decimal | None], list[Decimal]] = {}

    def add(
        bill: str, item: str, unit: Decimal | None, vat: Decimal | None, kwh: Decimal, eur: Decimal
    ) -> None:
        total = groups.setdefault((bill, item, unit, vat), [Decimal(0), Decimal(0)])
        total[0] += kwh
        total[1] += eur

    for bucket in buckets:
        rates, kwh, vat = bucket.rates, bucket.kwh, bucket.rates.vat_percent
        fixed = rates.seller_fixed_c_kwh
        add("seller", "energy", fixed, vat, kwh, bucket.energy_eur)
        if fixed is None:
            add(
                "seller",
                "margin",
                rates.seller_margin_c_kwh,
                vat,
                kwh,
                kwh * rates.seller_margin_c_kwh / 100,
            )
        for bill, item, unit in (
            ("seller", "balancing", rates.balancing_c_kwh),
            ("network", f"network_{bucket.window}", rates.network_c_kwh[bucket.window]),
            ("network", "renewable", rates.renewable_c_kwh),
            ("network", "excise", rates.excise_c_kwh),
            ("network", "supply_security", rates.supply_security_c_kwh),
        ):
            add(bill, item, unit, vat, kwh, kwh * unit / 100)
        if bucket.export_kwh:
            add("export", "export", None, None, bucket.export_kwh, bucket.export_eur)
    return [
        BillLine(bill, item, quantity, unit, cents(amount), rate)
        for (bill, item, unit, rate), (quantity, amount) in sorted(
            groups.items(), key=lambda entry: _ORDER.index(entry[0][1])
        )
        if item == "energy" or unit != 0
    ]


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
