"""The SQLite store's blocks: pending rows of the open hour, sealing closed hours, the blocks of
a range of hours (whole, or column by column), a meter's oldest and newest stored readings."""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

from hanport.model import Reading
from hanport.store.blocks import BlockError, decode_block, decode_columns, encode_block
from hanport.store.stored import moment_us, unique

__all__ = ["edge", "first_of", "hour_blocks", "hour_columns", "store_blocks", "weekly_columns"]

_HOUR_US = 3_600_000_000
Hours = Iterable[tuple[int, list[bytes]]]


def store_blocks(
    db: sqlite3.Connection, meter: int, readings: list[Reading], moments: list[int]
) -> None:
    """Readings of one meter in time order, with their moments (µs): into `pending` for the
    newest hour among them; every earlier hour (pending before, or in the batch) sealed into
    its block."""
    groups: dict[int, list[Reading]] = defaultdict(list)
    for reading, moment in zip(readings, moments, strict=True):
        groups[moment // _HOUR_US].append(reading)
    newest = max(groups)
    for (hour,) in db.execute(
        "SELECT DISTINCT hour FROM pending WHERE meter = ? AND hour < ? ORDER BY hour",
        (meter, newest),
    ).fetchall():
        _seal(db, meter, hour, groups.pop(hour, []))
    for hour, batch in sorted(groups.items()):
        if hour < newest:  # already closed: straight into its block
            _seal(db, meter, hour, batch)
        else:
            db.execute("INSERT INTO pending VALUES (?, ?, ?)", (meter, hour, encode_block(batch)))


def _seal(db: sqlite3.Connection, meter: int, hour: int, fresh: list[Reading]) -> None:
    rows = db.execute(
        "SELECT data FROM blocks WHERE meter = ? AND hour = ? "
        "UNION ALL SELECT data FROM pending WHERE meter = ? AND hour = ?",
        (meter, hour, meter, hour),
    ).fetchall()
    if rows:
        fresh = unique([*(r for (data,) in rows for r in decode_block(data)), *fresh])
    db.execute("INSERT OR REPLACE INTO blocks VALUES (?, ?, ?)", (meter, hour, encode_block(fresh)))
    db.execute("DELETE FROM pending WHERE meter = ? AND hour = ?", (meter, hour))


def hour_blocks(db: sqlite3.Connection, meter: int, first: int, last: int) -> Hours:
    """The blocks of each stored hour from `first` to `last`, in hour order (a sealed block
    before the pending ones, those in the order written)."""
    rows = db.execute(
        "SELECT hour, data, 0, 0 FROM blocks WHERE meter = ?1 AND hour BETWEEN ?2 AND ?3 "
        "UNION ALL SELECT hour, data, 1, rowid FROM pending "
        "WHERE meter = ?1 AND hour BETWEEN ?2 AND ?3 ORDER BY 1, 3, 4",
        (meter, first, last),
    ).fetchall()
    grouped: dict[int, list[bytes]] = {}
    for hour, data, _kind, _order in rows:
        grouped.setdefault(hour, []).append(data)
    return grouped.items()


def weekly_columns(
    hour_blocks: Callable[[int, int], Hours], low: int, high: int, wanted: list[str]
) -> Iterator[tuple[object, ...]]:
    """`hour_columns` of low <= µs < high, asking `hour_blocks(first, last)` for a week of
    hours at a time, so a year's read never holds more than a week of blocks."""
    for week in range(low // _HOUR_US, high // _HOUR_US + 1, 168):
        last = min(week + 167, high // _HOUR_US)
        yield from hour_columns(hour_blocks(week, last), low, high, wanted)


def hour_columns(
    hours: Hours, low: int, high: int, wanted: list[str]
) -> Iterator[tuple[object, ...]]:
    """(moment in UTC, value of each wanted field) of every reading with low <= µs < high."""
    for _hour, datas in hours:
        moments, values = decode_columns(datas[0], wanted)
        if len(datas) > 1:
            moments, values = _joined([decode_columns(data, wanted) for data in datas])
        first, last = bisect_left(moments, low), bisect_left(moments, high)
        if first == last:
            continue
        seconds, rest = zip(*(divmod(m, 1_000_000) for m in moments[first:last]), strict=True)
        times = list(map(datetime.fromtimestamp, seconds, repeat(UTC)))
        if any(rest):
            times = [t.replace(microsecond=r) for t, r in zip(times, rest, strict=True)]
        yield from zip(times, *(column[first:last] for column in values), strict=True)


def _joined(parts: list[tuple[list[int], list[list[Any]]]]) -> tuple[list[int], list[list[Any]]]:
    """Several blocks of one hour as one, in time order, the later of two at one time kept."""
    rows: dict[int, tuple[Any, ...]] = {}
    for moments, values in parts:
        rows.update(zip(moments, zip(*values, strict=True) if values else repeat(()), strict=False))
    order = sorted(rows)
    columns = [list(column) for column in zip(*(rows[m] for m in order), strict=True)]
    return order, columns or [[] for _ in parts[0][1]]


def first_of(db: sqlite3.Connection, meter: int) -> int | None:
    """The moment (µs) of the oldest stored reading of a meter."""
    for table in ("blocks", "pending"):
        row = db.execute(
            f"SELECT data FROM {table} WHERE meter = ? ORDER BY hour LIMIT 1", (meter,)
        ).fetchone()
        if row is not None:
            try:
                return min(map(moment_us, decode_block(row[0])))
            except BlockError:
                continue
    return None


def edge(db: sqlite3.Connection, meter: int, order: str) -> list[Reading]:
    """The readings of the oldest ("ASC") or newest ("DESC") sealed and pending blocks."""
    found: list[Reading] = []
    for table, then in (("blocks", ""), ("pending", f", rowid {order}")):
        row = db.execute(
            f"SELECT data FROM {table} WHERE meter = ? ORDER BY hour {order}{then} LIMIT 1",
            (meter,),
        ).fetchone()
        if row is not None:
            found += decode_block(row[0])
    return found
