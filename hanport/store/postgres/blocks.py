"""The PostgreSQL store's blocks (`hanport.store.blocks`): the open hour's readings in
`pending`, one block per write; closed hours sealed into one block each; the blocks of a range
of hours; a meter's oldest and newest readings; its stored hours for recomputing rollups.

Every function works on many meters at once where a write does (one statement, pipelined), and
inside the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import psycopg

from hanport.model import Reading
from hanport.store.blocks import BlockError, decode_block, encode_block
from hanport.store.postgres.partitions import create_month, month_of
from hanport.store.stored import moment_us, unique

__all__ = ["edge", "first_of", "hour_blocks", "seal_and_pend", "stored_hours"]

_HOUR_US = 3_600_000_000
Hours = list[tuple[int, list[bytes]]]
_SEAL = (
    "INSERT INTO blocks (meter, hour, n, data) "
    "SELECT * FROM unnest(%b::int[], %b::bigint[], %b::int[], %b::bytea[]) "
    "ON CONFLICT (meter, hour) DO UPDATE SET n = excluded.n, data = excluded.data"
)


def seal_and_pend(db: psycopg.Connection[Any], batches: dict[int, list[Reading]]) -> None:
    """Per meter, readings in time order: the newest hour among them into `pending`; every
    earlier hour (pending before, or in the batch) sealed into its block."""
    groups: dict[int, dict[int, list[Reading]]] = {}
    for meter, readings in batches.items():
        by_hour: dict[int, list[Reading]] = defaultdict(list)
        for reading in readings:
            by_hour[moment_us(reading) // _HOUR_US].append(reading)
        groups[meter] = by_hour
    newest = {meter: max(hours) for meter, hours in groups.items()}
    waiting = db.execute(
        "SELECT p.meter, p.hour, p.data FROM pending p "
        "JOIN unnest(%s::int[], %s::bigint[]) AS w(meter, hour) "
        "ON p.meter = w.meter AND p.hour < w.hour ORDER BY p.meter, p.hour, p.seq",
        (list(newest), list(newest.values())),
        binary=True,
    ).fetchall()
    to_seal: dict[tuple[int, int], list[Reading]] = {}
    for meter, hour, data in waiting:
        to_seal.setdefault((meter, hour), []).extend(decode_block(data))
    pend = []
    for meter, hours in groups.items():
        for hour, readings in hours.items():
            if hour < newest[meter] or (meter, hour) in to_seal:
                to_seal.setdefault((meter, hour), []).extend(readings)
            else:
                pend.append((meter, hour, len(readings), encode_block(readings)))
    if to_seal:
        _seal(db, to_seal)
    if pend:
        db.execute(
            "INSERT INTO pending (meter, hour, n, data) "
            "SELECT * FROM unnest(%b::int[], %b::bigint[], %b::int[], %b::bytea[])",
            [list(column) for column in zip(*pend, strict=True)],
            binary=True,  # arrays of bytes sent as they are, not escaped as text
        )


def _seal(db: psycopg.Connection[Any], hours: dict[tuple[int, int], list[Reading]]) -> None:
    """Each (meter, hour) into one block: the block stored before, the pending ones, the new."""
    meters, numbers = zip(*hours, strict=True)
    stored = db.execute(
        "SELECT b.meter, b.hour, b.data FROM blocks b JOIN unnest(%s::int[], %s::bigint[]) "
        "AS w(meter, hour) ON b.meter = w.meter AND b.hour = w.hour",
        (list(meters), list(numbers)),
        binary=True,
    ).fetchall()
    before = {(meter, hour): decode_block(data) for meter, hour, data in stored}
    rows = []
    for key, fresh in hours.items():
        readings = unique([*before.get(key, ()), *fresh])
        rows.append((*key, len(readings), encode_block(readings)))
    columns = [list(column) for column in zip(*rows, strict=True)]
    try:
        with db.transaction():  # a savepoint: a month whose partition another process dropped
            db.execute(_SEAL, columns, binary=True)
    except psycopg.errors.CheckViolation:  # "no partition of relation blocks found for row"
        for year, month in sorted({month_of(hour) for hour in numbers}):
            create_month(db, year, month)
        db.execute(_SEAL, columns, binary=True)
    db.execute(
        "DELETE FROM pending p USING unnest(%s::int[], %s::bigint[]) AS w(meter, hour) "
        "WHERE p.meter = w.meter AND p.hour = w.hour",
        (list(meters), list(numbers)),
    )


def hour_blocks(db: psycopg.Connection[Any], meter: int, first: int, last: int) -> Hours:
    """The blocks of each stored hour from `first` to `last`, in hour order (a sealed block
    before the pending ones, those in the order written)."""
    rows = db.execute(
        "SELECT hour, data, 0 AS kind, 0::bigint AS seq FROM blocks "
        "WHERE meter = %(m)s AND hour BETWEEN %(a)s AND %(b)s "
        "UNION ALL SELECT hour, data, 1, seq FROM pending "
        "WHERE meter = %(m)s AND hour BETWEEN %(a)s AND %(b)s ORDER BY 1, 3, 4",
        {"m": meter, "a": first, "b": last},
        binary=True,
    ).fetchall()
    grouped: dict[int, list[bytes]] = {}
    for hour, data, _kind, _seq in rows:
        grouped.setdefault(hour, []).append(data)
    return list(grouped.items())


def first_of(db: psycopg.Connection[Any], meter: int) -> int | None:
    """The moment (µs) of the oldest stored reading of a meter."""
    for table in ("blocks", "pending"):
        row = db.execute(
            f"SELECT data FROM {table} WHERE meter = %s ORDER BY hour LIMIT 1",
            (meter,),
            binary=True,
        ).fetchone()
        if row is not None:
            try:
                return min(map(moment_us, decode_block(row[0])))
            except BlockError:
                continue
    return None


def edge(db: psycopg.Connection[Any], meter: int, order: str) -> list[Reading]:
    """The readings of the oldest ("ASC") or newest ("DESC") sealed and pending blocks."""
    found: list[Reading] = []
    for table, then in (("blocks", ""), ("pending", f", seq {order}")):
        row = db.execute(
            f"SELECT data FROM {table} WHERE meter = %s ORDER BY hour {order}{then} LIMIT 1",
            (meter,),
            binary=True,
        ).fetchone()
        if row is not None:
            found += decode_block(row[0])
    return found


def stored_hours(
    db: psycopg.Connection[Any], meter: int, first: int
) -> Iterator[tuple[int, list[Reading] | None]]:
    """Each stored UTC hour of `meter` from hour `first` on, in order, with its readings in
    time order (None for an hour with a block that cannot be read)."""
    rows = db.execute(
        "SELECT hour, data, 0 AS kind, 0::bigint AS seq FROM blocks "
        "WHERE meter = %(m)s AND hour >= %(a)s "
        "UNION ALL SELECT hour, data, 1, seq FROM pending "
        "WHERE meter = %(m)s AND hour >= %(a)s ORDER BY 1, 3, 4",
        {"m": meter, "a": first},
        binary=True,
    )
    hour: int | None = None
    datas: list[bytes] = []
    for found, data, _kind, _seq in rows:
        if found != hour and hour is not None:
            yield hour, _readings(datas)
            datas = []
        hour = found
        datas.append(data)
    if hour is not None:
        yield hour, _readings(datas)


def _readings(datas: list[bytes]) -> list[Reading] | None:
    try:
        return unique(r for data in datas for r in decode_block(data))
    except BlockError:
        return None
