"""Subsystem records in the SQLite store: one table, exact JSON data (`hanport.store.jsondata`).

    records (kind, meter, time µs UTC, key, data JSON)   PRIMARY KEY (kind, meter, time, key)
    records_by_time (kind, time)                          for reads across meters and deletes

Prices, the cost ledger, power-quality windows, alerts and the EV limits log each keep their
rows here under their own `kind`, instead of a table each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from hanport.store.base import Record
from hanport.store.connection import StoreError
from hanport.store.jsondata import dumps, loads

__all__ = ["RECORDS_SCHEMA", "delete_records", "put_records", "read_records"]

RECORDS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, meter TEXT NOT NULL, "
    "time INTEGER NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, "
    "PRIMARY KEY (kind, meter, time, key)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS records_by_time ON records (kind, time)",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def put_records(db: sqlite3.Connection, kind: str, records: Sequence[Record]) -> None:
    rows = []
    for record in records:
        if record.kind != kind:
            raise StoreError("store.record_kind", kind=record.kind, expected=kind)
        try:
            data = dumps(record.data)
            time = _micros(record.time)
        except ValueError as error:
            raise StoreError("store.record_value", kind=kind, error=error) from None
        rows.append((kind, record.meter, time, record.key, data))
    db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)", rows)


def read_records(
    db: sqlite3.Connection,
    kind: str,
    start: datetime,
    end: datetime,
    meter: str | None,
    key: str | None,
) -> list[Record]:
    query = "SELECT meter, time, key, data FROM records WHERE kind = ?"
    values: list[object] = [kind]
    if meter is not None:
        query += " AND meter = ?"
        values.append(meter)
    query += " AND time >= ? AND time < ?"
    try:
        values += [_micros(start), _micros(end)]
    except ValueError as error:
        raise StoreError("store.record_value", kind=kind, error=error) from None
    if key is not None:
        query += " AND key = ?"
        values.append(key)
    query += " ORDER BY time, meter, key"
    moment = _Moments()
    return [
        Record(kind, found_meter, moment(time), found_key, loads(data))
        for found_meter, time, found_key, data in db.execute(query, values)
    ]


def delete_records(db: sqlite3.Connection, kind: str, before: datetime) -> int:
    try:
        cutoff = _micros(before)
    except ValueError as error:
        raise StoreError("store.record_value", kind=kind, error=error) from None
    return db.execute("DELETE FROM records WHERE kind = ? AND time < ?", (kind, cutoff)).rowcount


def _micros(moment: datetime) -> int:
    if moment.utcoffset() is None:
        raise ValueError(f"the time {moment.isoformat()} has no offset")
    return (moment - _EPOCH) // _US


class _Moments:
    """µs → UTC datetime, remembering the last one (a ledger has several records per time)."""

    def __init__(self) -> None:
        self._micros = -1
        self._moment = _EPOCH

    def __call__(self, micros: int) -> datetime:
        if micros != self._micros:
            seconds, rest = divmod(micros, 1_000_000)
            self._micros = micros
            self._moment = datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest)
        return self._moment
