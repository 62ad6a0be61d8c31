"""The API's answers from a store, as JSON text built without detours.

A year of hourly rollups is 8,760 rows. A store with the `SeriesJson` capability (the SQLite
store) hands the rows over as JSON text straight from what it stored; any other `Store` gives
typed rows, written here with the same writer (`hanport.store.rows_json`): both give the same
text. Runs in a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, tzinfo

from hanport.model import Reading
from hanport.output import reading_json
from hanport.store.base import Rollup, SeriesJson, Store
from hanport.store.rollups import STAT_FIELDS, period_start
from hanport.store.rows_json import IsoTimes, body_json, row_json

__all__ = ["energy_json", "meters_json", "readings_json", "rows_json", "series_json"]

_BOOL = ("false", "true")
_PARTIAL = ("", ',"partial":true')


def series_json(
    store: Store,
    meter: str,
    step: str,
    start: datetime,
    end: datetime,
    fields: Sequence[str] | None,
) -> str:
    """The stored rollups and the open ones: the periods still open (the one holding the
    newest reading, or waiting for a register) are marked `"partial":true` (absent on every
    other row), those an older hanport computed and today's rules could not `"legacy":true`."""
    if isinstance(store, SeriesJson):
        rows = store.series_json(meter, step, start, end, fields)
    else:
        rows = rows_json(store.series(meter, step, start, end), store.zone, fields)
    head = f'{{"meter":{json.dumps(meter)},"step":"{step}",'
    return f'{head}"from":"{start.isoformat()}","to":"{end.isoformat()}","rows":{rows}}}'


def rows_json(rollups: Sequence[Rollup], zone: tzinfo, fields: Sequence[str] | None) -> str:
    """Typed rows as the API's rows array (the statistics of `fields` only, all when None)."""
    wanted = None if fields is None or set(fields) >= set(STAT_FIELDS) else list(fields)
    iso = IsoTimes(zone)
    rows = []
    for rollup in rollups:
        t = int(rollup.start.timestamp())
        rows.append(row_json(iso(t), t, body_json(rollup, wanted), rollup.partial))
    return "[" + ",".join(rows) + "]"


def energy_json(store: Store, meter: str, period: str, start: datetime, end: datetime) -> str:
    """Energy in and out per day, month or year (years added up from their months); the period
    still open is marked `"partial":true`."""
    step = "1d" if period == "day" else "1mo"
    totals: dict[int, list[int]] = {}
    for rollup in store.series(meter, step, start, end):
        key = t = int(rollup.start.timestamp())
        if period == "year":
            month = datetime.fromtimestamp(t, store.zone)
            key = int(period_start(month.replace(month=1), "1mo", store.zone).timestamp())
        into = totals.setdefault(key, [0, 0, 0, 0])
        into[0] += rollup.energy_import_wh
        into[1] += rollup.energy_export_wh
        into[2] |= rollup.gap
        into[3] |= rollup.partial
    iso = IsoTimes(store.zone)
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


def meters_json(store: Store) -> str:
    meters = [
        {
            "id": meter.id,
            "model": meter.model,
            "first_reading": meter.first.isoformat() if meter.first else None,
            "last_reading": meter.last.isoformat() if meter.last else None,
        }
        for meter in store.meters()
    ]
    return json.dumps({"meters": meters})
