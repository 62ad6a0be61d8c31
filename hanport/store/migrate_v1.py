"""The upgrade from storage version 0 (hanport 0.1.0, issue 9) to 1, inside one transaction.

1. `meters` gets `model`, `first` and `last` (from the stored readings).
2. `rollups` gets `flags` and the API body in place of `gap`, `reset` and `stats`; every row
   is kept, marked legacy (computed by the old boundary rule).
3. `rollup_state` and `records` are created.
4. Per meter, the rollups are computed again by today's rules from every stored reading:
   each quarter and hour from the meter's first stored hour on replaces the legacy one, the
   days and months from that day on are the sums of their hours. What retention has deleted
   the readings of (before the first stored hour), or what needs an hour whose block cannot
   be read, stays as it was, marked legacy; blocks are never rewritten.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator
from datetime import datetime, tzinfo
from decimal import Decimal

from hanport.model import Reading
from hanport.store.base import Rollup, Stats
from hanport.store.schema import SCHEMA
from hanport.store.sqlite_rollups import RollupTable
from hanport.store.stored import moment_us, stored_hours

__all__ = ["upgrade_0_to_1"]

_HOUR_US = 3_600_000_000
_STATS = json.JSONDecoder(parse_float=Decimal)


def upgrade_0_to_1(db: sqlite3.Connection, zone: tzinfo) -> None:
    for column in ("model TEXT", "first INTEGER", "last INTEGER"):
        db.execute(f"ALTER TABLE meters ADD COLUMN {column}")
    _legacy_rollups(db, zone)
    for statement in SCHEMA:
        db.execute(statement)  # the new tables (the others exist: IF NOT EXISTS)
    table = RollupTable(db, zone)
    for (meter,) in db.execute("SELECT id FROM meters ORDER BY id").fetchall():
        _recompute(db, table, meter)


def _legacy_rollups(db: sqlite3.Connection, zone: tzinfo) -> None:
    db.execute("ALTER TABLE rollups RENAME TO rollups_v0")
    db.execute(next(statement for statement in SCHEMA if " rollups (" in statement))
    table = RollupTable(db, zone)
    rows = db.execute(
        "SELECT meter, step, start, readings, import_wh, export_wh, gap, reset, stats "
        "FROM rollups_v0"
    )
    while batch := rows.fetchmany(2000):
        for meter, step, start, readings, imported, exported, gap, reset, stats in batch:
            text = zlib.decompress(stats).decode() if isinstance(stats, bytes) else stats
            parsed = {
                name: Stats(item["min"], item["max"], item["sum"], item["n"])
                for name, item in _STATS.decode(text).items()
            }
            moment = datetime.fromtimestamp(start, zone)
            rollup = Rollup(step, moment, readings, imported, exported, bool(gap), bool(reset))
            rollup.stats, rollup.legacy = parsed, True
            table.save(meter, [rollup])
    db.execute("DROP TABLE rollups_v0")


def _recompute(db: sqlite3.Connection, table: RollupTable, meter: int) -> None:
    first = db.execute(
        "SELECT min(hour) FROM (SELECT hour FROM blocks WHERE meter = ?1 "
        "UNION ALL SELECT hour FROM pending WHERE meter = ?1)",
        (meter,),
    ).fetchone()[0]
    if first is None:
        return  # every reading pruned: the rollups stay as they were (legacy)
    seen = _Seen()
    engine = table.recompute(meter, first * _HOUR_US, seen.watch(stored_hours(db, meter, first)))
    table.save_state(meter, engine)
    db.execute(
        "UPDATE meters SET first = ?, last = ?, model = ? WHERE id = ?",
        (seen.first, seen.last, seen.model, meter),
    )


class _Seen:
    """The oldest and newest reading going by, and the newest's model."""

    def __init__(self) -> None:
        self.first: int | None = None
        self.last: int | None = None
        self.model: str | None = None

    def watch(
        self, hours: Iterator[tuple[int, list[Reading] | None]]
    ) -> Iterator[tuple[int, list[Reading] | None]]:
        for hour, readings in hours:
            if readings:
                if self.first is None:
                    self.first = moment_us(readings[0])
                self.last = moment_us(readings[-1])
                self.model = readings[-1].meter_model
            yield hour, readings
