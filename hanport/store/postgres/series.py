"""The PostgreSQL store's series as the API's JSON text (`SeriesJson`), from the stored bodies:
each row's body is kept as the API sends it, so a row is its start, its `t` and its body, and
the open periods are written from typed rows by the same writer (`hanport.store.rows_json`).
Hours, days and months with all statistics are joined by PostgreSQL itself (`joined_text`);
quarter hours and rows cut to some fields here (`series_text`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

import psycopg

from hanport.store.base import Rollup
from hanport.store.rollups import STAT_FIELDS
from hanport.store.rows_json import IsoTimes, body_json, pick_stats, row_json
from hanport.store.sqlite_rollups import StoredRow, keys
from hanport.store.sqlite_tools import merged

__all__ = ["joined_text", "series_text"]


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
        (t, row_json(iso(t), t, body_json(rollup, wanted), rollup.partial))
        for rollup in fresh
        for t in (int(rollup.start.timestamp()),)
        if low <= t < high
    ]
    if wanted is not None:
        stored = [(t, pick_stats(body, wanted)) for t, body in stored]
    rows = [(t, row_json(iso(t), t, body, False)) for t, body in stored]
    return "[" + ",".join(text for _, text in merged(rows, extra, low, high, lambda r: r[0])) + "]"


_JOINED = (
    'SELECT string_agg(\'{"start":"\' || to_char(to_timestamp(start), '
    "'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') || '\",\"t\":' || start || ',' || "
    "convert_from(body, 'UTF8') || '}', ',' ORDER BY key) FROM rollups "
    "WHERE key >= %s AND key < %s"
)


def joined_text(
    db: psycopg.Connection[Any],
    zone: tzinfo,
    meter: int,
    step: str,
    low: int,
    high: int,
    fresh: list[Rollup],
) -> str | None:
    """The rows array joined by PostgreSQL from the stored bodies, with the local start times
    written by the server on the zone's clock (the session's TimeZone, for this transaction),
    and the open periods after them; None where that cannot be done (quarter hours, whose
    bodies are compressed; a zone PostgreSQL does not know; stored rows after an open one)."""
    name = getattr(zone, "key", None)
    if step == "15m" or not isinstance(name, str):
        return None
    iso = IsoTimes(zone)
    extra = [
        (t, row_json(iso(t), t, body_json(rollup), rollup.partial))
        for rollup in fresh
        for t in (int(rollup.start.timestamp()),)
        if low <= t < high
    ]
    first_open = min((t for t, _ in extra), default=high)
    after = db.execute(
        "SELECT start FROM rollups WHERE key >= %s AND key < %s",
        keys(meter, step, first_open, high),
    ).fetchall()
    if not {t for (t,) in after} <= {t for t, _ in extra}:
        return None
    try:
        with db.transaction():  # a savepoint: a zone the server does not know is no error
            db.execute("SELECT set_config('TimeZone', %s, true)", (name,))
    except psycopg.Error:
        return None
    row = db.execute(_JOINED, keys(meter, step, low, first_open)).fetchone()
    parts = [row[0]] if row and row[0] else []
    return "[" + ",".join([*parts, *(text for _, text in extra)]) + "]"
