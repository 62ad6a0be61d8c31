"""The PostgreSQL store: readings of many sites and meters, kept as compactly as in SQLite.

Implements `hanport.store.base.Store` and its capabilities `SeriesJson`, `ColumnReader` and
`RecordStore` on the tables of `hanport.store.postgres.schema`, with the SQLite store's rules:
a reading is identified by (site, meter, meter_time), and one stored again replaces the first
(a duplicate is harmless); the open hour's readings wait in `pending` as staged rows
(`hanport.store.staged`, cheap to write), closed hours are sealed into one block each
(`hanport.store.blocks`, about 10 bytes a reading); the rollup engine takes an hour's readings
when it is sealed (readers feed the open hour to a copy of its state), and a late reading makes
the rollups around it be computed again.

A store object belongs to one site (`site`, or `?site=` in the URL; "default" for a household).
A server writes many sites in one transaction with `write_sites`, and gets a store of another
site on the same connection with `for_site`. A write locks the rows of the meters it touches
(in id order), so several workers may write the same meters at once. This is blocking I/O,
meant for a worker thread; a lock makes one store safe to share between threads.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import psycopg

from hanport.model import Reading
from hanport.store.base import MeterInfo, Record, Rollup
from hanport.store.blocks import decode_block
from hanport.store.postgres import blocks, records
from hanport.store.postgres.connection import Database, shown_url, split_site
from hanport.store.postgres.partitions import Partitions
from hanport.store.postgres.rollups import PgRollups
from hanport.store.postgres.schema import prepare
from hanport.store.postgres.series import joined_text, series_text
from hanport.store.postgres.stats import MeterCount, meter_counts
from hanport.store.postgres.writes import store_batches
from hanport.store.rollups import STAT_FIELDS
from hanport.store.sqlite_blocks import weekly_columns
from hanport.store.sqlite_tools import check_step, merged
from hanport.store.stored import moment_us, unique

__all__ = ["PostgresStore"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_HOUR_US = 3_600_000_000


class PostgresStore:
    """Readings, rollups and records of one site in a PostgreSQL database. `upgrade=False`
    refuses (with one sentence) tables of an older storage version instead of upgrading them."""

    def __init__(
        self,
        url: str,
        zone: tzinfo,
        *,
        upgrade: bool = True,
        site: str | None = None,
        _shared: tuple[Database, Partitions] | None = None,
    ) -> None:
        libpq, named = split_site(url)
        self._zone = zone
        self.site = site if site is not None else named
        self.url = shown_url(url)
        self._db, self._partitions = _shared or (Database(libpq), Partitions())
        self._site_ids: dict[str, int] = {}
        try:
            with self._db.lock, self._db.errors():
                if _shared is None:
                    prepare(self._db.connection(), self.url, upgrade)
                self._rollups = PgRollups(self._db.connection(), zone)
                self._site_id = self._site(self.site)
        except BaseException:
            if _shared is None:
                self._db.close()
            raise
        self._ids: dict[tuple[int, str], int] = {}

    @property
    def zone(self) -> tzinfo:
        return self._zone

    def close(self) -> None:
        self._db.close()

    def for_site(self, site: str) -> PostgresStore:
        """The store of another site, on this store's connection."""
        return PostgresStore(self.url, self._zone, site=site, _shared=(self._db, self._partitions))

    def sites(self) -> list[str]:
        with self._tx() as db:
            return [key for (key,) in db.execute('SELECT key FROM sites ORDER BY key COLLATE "C"')]

    def counts(self) -> list[MeterCount]:
        """Every site's meters with their stored readings and first and last meter time."""
        with self._snapshot() as db:
            return meter_counts(db)

    # --- Store -----------------------------------------------------------------------------

    def write(self, readings: Sequence[Reading]) -> None:
        """Store readings (one transaction); seal the hours they have moved past."""
        self.write_sites({self.site: readings})

    def write_sites(self, batches: Mapping[str, Sequence[Reading]]) -> None:
        """Readings of several sites (site name → readings) in one transaction."""
        by_meter: dict[tuple[str, str], list[Reading]] = defaultdict(list)
        for site, readings in batches.items():
            for reading in readings:
                by_meter[site, reading.meter_id or ""].append(reading)
        if not by_meter:
            return
        ordered = {key: unique(batch) for key, batch in by_meter.items()}
        hours = {moment_us(r) // _HOUR_US for batch in ordered.values() for r in batch}
        with self._db.lock, self._db.errors():
            self._partitions.ensure(self._db.connection(), hours)
        try:
            self._write(ordered)
        except BaseException:
            self._ids.clear()  # meters and sites made by the rolled-back transaction are gone
            self._site_ids = {self.site: self._site_id}
            self._rollups.drop_engines()
            self._partitions.forget()  # a month dropped by another process's retention
            raise

    def _write(self, ordered: dict[tuple[str, str], list[Reading]]) -> None:
        with self._tx() as db:
            ids = self._meter_ids(db, list(ordered))
            store_batches(db, self._rollups, {ids[key]: batch for key, batch in ordered.items()})

    def latest(self, meter: str) -> Reading | None:
        found = self._edge(meter, "DESC")
        return max(found, key=moment_us) if found else None

    def first(self, meter: str) -> Reading | None:
        """The oldest stored reading of `meter` (after pruning, the oldest kept)."""
        found = self._edge(meter, "ASC")
        return min(found, key=moment_us) if found else None

    def readings(self, meter: str, start: datetime, end: datetime) -> list[Reading]:
        low, high = _micros(start), _micros(end)
        found = [
            r
            for _hour, datas in self._hour_blocks(meter, low // _HOUR_US, high // _HOUR_US)
            for data in datas
            for r in decode_block(data)
        ]
        return [r for r in unique(found) if low <= moment_us(r) < high]

    def series(self, meter: str, step: str, start: datetime, end: datetime) -> list[Rollup]:
        check_step(step)
        low, high = int(start.timestamp()), int(end.timestamp())
        with self._snapshot() as db:
            meter_id = self._id(db, meter)
            if meter_id is None:
                return []
            stored = self._rollups.typed(meter_id, step, low, high)
            fresh = self._rollups.open_rows(meter_id, step)
        return merged(stored, fresh, low, high, lambda rollup: int(rollup.start.timestamp()))

    def meters(self) -> list[MeterInfo]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT key, model, first, last FROM meters WHERE site = %s "
                'ORDER BY key COLLATE "C"',
                (self._site_id,),
            ).fetchall()
        return [
            MeterInfo(key, model, self._maybe_local(first), self._maybe_local(last))
            for key, model, first, last in rows
        ]

    def prune(self, before: datetime) -> int:
        """Delete the site's raw readings older than `before` (whole hours); rollups are kept.
        Returns the number of hour blocks removed; months left empty lose their partition."""
        hour = _micros(before) // _HOUR_US
        with self._tx() as db:
            mine = "meter IN (SELECT id FROM meters WHERE site = %s) AND hour < %s"
            removed = db.execute(f"DELETE FROM blocks WHERE {mine}", (self._site_id, hour)).rowcount
            db.execute(f"DELETE FROM pending WHERE {mine}", (self._site_id, hour))
            for (meter,) in db.execute(  # the meters whose oldest reading was deleted
                "SELECT id FROM meters WHERE site = %s AND first < %s",
                (self._site_id, hour * _HOUR_US),
            ).fetchall():
                db.execute(
                    "UPDATE meters SET first = %(f)s, last = CASE WHEN %(f)s::bigint IS NULL "
                    "THEN NULL ELSE last END WHERE id = %(id)s",
                    {"f": blocks.first_of(db, meter), "id": meter},
                )
        with self._db.lock, self._db.errors():
            self._partitions.drop_empty_before(self._db.connection(), hour)
        return removed

    # --- SeriesJson, ColumnReader ----------------------------------------------------------

    def series_json(
        self, meter: str, step: str, start: datetime, end: datetime, fields: Sequence[str] | None
    ) -> str:
        check_step(step)
        low, high = int(start.timestamp()), int(end.timestamp())
        with self._snapshot() as db:
            meter_id = self._id(db, meter)
            if meter_id is None:
                return "[]"
            fresh = self._rollups.open_rows(meter_id, step)
            if fields is None or set(fields) >= set(STAT_FIELDS):
                text = joined_text(db, self._zone, meter_id, step, low, high, fresh)
                if text is not None:
                    return text
            stored = self._rollups.stored(meter_id, step, low, high)
        return series_text(self._zone, stored, fresh, low, high, fields)

    def columns(
        self, meter: str, start: datetime, end: datetime, names: Sequence[str]
    ) -> Iterator[tuple[object, ...]]:
        hours = functools.partial(self._hour_blocks, meter)
        yield from weekly_columns(hours, _micros(start), _micros(end), list(names))

    # --- RecordStore -----------------------------------------------------------------------

    def put_records(self, kind: str, rows: Sequence[Record]) -> None:
        with self._tx() as db:
            records.put_records(db, self._site_id, kind, rows)

    def records(
        self,
        kind: str,
        start: datetime,
        end: datetime,
        meter: str | None = None,
        key: str | None = None,
    ) -> list[Record]:
        with self._tx() as db:
            return records.read_records(db, self._site_id, kind, start, end, meter, key)

    def delete_records(self, kind: str, before: datetime) -> int:
        with self._tx() as db:
            return records.delete_records(db, self._site_id, kind, before)

    # --- writing ---------------------------------------------------------------------------

    def _meter_ids(
        self, db: psycopg.Connection[Any], keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
        sites = {site: self._site(site, db) for site in sorted({site for site, _ in keys})}
        wanted = {(sites[site], key): (site, key) for site, key in keys}
        missing = sorted(pair for pair in wanted if pair not in self._ids)  # one order: no deadlock
        if missing:
            site_ids, names = [s for s, _ in missing], [k for _, k in missing]
            db.execute(
                "INSERT INTO meters (site, key) SELECT * FROM unnest(%s::int[], %s::text[]) "
                "ON CONFLICT DO NOTHING",
                (site_ids, names),
            )
            for site_id, key, found in db.execute(
                "SELECT m.site, m.key, m.id FROM meters m JOIN unnest(%s::int[], %s::text[]) "
                "AS w(site, key) ON m.site = w.site AND m.key = w.key",
                (site_ids, names),
            ):
                self._ids[site_id, key] = found
        return {named: self._ids[pair] for pair, named in wanted.items()}

    def _site(self, name: str, db: psycopg.Connection[Any] | None = None) -> int:
        found = self._site_ids.get(name)
        if found is None:
            db = db or self._db.connection()
            db.execute("INSERT INTO sites (key) VALUES (%s) ON CONFLICT DO NOTHING", (name,))
            row = db.execute("SELECT id FROM sites WHERE key = %s", (name,)).fetchone()
            assert row is not None
            found = self._site_ids[name] = int(row[0])
        return found

    # --- reading ---------------------------------------------------------------------------

    def _hour_blocks(self, meter: str, first: int, last: int) -> blocks.Hours:
        with self._tx() as db:
            meter_id = self._id(db, meter)
            return [] if meter_id is None else blocks.hour_blocks(db, meter_id, first, last)

    def _edge(self, meter: str, order: str) -> list[Reading]:
        with self._snapshot() as db:
            meter_id = self._id(db, meter)
            return [] if meter_id is None else blocks.edge(db, meter_id, order)

    def _id(self, db: psycopg.Connection[Any], meter: str) -> int | None:
        found = self._ids.get((self._site_id, meter))
        if found is None:
            row = db.execute(
                "SELECT id FROM meters WHERE site = %s AND key = %s", (self._site_id, meter)
            ).fetchone()
            if row is None:
                return None
            found = self._ids[self._site_id, meter] = int(row[0])
        return found

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection[Any]]:
        with self._db.transaction() as db:
            self._rollups.pg = db
            yield db

    @contextmanager
    def _snapshot(self) -> Iterator[psycopg.Connection[Any]]:
        """One snapshot for the rows and the carried state read together."""
        with self._tx() as db:
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield db

    def _maybe_local(self, micros: int | None) -> datetime | None:
        return None if micros is None else self._local(micros)

    def _local(self, micros: int) -> datetime:
        seconds, rest = divmod(micros, 1_000_000)
        return datetime.fromtimestamp(seconds, self._zone).replace(microsecond=rest)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _US
