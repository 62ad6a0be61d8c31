"""The ledger over what the store holds: a meter's 15-minute rollups and the stored prices.

Blocking store reads (run it in a worker thread). The energy comes from the rollups' registers
(by the DSO's boundary rule); a rollup with a gap, or a quarter without a stored rollup, is a
gap, never priced as zero; an open quarter (`partial`) is priced as it stands.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hanport.costs.dso_store import dso_energies
from hanport.costs.energy import SlotEnergy
from hanport.costs.ledger import Billing, SlotCost, slot_ledger
from hanport.costs.price_store import stored_prices
from hanport.costs.slots import QUARTER, quarter_floor, quarter_prices
from hanport.costs.tariff import Tariff
from hanport.store import Store

__all__ = ["han_energies", "ledger_from_store", "prices_index", "stored_energies"]

_HOUR = 4 * QUARTER


def han_energies(store: Store, meter: str, start: datetime, end: datetime) -> list[SlotEnergy]:
    """hanport's own quarters of [start, end) from the rollups, as stored."""
    return [
        SlotEnergy(rollup.start, rollup.energy_import_wh, rollup.energy_export_wh, rollup.gap)
        for rollup in store.series(meter, "15m", start, end)
    ]


def stored_energies(store: Store, meter: str, start: datetime, end: datetime) -> list[SlotEnergy]:
    """Every quarter of [start, end) up to the newest one known: hanport's rollup, else the
    DSO's imported data (`hanport import dso`), else a gap."""
    found = {slot.start: slot for slot in han_energies(store, meter, start, end)}
    dso = dso_energies(store, meter, start, end)
    for moment, slot in dso.items():
        if moment not in found or found[moment].gap:
            found[moment] = slot
    if not found:
        return []
    last = max(found)
    slots: list[SlotEnergy] = []
    moment = quarter_floor(start)
    while moment <= last:
        slots.append(found.get(moment) or SlotEnergy(moment, 0, 0, True))
        moment += QUARTER
    return slots


def prices_index(store: Store, start: datetime, end: datetime) -> dict[datetime, Decimal]:
    """Quarter → EUR/MWh from the stored prices, an hour on each side included (for the hourly
    billing view's means)."""
    return quarter_prices(stored_prices(store, start - _HOUR, end + _HOUR))


def ledger_from_store(
    store: Store,
    meter: str,
    start: datetime,
    end: datetime,
    tariff: Tariff,
    billing: Billing | None = None,
) -> list[SlotCost]:
    return slot_ledger(
        stored_energies(store, meter, start, end), prices_index(store, start, end), tariff, billing
    )
