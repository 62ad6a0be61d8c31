"""The SQLite store's series as the API's JSON text (`SeriesJson`), from the stored bodies.

Hours, days and months with all statistics are joined by SQLite itself: each row's body is
stored as the API sends it, and the local start time is written by `datetime` (with its space
made a "T": a tenth faster than `strftime` with a format) shifted by the zone's offset, one
query per stretch of constant offset (three a year in a zone with summer time).
Quarter hours (their bodies are compressed) and rows cut to some fields are joined here. The
open periods are written from typed rows by the same writer (`hanport.store.rows_json`), so
every path gives the same text as `hanport.web.queries` gives from typed rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, tzinfo

from hanport.store.base import Rollup
from hanport.store.rows_json import IsoTimes, body_json, pick_stats, row_json
from hanport.store.sqlite_rollups import RollupTable, keys
from hanport.store.sqlite_tools import merged

__all__ = ["offset_spans", "series_text"]

_DAY = 86_400
_JOINED = (
    "SELECT group_concat(row, ',') FROM (SELECT '{\"start\":\"' || "
    "replace(datetime(start + ?1, 'unixepoch'), ' ', 'T') || ?2 || '\",\"t\":' || start || "
    "',' || body || '}' AS row FROM rollups WHERE key >= ?3 AND key < ?4 ORDER BY key)"
)


def series_text(
    db: sqlite3.Connection,
    table: RollupTable,
    meter: int,
    step: str,
    low: int,
    high: int,
    fresh: list[Rollup],
    wanted: Sequence[str] | None,
) -> str:
    """The rows array of the periods of `step` starting in [low, high) (Unix seconds): stored
    ones, and the open ones (`fresh`) in place of any stored with the same start."""
    iso = IsoTimes(table.zone)
    extra = [
        (t, row_json(iso(t), t, body_json(rollup, wanted), True))
        for rollup in fresh
        for t in (int(rollup.start.timestamp()),)
        if low <= t < high
    ]
    if wanted is None and step != "15m":
        first_open = min((t for t, _ in extra), default=high)
        after = db.execute(
            "SELECT start FROM rollups WHERE key >= ? AND key < ?",
            keys(meter, step, first_open, high),
        ).fetchall()
        if {t for (t,) in after} <= {t for t, _ in extra}:  # the open periods come last
            joined = _joined(db, table.zone, meter, step, low, first_open)
            parts = [joined] if joined else []
            return "[" + ",".join([*parts, *(text for _, text in extra)]) + "]"
    stored = table.stored(meter, step, low, high)
    if wanted is not None:
        stored = [(t, pick_stats(body, wanted)) for t, body in stored]
    rows = [(t, row_json(iso(t), t, body, False)) for t, body in stored]
    texts = merged(rows, extra, low, high, lambda row: row[0])
    return "[" + ",".join(text for _, text in texts) + "]"


def _joined(
    db: sqlite3.Connection, zone: tzinfo, meter: int, step: str, low: int, high: int
) -> str:
    parts = []
    for start, end, offset, suffix in offset_spans(zone, low, high):
        (text,) = db.execute(_JOINED, (offset, suffix, *keys(meter, step, start, end))).fetchone()
        if text:
            parts.append(text)
    return ",".join(parts)


def offset_spans(zone: tzinfo, low: int, high: int) -> list[tuple[int, int, int, str]]:
    """[start, end) stretches of [low, high) (Unix seconds) in which the zone's offset stays
    the same, with the offset in seconds and its ISO 8601 suffix ("+03:00")."""
    spans: list[tuple[int, int, int, str]] = []
    start = low
    while start < high:
        offset = _offset(zone, start)
        end = start
        while end < high and _offset(zone, min(end + _DAY, high - 1)) == offset:
            end = min(end + _DAY, high)
        if end < high:  # the offset changes within the next day: find the second
            inside, beyond = end, min(end + _DAY, high - 1)
            while beyond - inside > 1:
                middle = (inside + beyond) // 2
                if _offset(zone, middle) == offset:
                    inside = middle
                else:
                    beyond = middle
            end = beyond
        spans.append((start, end, offset, _suffix(zone, start)))
        start = end
    return spans


def _offset(zone: tzinfo, t: int) -> int:
    found = datetime.fromtimestamp(t, zone).utcoffset()
    assert found is not None
    return int(found.total_seconds())


def _suffix(zone: tzinfo, t: int) -> str:
    return datetime.fromtimestamp(t, zone).isoformat()[19:]
