"""Subsystem records in the PostgreSQL store: the SQLite store's rules (`hanport.store.records`:
exact JSON data, insert or replace on (kind, meter, time, key)), per site."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from hanport.store.base import Record
from hanport.store.connection import StoreError
from hanport.store.jsondata import dumps, loads

__all__ = ["delete_records", "put_records", "read_records"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def put_records(
    db: psycopg.Connection[Any], site: int, kind: str, records: Sequence[Record]
) -> None:
    rows = []
    for record in records:
        if record.kind != kind:
            raise StoreError("store.record_kind", kind=record.kind, expected=kind)
        try:
            rows.append(
                (site, kind, record.meter, _micros(record.time), record.key, dumps(record.data))
            )
        except ValueError as error:
            raise StoreError("store.record_value", kind=kind, error=error) from None
    with db.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO records VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (site, kind, meter, time, key) DO UPDATE SET data = excluded.data",
            rows,
        )


def read_records(
    db: psycopg.Connection[Any],
    site: int,
    kind: str,
    start: datetime,
    end: datetime,
    meter: str | None,
    key: str | None,
) -> list[Record]:
    try:
        low, high = _micros(start), _micros(end)
    except ValueError as error:
        raise StoreError("store.record_value", kind=kind, error=error) from None
    rows = db.execute(
        "SELECT meter, time, key, data FROM records WHERE site = %s AND kind = %s "
        "AND (%s::text IS NULL OR meter = %s) AND time >= %s AND time < %s "
        'AND (%s::text IS NULL OR key = %s) ORDER BY time, meter COLLATE "C", key COLLATE "C"',
        (site, kind, meter, meter, low, high, key, key),
    ).fetchall()
    return [
        Record(kind, found_meter, _moment(time), found_key, loads(data))
        for found_meter, time, found_key, data in rows
    ]


def delete_records(db: psycopg.Connection[Any], site: int, kind: str, before: datetime) -> int:
    try:
        cutoff = _micros(before)
    except ValueError as error:
        raise StoreError("store.record_value", kind=kind, error=error) from None
    cursor = db.execute(
        "DELETE FROM records WHERE site = %s AND kind = %s AND time < %s", (site, kind, cutoff)
    )
    return cursor.rowcount


def _micros(moment: datetime) -> int:
    if moment.utcoffset() is None:
        raise ValueError(f"the time {moment.isoformat()} has no offset")
    return (moment - _EPOCH) // _US


def _moment(micros: int) -> datetime:
    seconds, rest = divmod(micros, 1_000_000)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest)
