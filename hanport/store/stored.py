"""The stored readings of a meter, hour by hour, for recomputing rollups (SQLite store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from hanport.model import Reading
from hanport.store.blocks import BlockError, decode_block
from hanport.store.connection import StoreError

__all__ = ["moment_us", "stored_hours", "unique", "unique_timed"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def stored_hours(
    db: sqlite3.Connection, meter: int, first: int
) -> Iterator[tuple[int, list[Reading] | None]]:
    """Each stored UTC hour of `meter` from hour `first` on, in order, with its readings in
    time order (None for an hour with a block that cannot be read)."""
    pending: dict[int, list[bytes]] = {}
    for hour, data in db.execute(
        "SELECT hour, data FROM pending WHERE meter = ? AND hour >= ? ORDER BY hour, rowid",
        (meter, first),
    ).fetchall():
        pending.setdefault(hour, []).append(data)
    blocks = db.execute(
        "SELECT hour, data FROM blocks WHERE meter = ? AND hour >= ? ORDER BY hour",
        (meter, first),
    )
    for hour, datas in _merge(blocks, pending):
        try:
            readings = unique(r for data in datas for r in decode_block(data))
        except BlockError:
            yield hour, None
            continue
        yield hour, readings


def _merge(
    blocks: Iterable[tuple[int, bytes]], pending: dict[int, list[bytes]]
) -> Iterator[tuple[int, list[bytes]]]:
    for hour, data in blocks:
        for earlier in sorted(h for h in pending if h < hour):
            yield earlier, pending.pop(earlier)
        yield hour, [data, *pending.pop(hour, [])]
    for hour in sorted(pending):
        yield hour, pending[hour]


def moment_us(reading: Reading) -> int:
    """The reading's time (meter_time, else received_at) in µs since the epoch."""
    moment = reading.meter_time or reading.received_at
    if moment is None:
        raise StoreError("store.reading_without_time")
    return (moment - _EPOCH) // _US


def unique(readings: Iterable[Reading]) -> list[Reading]:
    """In time order, one reading per time: a reading stored again replaces the first."""
    return unique_timed(readings)[0]


def unique_timed(readings: Iterable[Reading]) -> tuple[list[Reading], list[int]]:
    """`unique`, and the readings' moments (µs) in the same order."""
    by_time = {moment_us(reading): reading for reading in readings}
    moments = sorted(by_time)
    return [by_time[moment] for moment in moments], moments
