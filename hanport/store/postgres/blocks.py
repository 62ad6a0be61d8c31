"""The PostgreSQL store's blocks (`hanport.store.blocks`): the open hour's readings in
`pending`, one staged row per write (`hanport.store.staged`: cheap to write and read; the
rows of earlier versions are blocks, read as well); closed hours sealed into one block each;
the blocks of a range of hours; a meter's oldest and newest readings; its sealed hours for
recomputing rollups.

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
from hanport.store.staged import readings_of, stage
from hanport.store.stored import moment_us, unique

__all__ = [
    "edge",
    "first_of",
    "hour_blocks",
    "pending_of",
    "seal_and_pend",
    "sealed_hours",
]

_HOUR_US = 3_600_000_000
Hours = list[tuple[int, list[bytes]]]
Sealed = dict[int, list[tuple[int, list[Reading]]]]
"""Meter → the hours a write sealed, in hour order, each with all its readings (time order)."""
_SEAL = (
    "INSERT INTO blocks (meter, hour, n, data) "
    "SELECT * FROM unnest(%b::int[], %b::bigint[], %b::int[], %b::bytea[]) "
    "ON CONFLICT (meter, hour) DO UPDATE SET n = excluded.n, data = excluded.data"
)


def seal_and_pend(
    db: psycopg.Connection[Any],
    batches: dict[int, list[Reading]],
    lasts: dict[int, int | None] | None = None,
) -> Sealed:
    """Per meter, readings in time order: the newest hour among them and the meter's last
    stored reading (`lasts`, µs) into `pending`; every earlier hour (pending before, or in the
    batch) sealed into its block, so that only the newest hour is ever pending. Returns the
    hours sealed, with their readings (for the rollups, which take an hour when it is sealed)."""
    groups: dict[int, dict[int, list[Reading]]] = {}
    for meter, readings in batches.items():
        by_hour: dict[int, list[Reading]] = defaultdict(list)
        for reading in readings:
            by_hour[moment_us(reading) // _HOUR_US].append(reading)
        groups[meter] = by_hour
    known = lasts or {}
    newest = {
        meter: max(*hours, (known.get(meter) or 0) // _HOUR_US) for meter, hours in groups.items()
    }
    waiting = db.execute(
        "SELECT p.meter, p.hour, p.data FROM pending p "
        "JOIN unnest(%s::int[], %s::bigint[]) AS w(meter, hour) "
        "ON p.meter = w.meter AND p.hour < w.hour ORDER BY p.meter, p.hour, p.seq",
        (list(newest), list(newest.values())),
        binary=True,
    ).fetchall()
    to_seal: dict[tuple[int, int], list[Reading]] = {}
    for meter, hour, data in waiting:
        to_seal.setdefault((meter, hour), []).extend(readings_of(data))
    pend = []
    for meter, hours in groups.items():
        for hour, readings in hours.items():
            if hour < newest[meter] or (meter, hour) in to_seal:
                to_seal.setdefault((meter, hour), []).extend(readings)
            else:
                pend.append((meter, hour, len(readings), stage(readings)))
    sealed: Sealed = {}
    if to_seal:
        for (meter, hour), readings in sorted(_seal(db, to_seal).items()):
            sealed.setdefault(meter, []).append((hour, readings))
    if pend:
        db.execute(
            "INSERT INTO pending (meter, hour, n, data) "
            "SELECT * FROM unnest(%b::int[], %b::bigint[], %b::int[], %b::bytea[])",
            [list(column) for column in zip(*pend, strict=True)],
            binary=True,  # arrays of bytes sent as they are, not escaped as text
        )
    return sealed


def _seal(
    db: psycopg.Connection[Any], hours: dict[tuple[int, int], list[Reading]]
) -> dict[tuple[int, int], list[Reading]]:
    """Each (meter, hour) into one block: the block stored before, the pending ones, the new.
    Returns each hour's readings as sealed."""
    meters, numbers = zip(*hours, strict=True)
    stored = db.execute(
        "SELECT b.meter, b.hour, b.data FROM blocks b JOIN unnest(%s::int[], %s::bigint[]) "
        "AS w(meter, hour) ON b.meter = w.meter AND b.hour = w.hour",
        (list(meters), list(numbers)),
        binary=True,
    ).fetchall()
    before = {(meter, hour): decode_block(data) for meter, hour, data in stored}
    rows = []
    done = {}
    for key, fresh in hours.items():
        readings = done[key] = unique([*before.get(key, ()), *fresh])
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
    return done


def pending_of(db: psycopg.Connection[Any], meter: int) -> tuple[tuple[int, int], list[Reading]]:
    """The readings of a meter's pending rows (time order, one per time), and (rows, last seq)
    to tell whether they changed."""
    rows = db.execute(
        "SELECT seq, data FROM pending WHERE meter = %s ORDER BY hour, seq", (meter,), binary=True
    ).fetchall()
    if not rows:
        return (0, 0), []
    found = [r for _seq, data in rows for r in readings_of(data)]
    return (len(rows), max(seq for seq, _ in rows)), unique(found)


def hour_blocks(db: psycopg.Connection[Any], meter: int, first: int, last: int) -> Hours:
    """The blocks of each stored hour from `first` to `last`, in hour order (a sealed block
    before the pending rows, those made into one block, their readings in the order written)."""
    rows = db.execute(
        "SELECT hour, data, 0 AS kind, 0::bigint AS seq FROM blocks "
        "WHERE meter = %(m)s AND hour BETWEEN %(a)s AND %(b)s "
        "UNION ALL SELECT hour, data, 1, seq FROM pending "
        "WHERE meter = %(m)s AND hour BETWEEN %(a)s AND %(b)s ORDER BY 1, 3, 4",
        {"m": meter, "a": first, "b": last},
        binary=True,
    ).fetchall()
    grouped: dict[int, list[bytes]] = {}
    waiting: dict[int, list[Reading]] = {}
    for hour, data, kind, _seq in rows:
        datas = grouped.setdefault(hour, [])
        if kind == 0:
            datas.append(data)
        else:
            waiting.setdefault(hour, []).extend(readings_of(data))
    for hour, readings in waiting.items():
        grouped[hour].append(encode_block(unique(readings)))
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
                return min(map(moment_us, readings_of(row[0])))
            except BlockError:
                continue
    return None


def edge(db: psycopg.Connection[Any], meter: int, order: str) -> list[Reading]:
    """The readings of the oldest ("ASC") or newest ("DESC") sealed block and of every pending
    row of the oldest or newest pending hour (a row written last may hold a reading sent
    again, older than the hour's newest)."""
    found: list[Reading] = []
    row = db.execute(
        f"SELECT data FROM blocks WHERE meter = %s ORDER BY hour {order} LIMIT 1",
        (meter,),
        binary=True,
    ).fetchone()
    if row is not None:
        found += readings_of(row[0])
    pick = "max" if order == "DESC" else "min"
    for (data,) in db.execute(
        "SELECT data FROM pending WHERE meter = %(m)s AND hour = "
        f"(SELECT {pick}(hour) FROM pending WHERE meter = %(m)s)",
        {"m": meter},
        binary=True,
    ):
        found += readings_of(data)
    return found


def sealed_hours(
    db: psycopg.Connection[Any], meter: int, first: int
) -> Iterator[tuple[int, list[Reading] | None]]:
    """Each sealed UTC hour of `meter` from hour `first` on, in order, with its readings in
    time order (None for an hour with a block that cannot be read): the rollups' readings, the
    open hour waits in `pending`."""
    rows = db.execute(
        "SELECT hour, data FROM blocks WHERE meter = %s AND hour >= %s ORDER BY hour",
        (meter, first),
        binary=True,
    )
    for hour, data in rows:
        yield hour, _readings([data])


def _readings(datas: list[bytes]) -> list[Reading] | None:
    try:
        return unique(r for data in datas for r in readings_of(data))
    except BlockError:
        return None
