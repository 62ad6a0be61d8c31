"""The PostgreSQL store's series as the API's JSON text (`SeriesJson`), from the stored bodies:
each row's body is kept as the API sends it, so a row is its start, its `t` and its body, and
the open periods are written from typed rows by the same writer (`hanport.store.rows_json`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from hanport.store.base import Rollup
from hanport.store.rollups import STAT_FIELDS
from hanport.store.rows_json import IsoTimes, body_json, pick_stats, row_json
from hanport.store.sqlite_rollups import StoredRow
from hanport.store.sqlite_tools import merged

__all__ = ["series_text"]


def series_text(
    zone: tzinfo,
    stored: list[StoredRow],
    fresh: list[Rollup],
    low: int,
    high: int,
    fields: Sequence[str] | None,
) -> str:
    """The rows array of the periods starting in [low, high) (Unix seconds): stored ones, and
    the open ones (`fresh`) in place of any stored with the same start."""
    wanted = None if fields is None or set(fields) >= set(STAT_FIELDS) else list(fields)
    iso = IsoTimes(zone)
    extra = [
        (t, row_json(iso(t), t, body_json(rollup, wanted), True))
        for rollup in fresh
        for t in (int(rollup.start.timestamp()),)
        if low <= t < high
    ]
    if wanted is not None:
        stored = [(t, pick_stats(body, wanted)) for t, body in stored]
    rows = [(t, row_json(iso(t), t, body, False)) for t, body in stored]
    return "[" + ",".join(text for _, text in merged(rows, extra, low, high, lambda r: r[0])) + "]"
