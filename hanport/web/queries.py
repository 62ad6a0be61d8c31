"""The API's answers from the store, as JSON text built without detours.

A year of hourly rollups is 8,760 rows; the stored statistics are already JSON in the shape the
API sends (`{"min","max","avg","sum","n"}` per quantity), so they are passed on, cut to the
fields asked for, never parsed and dumped again. Runs in a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, tzinfo

from hanport.model import Reading
from hanport.output import reading_json
from hanport.store.rollups import STAT_FIELDS, Rollup, period_start
from hanport.store.sqlite import SqliteStore, stats_json

__all__ = ["energy_json", "meters_json", "readings_json", "series_json"]

Row = tuple[int, int, int, int, int, int, str]
_BOOL = ("false", "true")
_PARTIAL = ("", ',"partial":true')


def series_json(
    store: SqliteStore,
    meter: str,
    step: str,
    start: datetime,
    end: datetime,
    fields: Sequence[str] | None,
) -> str:
    """Stored rollups and, computed now, those of the hour not sealed yet; the period holding
    the newest reading is marked `"partial":true` (absent on every other row)."""
    rows, partial = _with_open(store, meter, step, start, end)
    iso = _IsoTimes(store.zone)
    wanted = None if fields is None or set(fields) >= set(STAT_FIELDS) else list(fields)
    body = ",".join(_series_row(row, iso, wanted, row[0] == partial) for row in rows)
    head = f'{{"meter":{json.dumps(meter)},"step":"{step}",'
    return f'{head}"from":"{start.isoformat()}","to":"{end.isoformat()}","rows":[{body}]}}'


def _with_open(
    store: SqliteStore, meter: str, step: str, start: datetime, end: datetime
) -> tuple[list[Row], int | None]:
    """The stored rows with the open hour's own (which replace any stored for the same start,
    such as the day's sealed hours), and the start of the still open period (or None)."""
    rows = store.series_rows(meter, step, start, end)
    fresh = store.open_rollups(meter, step, start, end)
    if not fresh:
        return rows, None
    low, high = start.timestamp(), end.timestamp()
    mine = [_row(r) for r in fresh if low <= r.start.timestamp() < high]
    starts = {row[0] for row in mine}
    rows = [row for row in rows if row[0] not in starts]
    if rows and mine and rows[-1][0] > mine[0][0]:  # stored rows after the open hour: unusual
        rows = sorted([*rows, *mine])
    else:
        rows += mine
    return rows, int(fresh[-1].start.timestamp())


def _row(rollup: Rollup) -> Row:
    stats = ",".join(f'"{name}":{stats_json(s)}' for name, s in rollup.stats.items())
    return (
        int(rollup.start.timestamp()),
        rollup.readings,
        rollup.energy_import_wh,
        rollup.energy_export_wh,
        int(rollup.gap),
        int(rollup.reset),
        "{" + stats + "}",
    )


def _series_row(row: Row, iso: _IsoTimes, wanted: list[str] | None, partial: bool) -> str:
    t, readings, imported, exported, gap, reset, stats = row
    if wanted is not None:
        stats = _pick(stats, wanted)
    return (
        f'{{"start":"{iso(t)}","t":{t},"readings":{readings},"energy_import_wh":{imported},'
        f'"energy_export_wh":{exported},"gap":{_BOOL[gap]},"reset":{_BOOL[reset]},'
        f'"stats":{stats}{_PARTIAL[partial]}}}'
    )


def _pick(stats: str, names: list[str]) -> str:
    """The named entries of a stored statistics object (flat objects, no nested braces)."""
    parts = []
    for name in names:
        key = f'"{name}":{{'
        at = stats.find(key)
        if at >= 0:
            parts.append(stats[at : stats.index("}", at) + 1])
    return "{" + ",".join(parts) + "}"


def energy_json(store: SqliteStore, meter: str, period: str, start: datetime, end: datetime) -> str:
    """Energy in and out per day, month or year (years added up from their months); the period
    still open (with the newest reading) is marked `"partial":true`."""
    step = "1d" if period == "day" else "1mo"
    rows, partial = _with_open(store, meter, step, start, end)
    totals: dict[int, list[int]] = {}
    for t, _readings, imported, exported, gap, _reset, _stats in rows:
        key = t
        if period == "year":
            month = datetime.fromtimestamp(t, store.zone)
            key = int(period_start(month.replace(month=1), "1mo", store.zone).timestamp())
        into = totals.setdefault(key, [0, 0, 0, 0])
        into[0] += imported
        into[1] += exported
        into[2] |= gap
        into[3] |= t == partial
    iso = _IsoTimes(store.zone)
    body = ",".join(
        f'{{"start":"{iso(t)}","t":{t},"energy_import_wh":{imp},"energy_export_wh":{exp},'
        f'"gap":{_BOOL[gap]}{_PARTIAL[open_]}}}'
        for t, (imp, exp, gap, open_) in totals.items()
    )
    return f'{{"meter":{json.dumps(meter)},"period":"{period}","rows":[{body}]}}'


def readings_json(readings: Sequence[Reading], meter: str, fields: Sequence[str] | None) -> str:
    if fields is None:
        body = ",".join(reading_json(reading) for reading in readings)
    else:
        keep = {"meter_time", "received_at", *fields}
        body = ",".join(
            json.dumps({k: v for k, v in json.loads(reading_json(r)).items() if k in keep})
            for r in readings
        )
    return f'{{"meter":{json.dumps(meter)},"readings":[{body}]}}'


def meters_json(store: SqliteStore) -> str:
    store.refresh()
    meters = []
    for meter in store.meters():
        first, last = store.first(meter), store.latest(meter)
        meters.append(
            {
                "id": meter,
                "model": last.meter_model if last else None,
                "first_reading": _when(first),
                "last_reading": _when(last),
            }
        )
    return json.dumps({"meters": meters})


def _when(reading: Reading | None) -> str | None:
    if reading is None:
        return None
    moment = reading.meter_time or reading.received_at
    return moment.isoformat() if moment else None


class _IsoTimes:
    """Unix seconds → local ISO 8601 with offset, the zone's offset looked up once per hour."""

    def __init__(self, zone: tzinfo) -> None:
        self._zone = zone
        self._hour = -1
        self._base = datetime.fromtimestamp(0, zone)

    def __call__(self, t: int) -> str:
        if t // 3600 != self._hour:
            self._hour = t // 3600
            self._base = datetime.fromtimestamp(self._hour * 3600, self._zone)
        return self._base.replace(minute=(t % 3600) // 60, second=t % 60).isoformat()
