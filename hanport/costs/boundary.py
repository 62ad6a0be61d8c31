"""The ledger's slots from (moment, import Wh, export Wh) readings, by the DSO's boundary rule
(`hanport.store.boundary`, which the rollups use too)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from hanport.costs.energy import SlotEnergy
from hanport.store.boundary import slot_energies

__all__ = ["quarter_energies", "slot_energies"]


def quarter_energies(
    readings: Iterable[tuple[datetime, int | None, int | None]],
    max_gap: timedelta = timedelta(minutes=5),
) -> Iterator[SlotEnergy]:
    """Ledger slots from (moment, import register Wh, export register Wh) readings; a meter
    without an export register gives None there (counted as 0). Readings without an import
    register are skipped."""
    samples = (
        (moment, (imported, exported or 0))
        for moment, imported, exported in readings
        if imported is not None
    )
    for slot in slot_energies(samples, max_gap):
        yield SlotEnergy(slot.start, slot.growth_wh[0], slot.growth_wh[1], slot.gap)
