"""Ledger rows per 15 minutes, hour, day and month, on the Tallinn calendar.

Quarter, hour and day rows sum their slots exactly (a day has 92, 96 or 100 quarters); month
rows are the month's bills (`hanport.costs.bill`): lines rounded to the cent as the bills
round them, the fixed monthly fees, and VAT per bill. So the days of a month can differ from
its month row by the rounding of the bill's lines, never more than a cent per line.

A row none of whose slots was priced has None for every money figure; a row with some gaps
sums the priced slots and says how many were not (`gap_slots`, `unpriced_slots`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from hanport.costs.bill import MonthBill, month_bill
from hanport.costs.ledger import SlotCost
from hanport.costs.slots import QUARTER
from hanport.costs.tariff import Tariff

__all__ = ["MONEY_FIELDS", "CostRow", "Step", "cost_rows", "month_row"]

TALLINN = ZoneInfo("Europe/Tallinn")
Step = Literal["15m", "1h", "1d", "1mo"]
MONEY_FIELDS = (
    "energy_eur",
    "margin_eur",
    "balancing_eur",
    "network_eur",
    "renewable_eur",
    "excise_eur",
    "supply_security_eur",
    "network_monthly_eur",
    "capacity_eur",
    "seller_monthly_eur",
    "vat_eur",
    "total_eur",
    "export_eur",
)


@dataclass(frozen=True, slots=True)
class CostRow:
    """One row of the ledger: energy in kWh, money in EUR (excluding VAT except `vat_eur` and
    `total_eur`, which is everything bought, VAT included; `export_eur` is revenue, apart)."""

    start: datetime
    end: datetime
    import_kwh: Decimal
    export_kwh: Decimal
    energy_eur: Decimal | None
    margin_eur: Decimal | None
    balancing_eur: Decimal | None
    network_eur: Decimal | None
    renewable_eur: Decimal | None
    excise_eur: Decimal | None
    supply_security_eur: Decimal | None
    network_monthly_eur: Decimal | None
    capacity_eur: Decimal | None
    seller_monthly_eur: Decimal | None
    vat_eur: Decimal | None
    total_eur: Decimal | None
    export_eur: Decimal | None
    slots: int
    gap_slots: int
    unpriced_slots: int

    @property
    def complete(self) -> bool:
        return not self.gap_slots and not self.unpriced_slots


def cost_rows(costs: Sequence[SlotCost], step: Step, tariff: Tariff) -> list[CostRow]:
    """The slots (in time order) as rows of `step`."""
    if step == "1mo":
        return [
            month_row(month_bill(group, start.astimezone(TALLINN).date(), tariff))
            for start, _, group in _groups(costs, step)
        ]
    return [_sum_row(start, end, group) for start, end, group in _groups(costs, step)]


def month_row(bill: MonthBill) -> CostRow:
    """A month's bill as a ledger row."""
    start = datetime.combine(bill.month, time(0), TALLINN).astimezone(UTC)
    priced = bill.slots - bill.gap_slots - bill.unpriced_slots
    energy = {
        name: (bill.item(item) if priced else None)
        for name, item in (
            ("energy_eur", "energy"),
            ("margin_eur", "margin"),
            ("balancing_eur", "balancing"),
            ("renewable_eur", "renewable"),
            ("excise_eur", "excise"),
            ("supply_security_eur", "supply_security"),
        )
    }
    network = sum(
        (
            line.eur
            for line in bill.lines
            if line.item.startswith("network_") and line.item != "network_monthly"
        ),
        Decimal(0),
    )
    return CostRow(
        start=start,
        end=_end(start, "1mo"),
        import_kwh=bill.import_kwh,
        export_kwh=bill.export_kwh,
        network_eur=network if priced else None,
        network_monthly_eur=bill.item("network_monthly"),
        capacity_eur=bill.item("capacity"),
        seller_monthly_eur=bill.item("seller_monthly"),
        vat_eur=bill.network_vat_eur + bill.seller_vat_eur,
        total_eur=bill.total_eur,
        export_eur=bill.export_eur if priced else None,
        slots=bill.slots,
        gap_slots=bill.gap_slots,
        unpriced_slots=bill.unpriced_slots,
        **energy,
    )


def _sum_row(start: datetime, end: datetime, costs: Sequence[SlotCost]) -> CostRow:
    sums = dict.fromkeys(MONEY_FIELDS, Decimal(0))
    import_kwh = export_kwh = Decimal(0)
    priced = gaps = 0
    for cost in costs:
        import_kwh += cost.import_kwh
        export_kwh += cost.export_kwh
        money = cost.money
        if money is None:
            gaps += cost.gap
            continue
        priced += 1
        sums["energy_eur"] += money.energy_eur
        sums["margin_eur"] += money.margin_eur
        sums["balancing_eur"] += money.balancing_eur
        sums["network_eur"] += money.network_eur
        sums["renewable_eur"] += money.renewable_eur
        sums["excise_eur"] += money.excise_eur
        sums["supply_security_eur"] += money.supply_security_eur
        sums["vat_eur"] += money.vat_eur
        sums["total_eur"] += money.total_eur
        sums["export_eur"] += money.export_eur
    money_fields: dict[str, Decimal | None] = (
        dict(sums) if priced else dict.fromkeys(MONEY_FIELDS, None)
    )
    return CostRow(
        start=start,
        end=end,
        import_kwh=import_kwh,
        export_kwh=export_kwh,
        slots=len(costs),
        gap_slots=gaps,
        unpriced_slots=len(costs) - priced - gaps,
        **money_fields,
    )


def _groups(
    costs: Iterable[SlotCost], step: str
) -> list[tuple[datetime, datetime, list[SlotCost]]]:
    """Consecutive slots by period; a period's start and end are worked out once."""
    key = _STARTS[step]
    groups: list[tuple[datetime, datetime, list[SlotCost]]] = []
    for cost in costs:
        if groups and groups[-1][0] <= cost.start < groups[-1][1]:
            groups[-1][2].append(cost)
        else:
            start = key(cost.start)
            groups.append((start, _end(start, step), [cost]))
    return groups


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), TALLINN).astimezone(UTC)


_STARTS: dict[str, Callable[[datetime], datetime]] = {
    "15m": lambda moment: moment,
    "1h": lambda moment: moment.replace(minute=0, second=0, microsecond=0),
    "1d": lambda moment: _midnight(moment.astimezone(TALLINN).date()),
    "1mo": lambda moment: _midnight(moment.astimezone(TALLINN).date().replace(day=1)),
}


def _end(start: datetime, step: str) -> datetime:
    if step == "15m":
        return start + QUARTER
    if step == "1h":
        return start + timedelta(hours=1)
    local = start.astimezone(TALLINN).date()
    if step == "1d":
        following = local + timedelta(days=1)
    else:
        following = (local.replace(day=28) + timedelta(days=4)).replace(day=1)
    return _midnight(following)
