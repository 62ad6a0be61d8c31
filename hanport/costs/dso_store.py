"""A DSO's consumption intervals kept in the store's records (kind "dso_energy"), per meter:

    kind "dso_energy", meter, time = the interval's start (UTC), key "",
    data = {"end": datetime, "import_wh": Decimal, "export_wh": Decimal | None, "estimated": bool}

The ledger takes the energy of a quarter from them where hanport has no rollup of its own
(before it was installed, or in a gap). Blocking store I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from hanport.costs.dso import DsoInterval
from hanport.costs.energy import SlotEnergy
from hanport.costs.errors import CostError
from hanport.costs.reconcile import dso_slot_energies
from hanport.store import Store
from hanport.store.base import Record, RecordStore

__all__ = ["KIND", "dso_energies", "put_intervals", "stored_intervals"]

KIND = "dso_energy"


def put_intervals(store: Store, meter: str, intervals: Iterable[DsoInterval]) -> int:
    if not isinstance(store, RecordStore):
        raise CostError("costs.no_records")
    records = [
        Record(
            KIND,
            meter,
            interval.start,
            "",
            {
                "end": interval.end,
                "import_wh": interval.import_wh,
                "export_wh": interval.export_wh,
                "estimated": interval.estimated,
            },
        )
        for interval in intervals
    ]
    if records:
        store.put_records(KIND, records)
    return len(records)


def stored_intervals(store: Store, meter: str, start: datetime, end: datetime) -> list[DsoInterval]:
    if not isinstance(store, RecordStore):
        return []
    found = []
    for record in store.records(KIND, start, end, meter):
        data = record.data
        ends, imported, exported = data.get("end"), data.get("import_wh"), data.get("export_wh")
        if not isinstance(ends, datetime) or not isinstance(imported, Decimal):
            continue
        found.append(
            DsoInterval(
                record.time,
                ends,
                imported,
                exported if isinstance(exported, Decimal) else None,
                bool(data.get("estimated")),
            )
        )
    return found


def dso_energies(
    store: Store, meter: str, start: datetime, end: datetime
) -> dict[datetime, SlotEnergy]:
    """Quarter start → the DSO's energy for it (an hour in four equal parts)."""
    return {
        slot.start: slot
        for slot in dso_slot_energies(stored_intervals(store, meter, start, end))
        if start <= slot.start < end
    }
