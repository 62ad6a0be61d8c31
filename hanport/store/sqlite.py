"""The default store: one SQLite file (WAL), several meters, every reading kept compactly.

Implements `hanport.store.base.Store` and its capabilities `SeriesJson`, `ColumnReader` and
`RecordStore` (tables: `hanport.store.schema`; opening an older file upgrades it first, after a
backup: `hanport.store.migrations`).

A write is one transaction: after `kill -9` the file is intact and holds every write that
returned. Readings go into `pending` (one block per write); when a meter's readings move into a
new UTC hour, the hours before are sealed into one block each. The rollup engine takes the
readings as they come, stores the periods that became final and carries the rest in
`rollup_state`; a reading older than the meter's newest makes the rollups around it be computed
again from the stored readings. This is I/O, meant to run in a worker thread
(`asyncio.to_thread`); a lock makes one store safe to share between threads.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from hanport.model import Reading
from hanport.store.base import MeterInfo, Record, Rollup
from hanport.store.blocks import decode_block
from hanport.store.connection import StoreError, open_sqlite
from hanport.store.migrations import prepare
from hanport.store.records import delete_records, put_records, read_records
from hanport.store.rollups import MAX_SILENCE, STAT_FIELDS, period_start
from hanport.store.sqlite_blocks import (
    Hours,
    edge,
    first_of,
    hour_blocks,
    store_blocks,
    weekly_columns,
)
from hanport.store.sqlite_rollups import RollupTable
from hanport.store.sqlite_series import series_text
from hanport.store.sqlite_tools import Transaction, check_step, merged
from hanport.store.stored import moment_us as _moment_us
from hanport.store.stored import stored_hours, unique_timed
from hanport.store.stored import unique as _unique

__all__ = ["SqliteStore"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_HOUR_US = 3_600_000_000


class SqliteStore:
    """Readings, rollups and records in one SQLite file. `upgrade=False` refuses (with one
    sentence) a file of an older storage version instead of upgrading it."""

    def __init__(self, path: str | Path, zone: tzinfo, *, upgrade: bool = True) -> None:
        self._zone = zone
        self.path = str(path)
        self._db = open_sqlite(path)
        try:
            prepare(self._db, Path(path), zone, upgrade)
        except sqlite3.Error as error:
            self._db.close()
            raise StoreError("store.setup_failed", path=path, error=error) from None
        except BaseException:
            self._db.close()
            raise
        self._lock = threading.RLock()
        self._rollups = RollupTable(self._db, zone)
        self._meters: dict[str, int] = {}
        self._refresh()

    @property
    def zone(self) -> tzinfo:
        return self._zone

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- Store -----------------------------------------------------------------------------

    def write(self, readings: Sequence[Reading]) -> None:
        """Store readings (one transaction); seal the hours they have moved past."""
        by_meter: dict[str, list[Reading]] = defaultdict(list)
        for reading in readings:
            by_meter[reading.meter_id or ""].append(reading)
        with self._lock, self._transaction():
            for key, batch in by_meter.items():
                meter = self._meter(key)
                ordered, moments = unique_timed(batch)
                store_blocks(self._db, meter, ordered, moments)
                self._roll(meter, ordered, moments)
                self._note(meter, moments, ordered[-1].meter_model)

    def latest(self, meter: str) -> Reading | None:
        found = self._edge(meter, "DESC")
        return max(found, key=_moment_us) if found else None

    def first(self, meter: str) -> Reading | None:
        """The oldest stored reading of `meter` (after pruning, the oldest kept)."""
        found = self._edge(meter, "ASC")
        return min(found, key=_moment_us) if found else None

    def readings(self, meter: str, start: datetime, end: datetime) -> list[Reading]:
        low, high = _micros(start), _micros(end)
        found = []
        for _hour, datas in self._hour_blocks(meter, low // _HOUR_US, high // _HOUR_US):
            found += [r for data in datas for r in decode_block(data)]
        return [r for r in _unique(found) if low <= _moment_us(r) < high]

    def series(self, meter: str, step: str, start: datetime, end: datetime) -> list[Rollup]:
        check_step(step)
        low, high = int(start.timestamp()), int(end.timestamp())
        with self._lock, self._reading():
            meter_id = self._id(meter)
            if meter_id is None:
                return []
            stored = self._rollups.typed(meter_id, step, low, high)
            fresh = self._rollups.open_rows(meter_id, step)
        return merged(stored, fresh, low, high, lambda rollup: int(rollup.start.timestamp()))

    def meters(self) -> list[MeterInfo]:
        with self._lock:
            rows = self._db.execute("SELECT key, model, first, last FROM meters ORDER BY key")
            return [
                MeterInfo(key, model, self._local(first), self._local(last))
                for key, model, first, last in rows
            ]

    def prune(self, before: datetime) -> int:
        """Delete raw readings older than `before` (whole hours); rollups are kept. Returns the
        number of hour blocks removed."""
        hour = _micros(before) // _HOUR_US
        with self._lock, self._transaction():
            cursor = self._db.execute("DELETE FROM blocks WHERE hour < ?", (hour,))
            self._db.execute("DELETE FROM pending WHERE hour < ?", (hour,))
            self._refresh()
            for meter in self._meters.values():
                oldest = first_of(self._db, meter)
                self._db.execute(
                    "UPDATE meters SET first = ?1, last = CASE WHEN ?1 IS NULL THEN NULL "
                    "ELSE last END WHERE id = ?2",
                    (oldest, meter),
                )
        return cursor.rowcount

    def refresh(self) -> None:
        """Kept for callers of the first store: meters are looked up as they are asked for."""
        with self._lock:
            self._refresh()

    # --- SeriesJson ------------------------------------------------------------------------

    def series_json(
        self,
        meter: str,
        step: str,
        start: datetime,
        end: datetime,
        fields: Sequence[str] | None,
    ) -> str:
        check_step(step)
        low, high = int(start.timestamp()), int(end.timestamp())
        with self._lock, self._reading():
            meter_id = self._id(meter)
            if meter_id is None:
                return "[]"
            fresh = self._rollups.open_rows(meter_id, step)
            wanted = None if fields is None or set(fields) >= set(STAT_FIELDS) else list(fields)
            return series_text(self._db, self._rollups, meter_id, step, low, high, fresh, wanted)

    # --- ColumnReader ----------------------------------------------------------------------

    def columns(
        self, meter: str, start: datetime, end: datetime, names: Sequence[str]
    ) -> Iterator[tuple[object, ...]]:
        hours = functools.partial(self._hour_blocks, meter)
        yield from weekly_columns(hours, _micros(start), _micros(end), list(names))

    # --- RecordStore -----------------------------------------------------------------------

    def put_records(self, kind: str, records: Sequence[Record]) -> None:
        with self._lock, self._transaction():
            put_records(self._db, kind, records)

    def records(
        self,
        kind: str,
        start: datetime,
        end: datetime,
        meter: str | None = None,
        key: str | None = None,
    ) -> list[Record]:
        with self._lock:
            return read_records(self._db, kind, start, end, meter, key)

    def delete_records(self, kind: str, before: datetime) -> int:
        with self._lock, self._transaction():
            return delete_records(self._db, kind, before)

    # --- writing ---------------------------------------------------------------------------

    def _roll(self, meter: int, readings: list[Reading], moments: list[int]) -> None:
        engine = self._rollups.engine(meter)
        if engine.last_us is not None and moments[0] <= engine.last_us:
            self.recompute(meter, moments[0])  # late: from the stored readings
            return
        self._rollups.take_final(meter, engine.feed(readings, moments))
        self._rollups.save_state(meter, engine)

    def recompute(self, meter: int, since_us: int) -> None:
        """Compute the rollups of `meter` again from its stored readings, from the periods a
        reading at `since_us` can change on (inside the caller's transaction)."""
        reach = MAX_SILENCE // _US + _HOUR_US  # what an hourly register's reading can change
        since = _micros(period_start(self._local_us(since_us - reach), "1h", self._zone))
        hours = stored_hours(self._db, meter, (since - reach) // _HOUR_US)
        self._rollups.save_state(meter, self._rollups.recompute(meter, since, hours))

    def _note(self, meter: int, moments: list[int], model: str | None) -> None:
        self._db.execute(
            "UPDATE meters SET first = min(coalesce(first, ?1), ?1), "
            "model = CASE WHEN last IS NULL OR last <= ?2 THEN ?3 ELSE model END, "
            "last = max(coalesce(last, ?2), ?2) WHERE id = ?4",
            (moments[0], moments[-1], model, meter),
        )

    def _meter(self, key: str) -> int:
        meter = self._meters.get(key)
        if meter is None:
            self._db.execute("INSERT OR IGNORE INTO meters (key) VALUES (?)", (key,))
            (meter,) = self._db.execute("SELECT id FROM meters WHERE key = ?", (key,)).fetchone()
            self._meters[key] = meter
        return meter

    # --- reading ---------------------------------------------------------------------------

    def _hour_blocks(self, meter: str, first: int, last: int) -> Hours:
        with self._lock, self._reading():
            meter_id = self._id(meter)
            return () if meter_id is None else hour_blocks(self._db, meter_id, first, last)

    def _edge(self, meter: str, order: str) -> list[Reading]:
        with self._lock:
            meter_id = self._id(meter)
            return [] if meter_id is None else edge(self._db, meter_id, order)

    def _id(self, meter: str) -> int | None:
        found = self._meters.get(meter)
        if found is None:
            self._refresh()  # a meter another connection (the writer) has added since
            found = self._meters.get(meter)
        return found

    def _refresh(self) -> None:
        self._meters = dict(self._db.execute("SELECT key, id FROM meters"))

    def _local(self, micros: int | None) -> datetime | None:
        return None if micros is None else self._local_us(micros)

    def _local_us(self, micros: int) -> datetime:
        seconds, rest = divmod(micros, 1_000_000)
        return datetime.fromtimestamp(seconds, self._zone).replace(microsecond=rest)

    def _transaction(self) -> Transaction:
        return Transaction(self._db, "BEGIN IMMEDIATE")

    def _reading(self) -> Transaction:
        """One snapshot for the rows and the carried state read together."""
        return Transaction(self._db, "BEGIN")


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _US
