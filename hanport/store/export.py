"""`hanport export`: readings or rollups of a time range as CSV or JSON lines.

Raw readings use exactly the `Reading` field names; rollups have one row per closed period with
the energy from the registers, min/mean/max per quantity, and `legacy` (1 for a period kept as
an older hanport computed it). Long exports go day by day (bounded memory) and show a progress
bar with the rows so far on a terminal. Works with any `Store`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TextIO

from hanport.model import READING_FIELDS, Reading
from hanport.output import reading_json, value_json
from hanport.store.base import Rollup, Store
from hanport.store.rollups import STAT_FIELDS

__all__ = ["ROLLUP_COLUMNS", "Progress", "export"]

ROLLUP_COLUMNS = (
    "start",
    "readings",
    "energy_import_wh",
    "energy_export_wh",
    "gap",
    "reset",
    "legacy",
    *(f"{name}_{part}" for name in STAT_FIELDS for part in ("min", "mean", "max")),
)
_READING_COLUMNS = tuple(name for name in READING_FIELDS if name != "extra")
Progress = Callable[[float, int], None]
"""Told the share of the period done (0 to 1) and the rows written so far."""
_EVERY_ROWS = 1000


def export(
    store: Store,
    meter: str,
    start: datetime,
    end: datetime,
    step: str | None,
    form: str,
    out: TextIO,
    progress: Progress | None = None,
) -> int:
    """Write the range to `out`; return the number of rows."""
    rows = 0
    writer = csv.writer(out) if form == "csv" else None
    if writer is not None:
        writer.writerow(_READING_COLUMNS if step is None else ROLLUP_COLUMNS)
    span = end - start
    for day_start, day_end in _days(start, end):
        if step is None:
            for reading in store.readings(meter, day_start, day_end):
                _write_reading(reading, writer, out)
                rows += 1
                moment = reading.meter_time or reading.received_at
                if progress is not None and rows % _EVERY_ROWS == 0 and moment is not None:
                    progress(min(max((moment - start) / span, 0.0), 1.0), rows)  # within a day
        else:
            for rollup in store.series(meter, step, day_start, day_end):
                if not rollup.partial:  # the open period is exported once it has closed
                    _write_rollup(rollup, writer, out)
                    rows += 1
        if progress is not None:
            progress((day_end - start) / span, rows)
    return rows


def _days(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    current = start
    while current < end:
        following = min(current + timedelta(days=1), end)
        yield current, following
        current = following


def _write_reading(reading: Reading, writer: Any, out: TextIO) -> None:
    if writer is None:
        out.write(reading_json(reading) + "\n")
        return
    row = []
    for name in _READING_COLUMNS:
        value = getattr(reading, name)
        row.append(
            "" if value is None else value.isoformat() if isinstance(value, datetime) else value
        )
    writer.writerow(row)


def _write_rollup(rollup: Rollup, writer: Any, out: TextIO) -> None:
    values: list[object] = [
        rollup.start.isoformat(),
        rollup.readings,
        rollup.energy_import_wh,
        rollup.energy_export_wh,
        int(rollup.gap),
        int(rollup.reset),
        int(rollup.legacy),
    ]
    for name in STAT_FIELDS:
        stats = rollup.stats.get(name)
        if stats is None:
            values += ["", "", ""]
        else:
            mean = stats.mean.quantize(Decimal("0.001"))
            values += [stats.minimum, mean, stats.maximum]
    if writer is None:
        fields = (
            f"{json.dumps(column)}:{value_json(value)}"
            for column, value in zip(ROLLUP_COLUMNS, values, strict=True)
            if value != ""
        )
        out.write("{" + ",".join(fields) + "}\n")
    else:
        writer.writerow(values)
