"""The default store: one SQLite file (WAL), several meters, every reading kept compactly.

    pending   readings of the hour still open, one compact block per write (one transaction)
    blocks    one compact block per meter and closed hour (see `blocks`)
    rollups   15-minute, hour, day and month rollups per meter, from the cumulative registers;
              statistics as JSON text (zlib-compressed in the many 15-minute rows)

A write is one transaction: after `kill -9` the file is intact and holds every write that
returned. When a meter's readings move into a new hour, the previous hour is sealed: its pending
rows become one block, its 15-minute and hour rollups are computed, and its day and month are
combined again from their stored hours and days. This is I/O, meant to run in a worker thread
(`asyncio.to_thread`).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path

from hanport.model import Reading
from hanport.store.blocks import decode_block, encode_block
from hanport.store.connection import StoreError, open_sqlite
from hanport.store.rollups import Rollup, Stats, period_start, rollups

__all__ = ["SqliteStore", "stats_json"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meters (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS pending (
    meter INTEGER NOT NULL, hour INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS pending_by_hour ON pending (meter, hour);
CREATE TABLE IF NOT EXISTS blocks (
    meter INTEGER NOT NULL, hour INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (meter, hour)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollups (
    meter INTEGER NOT NULL, step TEXT NOT NULL, start INTEGER NOT NULL,
    readings INTEGER NOT NULL, import_wh INTEGER NOT NULL, export_wh INTEGER NOT NULL,
    gap INTEGER NOT NULL, reset INTEGER NOT NULL, stats TEXT NOT NULL,
    PRIMARY KEY (meter, step, start)) WITHOUT ROWID;
"""


class SqliteStore:
    def __init__(self, path: str | Path, zone: tzinfo) -> None:
        self.zone = zone
        self.path = str(path)
        self._db = open_sqlite(path)
        try:
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as error:
            self._db.close()
            raise StoreError(
                f"The database {path} cannot be set up ({error}); make it writable, or set "
                "database (or --database) to another path."
            ) from None
        self._meters: dict[str, int] = dict(self._db.execute("SELECT key, id FROM meters"))
        self._last: dict[int, tuple[int, Reading | None]] = {}
        """Per meter: the latest sealed hour and its last reading (rollups start from it)."""

    def close(self) -> None:
        self._db.close()

    def write(self, readings: Sequence[Reading]) -> None:
        """Store readings (one transaction); seal the hours they have moved past."""
        groups: dict[tuple[int, int], list[Reading]] = defaultdict(list)
        for reading in readings:
            groups[(self._meter(reading), _hour(reading))].append(reading)
        newest: dict[int, int] = {}
        for meter, hour in groups:
            newest[meter] = max(hour, newest.get(meter, hour))
        with self._transaction():
            for meter, open_hour in newest.items():
                self._seal_before(meter, open_hour)
            for (meter, hour), batch in sorted(groups.items()):
                if hour < newest[meter]:  # already closed: straight into its block
                    self._seal(meter, hour, batch)
                else:
                    self._db.execute(
                        "INSERT INTO pending VALUES (?, ?, ?)", (meter, hour, encode_block(batch))
                    )

    def readings(self, meter: str, start: datetime, end: datetime) -> list[Reading]:
        """Every stored reading of `meter` with start <= time < end, in time order."""
        meter_id = self._meters.get(meter)
        if meter_id is None:
            return []
        first, last = int(start.timestamp()) // 3600, int(end.timestamp()) // 3600
        rows = self._db.execute(
            "SELECT data FROM blocks WHERE meter = ? AND hour BETWEEN ? AND ? "
            "UNION ALL SELECT data FROM pending WHERE meter = ? AND hour BETWEEN ? AND ?",
            (meter_id, first, last, meter_id, first, last),
        )
        found = [r for (data,) in rows for r in decode_block(data) if start <= _time(r) < end]
        return _unique(found)

    def series(self, meter: str, step: str, start: datetime, end: datetime) -> list[Rollup]:
        """Stored rollups starting in [start, end): a day or month holds its sealed hours."""
        return [_rollup(step, row, self.zone) for row in self.series_rows(meter, step, start, end)]

    def series_rows(
        self, meter: str, step: str, start: datetime, end: datetime
    ) -> list[tuple[int, int, int, int, int, int, str]]:
        """Stored 15m or 1h rollups as rows: (start as Unix time, readings, import Wh, export
        Wh, gap, reset, statistics as JSON text). For an API that passes them straight on."""
        meter_id = self._meters.get(meter)
        if meter_id is None:
            return []
        return self._rows(meter_id, step, int(start.timestamp()), int(end.timestamp()))

    def _rows(
        self, meter: int, step: str, start: int, end: int
    ) -> list[tuple[int, int, int, int, int, int, str]]:
        rows = self._db.execute(
            "SELECT start, readings, import_wh, export_wh, gap, reset, stats FROM rollups "
            "WHERE meter = ? AND step = ? AND start >= ? AND start < ? ORDER BY start",
            (meter, step, start, end),
        ).fetchall()
        if step != "15m":
            return rows
        return [(*row[:6], zlib.decompress(row[6]).decode()) for row in rows]

    _open: tuple[tuple[object, ...], dict[str, list[Rollup]]] | None = None
    """`open_rollups`' last answers per step, and the state of the store they came from."""

    def open_rollups(self, meter: str, step: str, start: datetime, end: datetime) -> list[Rollup]:
        """The rollups of the hour not sealed yet, computed from its stored readings as sealing
        will compute them: its quarters (15m), the hour (1h), or its day (month) combined from
        the stored hours (days) before it and the open hour. The last one holds the newest
        reading: its period is still open. Empty when none of them can start in [start, end).
        Asked again before the next write, the answer is the one computed before."""
        meter_id = self._meters.get(meter)
        if meter_id is None:
            return []
        hour, count, newest = self._db.execute(
            "SELECT max(hour), count(*), max(rowid) FROM pending WHERE meter = ?", (meter_id,)
        ).fetchone()
        moment = datetime.fromtimestamp((hour or 0) * 3600, self.zone)
        period = period_start(moment, "1h" if step == "15m" else step, self.zone)
        if hour is None or period >= end or period + timedelta(hours=1) <= start:
            return []
        blocks = self._db.execute(  # the hour's own block (rare) and the one before it
            "SELECT hour, length(data) FROM blocks WHERE meter = ? AND hour <= ? "
            "ORDER BY hour DESC LIMIT 2",
            (meter_id, hour),
        ).fetchall()
        key = (meter_id, hour, count, newest, *blocks)
        if self._open is None or self._open[0] != key:
            self._open = (key, {})
        answers = self._open[1]
        if step not in answers:
            answers[step] = self._open_rollups(meter_id, hour, step)
        return answers[step]

    def _open_rollups(self, meter: int, hour: int, step: str) -> list[Rollup]:
        rows = self._db.execute(
            "SELECT data FROM pending WHERE meter = ? AND hour = ? "
            "UNION ALL SELECT data FROM blocks WHERE meter = ? AND hour = ?",
            (meter, hour, meter, hour),
        )
        readings = _unique([*self._last_before(meter, hour), *_decoded(rows)])
        own = [
            rollup
            for rollup in rollups(readings, "15m" if step == "15m" else "1h", self.zone)
            if int(rollup.start.timestamp()) >= hour * 3600
        ]
        moment = datetime.fromtimestamp(hour * 3600, self.zone)
        for part, whole in _COMBINED.get(step, ()):
            if not own:
                break
            first = int(period_start(moment, whole, self.zone).timestamp())
            before = self._rows(meter, part, first, int(own[0].start.timestamp()))
            own = _combine([*(_rollup(part, r, self.zone) for r in before), *own], whole, self.zone)
        return own

    def prune(self, before: datetime) -> int:
        """Delete raw readings older than `before` (whole hours); rollups are kept. Returns the
        number of hour blocks removed."""
        hour = int(before.timestamp()) // 3600
        with self._transaction():
            cursor = self._db.execute("DELETE FROM blocks WHERE hour < ?", (hour,))
            self._db.execute("DELETE FROM pending WHERE hour < ?", (hour,))
        return cursor.rowcount

    def meters(self) -> list[str]:
        return sorted(self._meters)

    def refresh(self) -> None:
        """See meters another connection (the writer) has added since this one opened."""
        self._meters = dict(self._db.execute("SELECT key, id FROM meters"))

    def latest(self, meter: str) -> Reading | None:
        """The newest stored reading of `meter`."""
        found = self._edge(meter, "DESC")
        return max(found, key=_time) if found else None

    def first(self, meter: str) -> Reading | None:
        """The oldest stored reading of `meter` (after pruning, the oldest kept)."""
        found = self._edge(meter, "ASC")
        return min(found, key=_time) if found else None

    def _edge(self, meter: str, order: str) -> list[Reading]:
        meter_id = self._meters.get(meter)
        if meter_id is None:
            return []
        found: list[Reading] = []
        for table, then in (("blocks", ""), ("pending", f", rowid {order}")):
            row = self._db.execute(
                f"SELECT data FROM {table} WHERE meter = ? ORDER BY hour {order}{then} LIMIT 1",
                (meter_id,),
            ).fetchone()
            if row is not None:
                found += decode_block(row[0])
        return found

    def _meter(self, reading: Reading) -> int:
        key = reading.meter_id or ""
        meter = self._meters.get(key)
        if meter is None:
            cursor = self._db.execute("INSERT INTO meters (key) VALUES (?)", (key,))
            meter = self._meters[key] = int(cursor.lastrowid or 0)
        return meter

    def _seal_before(self, meter: int, open_hour: int) -> None:
        hours = [
            hour
            for (hour,) in self._db.execute(
                "SELECT DISTINCT hour FROM pending WHERE meter = ? AND hour < ? ORDER BY hour",
                (meter, open_hour),
            )
        ]
        for hour in hours:
            self._seal(meter, hour)

    def _seal(self, meter: int, hour: int, fresh: Sequence[Reading] = ()) -> None:
        rows = self._db.execute(
            "SELECT data FROM pending WHERE meter = ? AND hour = ? "
            "UNION ALL SELECT data FROM blocks WHERE meter = ? AND hour = ?",
            (meter, hour, meter, hour),
        )
        stored = [r for (data,) in rows for r in decode_block(data)]
        readings = _unique([*stored, *fresh])
        self._db.execute(
            "INSERT OR REPLACE INTO blocks VALUES (?, ?, ?)", (meter, hour, encode_block(readings))
        )
        self._db.execute("DELETE FROM pending WHERE meter = ? AND hour = ?", (meter, hour))
        before = self._last_before(meter, hour)
        if hour >= self._last.get(meter, (-1, None))[0]:
            self._last[meter] = (hour, readings[-1])
        first_seal = not self._rows(meter, "1h", hour * 3600, hour * 3600 + 1)
        hours = []
        for step in ("15m", "1h"):
            for rollup in rollups([*before, *readings], step, self.zone):
                if int(rollup.start.timestamp()) >= hour * 3600:
                    self._save(meter, rollup)
                    if step == "1h":
                        hours.append(rollup)
        moment = datetime.fromtimestamp(hour * 3600, self.zone)
        if first_seal:  # the usual case: add the new hour to its day and month
            for step in ("1d", "1mo"):
                self._add_to(meter, step, moment, hours)
        else:  # the hour was sealed before and changed: combine its day and month again
            self._recombine(meter, "1h", "1d", moment)
            self._recombine(meter, "1d", "1mo", moment)

    def _add_to(self, meter: int, step: str, moment: datetime, hours: list[Rollup]) -> None:
        start = int(period_start(moment, step, self.zone).timestamp())
        stored = [
            _rollup(step, row, self.zone) for row in self._rows(meter, step, start, start + 1)
        ]
        for rollup in _combine([*stored, *hours], step, self.zone):
            self._save(meter, rollup)

    def _recombine(self, meter: int, part: str, step: str, moment: datetime) -> None:
        """Store the day (month) holding `moment`, combined from its stored hours (days)."""
        start = period_start(moment, step, self.zone)
        end = period_start(
            start + timedelta(days=32 if step == "1mo" else 1, hours=2), step, self.zone
        )
        rows = self._rows(meter, part, int(start.timestamp()), int(end.timestamp()))
        for rollup in _combine((_rollup(part, row, self.zone) for row in rows), step, self.zone):
            self._save(meter, rollup)

    def _last_before(self, meter: int, hour: int) -> list[Reading]:
        cached_hour, cached = self._last.get(meter, (-1, None))
        if (
            cached is not None
            and cached_hour < hour
            and not self._block_between(meter, cached_hour, hour)
        ):
            return [cached]
        row = self._db.execute(
            "SELECT data FROM blocks WHERE meter = ? AND hour < ? ORDER BY hour DESC LIMIT 1",
            (meter, hour),
        ).fetchone()
        return decode_block(row[0])[-1:] if row else []

    def _block_between(self, meter: int, after: int, before: int) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM blocks WHERE meter = ? AND hour > ? AND hour < ? LIMIT 1",
            (meter, after, before),
        ).fetchone()
        return row is not None

    def _save(self, meter: int, rollup: Rollup) -> None:
        text = "{" + ",".join(f'"{name}":{stats_json(s)}' for name, s in rollup.stats.items())
        stats: str | bytes = text + "}"
        if rollup.step == "15m":  # 4 of every 5 rows: compressed, 970 → 280 bytes
            stats = zlib.compress((text + "}").encode(), 6)
        self._db.execute(
            "INSERT OR REPLACE INTO rollups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                meter,
                rollup.step,
                int(rollup.start.timestamp()),
                rollup.readings,
                rollup.energy_import_wh,
                rollup.energy_export_wh,
                int(rollup.gap),
                int(rollup.reset),
                stats,
            ),
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error:
                if self._db.in_transaction:  # a failed COMMIT leaves it open: never half-write
                    self._db.execute("ROLLBACK")
                raise
        elif self._db.in_transaction:  # SQLite may have rolled back already (a full disk)
            self._db.execute("ROLLBACK")


def _time(reading: Reading) -> datetime:
    moment = reading.meter_time or reading.received_at
    if moment is None:
        raise ValueError("A reading without meter time or reception time cannot be stored.")
    return moment


def _unique(readings: Iterable[Reading]) -> list[Reading]:
    """In time order, one reading per time: a reading stored again replaces the first."""
    by_time = {_time(reading).timestamp(): reading for reading in readings}
    return [by_time[moment] for moment in sorted(by_time)]


def _decoded(rows: Iterable[tuple[bytes]]) -> list[Reading]:
    return [reading for (data,) in rows for reading in decode_block(data)]


def _hour(reading: Reading) -> int:
    return int(_time(reading).timestamp()) // 3600


def stats_json(stats: Stats) -> str:
    """`{"min":…,"max":…,"avg":…,"sum":…,"n":…}`, numbers written from their exact decimal text;
    the mean rounded to 3 decimals. Stored like this so that the API can pass it on unparsed."""
    mean = (Decimal(stats.total) / stats.count).quantize(_MILLI)
    return (
        f'{{"min":{stats.minimum},"max":{stats.maximum},"avg":{mean.normalize():f},'
        f'"sum":{stats.total},"n":{stats.count}}}'
    )


_MILLI = Decimal("0.001")
_COMBINED = {"1d": (("1h", "1d"),), "1mo": (("1h", "1d"), ("1d", "1mo"))}
"""How the open hour goes into its day and month: combined with the stored parts before it."""


def _rollup(step: str, row: tuple[int, int, int, int, int, int, str], zone: tzinfo) -> Rollup:
    start, readings, imported, exported, gap, reset, stats = row
    parsed = {
        name: Stats(value["min"], value["max"], value["sum"], value["n"])
        for name, value in _STATS_JSON.decode(stats).items()
    }
    moment = datetime.fromtimestamp(start, zone)
    return Rollup(step, moment, readings, imported, exported, bool(gap), bool(reset), parsed)


_STATS_JSON = json.JSONDecoder(parse_float=Decimal)
"""Reads the stored statistics' numbers as exact Decimals (one decoder, built once)."""


def _combine(parts: Iterable[Rollup], step: str, zone: tzinfo) -> list[Rollup]:
    combined: dict[float, Rollup] = {}
    for part in parts:
        start = period_start(part.start, step, zone)
        into = combined.setdefault(start.timestamp(), Rollup(step, start))
        into.readings += part.readings
        into.energy_import_wh += part.energy_import_wh
        into.energy_export_wh += part.energy_export_wh
        into.gap |= part.gap
        into.reset |= part.reset
        for name, stats in part.stats.items():
            mine = into.stats.get(name)
            if mine is None:
                into.stats[name] = Stats(stats.minimum, stats.maximum, stats.total, stats.count)
            else:
                mine.minimum = min(mine.minimum, stats.minimum)
                mine.maximum = max(mine.maximum, stats.maximum)
                mine.total += stats.total
                mine.count += stats.count
    return list(combined.values())
