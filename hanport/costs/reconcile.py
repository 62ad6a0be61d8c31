"""The DSO's hourly data against hanport's own, hour by hour, and DSO data as ledger input."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from hanport.costs.dso import DsoInterval
from hanport.costs.energy import SlotEnergy
from hanport.costs.slots import HOUR, QUARTER

__all__ = ["HourDifference", "dso_slot_energies", "hour_differences"]


@dataclass(frozen=True, slots=True)
class HourDifference:
    """One hour (UTC start) as the DSO and hanport measured it; None where one side has no
    complete data. `*_diff_wh` is hanport minus the DSO."""

    start: datetime
    dso_import_wh: Decimal | None
    han_import_wh: Decimal | None
    dso_export_wh: Decimal | None
    han_export_wh: Decimal | None
    estimated: bool

    @property
    def import_diff_wh(self) -> Decimal | None:
        return _diff(self.han_import_wh, self.dso_import_wh)

    @property
    def export_diff_wh(self) -> Decimal | None:
        return _diff(self.han_export_wh, self.dso_export_wh)


def dso_slot_energies(intervals: Iterable[DsoInterval]) -> list[SlotEnergy]:
    """DSO intervals as 15-minute ledger slots: an hour's energy in four equal parts.

    That is how the DSO itself bills an hourly-metered customer on 15-minute prices (ERR
    2025-09-30): the hour's consumption is split into four equal quarters. Quarters of an
    estimated (prognoositud) hour are kept, not marked as gaps; the file says which they are.
    """
    slots: list[SlotEnergy] = []
    for interval in intervals:
        parts = int((interval.end - interval.start) / QUARTER)
        if parts < 1 or interval.start + QUARTER * parts != interval.end:
            continue  # not on the quarter grid: left out rather than guessed
        exported = interval.export_wh or Decimal(0)
        for index in range(parts):
            slots.append(
                SlotEnergy(
                    interval.start + QUARTER * index,
                    interval.import_wh / parts,
                    exported / parts,
                )
            )
    return slots


def hour_differences(dso: Iterable[DsoInterval], han: Iterable[SlotEnergy]) -> list[HourDifference]:
    """Every hour either side has, in time order. A HAN hour counts only with all four quarters
    gap-free; a DSO hour without an export column has no export figure."""
    dso_hours: dict[datetime, _Hour] = {}
    for interval in dso:
        entry = dso_hours.setdefault(_hour(interval.start), _Hour())
        entry.add(interval.import_wh, interval.export_wh, gap=False)
        entry.estimated = entry.estimated or interval.estimated
    han_hours: dict[datetime, _Hour] = {}
    for slot in han:
        entry = han_hours.setdefault(_hour(slot.start), _Hour())
        entry.add(Decimal(slot.import_wh), Decimal(slot.export_wh), gap=slot.gap)
    result: list[HourDifference] = []
    for hour in sorted(dso_hours.keys() | han_hours.keys()):
        theirs = dso_hours.get(hour)
        ours = han_hours.get(hour)
        complete = ours is not None and ours.parts == 4 and not ours.gap
        result.append(
            HourDifference(
                hour,
                theirs.import_wh if theirs else None,
                ours.import_wh if complete and ours else None,
                theirs.export_wh if theirs else None,
                ours.export_wh if complete and ours else None,
                theirs.estimated if theirs else False,
            )
        )
    return result


@dataclass
class _Hour:
    import_wh: Decimal | None = Decimal(0)
    export_wh: Decimal | None = Decimal(0)
    parts: int = 0
    gap: bool = False
    estimated: bool = False

    def add(self, imported: Decimal | None, exported: Decimal | None, gap: bool) -> None:
        self.import_wh = (
            None if self.import_wh is None or imported is None else (self.import_wh + imported)
        )
        self.export_wh = (
            None if self.export_wh is None or exported is None else (self.export_wh + exported)
        )
        self.parts += 1
        self.gap = self.gap or gap


def _hour(moment: datetime) -> datetime:
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % int(HOUR.total_seconds()), UTC)


def _diff(han: Decimal | None, dso: Decimal | None) -> Decimal | None:
    return None if han is None or dso is None else han - dso
