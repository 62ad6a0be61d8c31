"""The PostgreSQL store's tables, storage version 1, and the upgrades between versions.

    hanport_version  one row: the storage version of the tables
    sites            id, key (the site's name; "default" for a household)
    meters           id, site, key (the meter id, "" for none), model, first and last reading
                     (µs UTC); unique (site, key)
    pending          readings of the UTC hour still open: one staged row per write
                     (`hanport.store.staged`; blocks, as earlier versions wrote, read too)
    blocks           one block per meter and closed UTC hour, partitioned by month of the hour
                     (`partitions.py`); n: the readings in it
    rollups          key (meter, step and start in one integer, as in the SQLite store), start
                     (Unix seconds), readings, import and export Wh, flags (1 gap, 2 reset,
                     4 legacy), the row's JSON body for the API (zlib for 15m)
    rollup_state     per meter, the rollup engine's state after the last sealed hour (JSON)
    records          per site, the subsystems' records (kind, meter, time µs UTC, key, data)

`prepare` makes a database usable: the tables of the newest version in an empty one; the
upgrades from an older version, all in one transaction (PostgreSQL's DDL is transactional: a
failing upgrade leaves the tables as they were); a newer version refused in one sentence. It
runs under an advisory lock, so that several workers starting at once upgrade once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import psycopg

from hanport.errors import HanError
from hanport.store.connection import StoreError

__all__ = ["MIGRATIONS", "SCHEMA", "SCHEMA_VERSION", "prepare", "storage_version"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
LOCK = 0x68616E706F7274  # "hanport": the advisory lock of set-ups and upgrades

SCHEMA = (
    "CREATE TABLE hanport_version (version integer NOT NULL)",
    "CREATE TABLE sites (id serial PRIMARY KEY, key text NOT NULL UNIQUE)",
    "CREATE TABLE meters (id serial PRIMARY KEY, site integer NOT NULL REFERENCES sites, "
    "key text NOT NULL, model text, first bigint, last bigint, UNIQUE (site, key))",
    "CREATE TABLE pending (meter integer NOT NULL, hour bigint NOT NULL, "
    "seq bigserial NOT NULL, n integer NOT NULL, data bytea NOT NULL)",
    "CREATE INDEX pending_by_hour ON pending (meter, hour, seq)",
    "CREATE TABLE blocks (meter integer NOT NULL, hour bigint NOT NULL, n integer NOT NULL, "
    "data bytea NOT NULL, PRIMARY KEY (meter, hour)) PARTITION BY RANGE (hour)",
    "CREATE TABLE rollups (key bigint PRIMARY KEY, start bigint NOT NULL, "
    "readings integer NOT NULL, import_wh bigint NOT NULL, export_wh bigint NOT NULL, "
    "flags smallint NOT NULL, body bytea NOT NULL)",
    "CREATE TABLE rollup_state (meter integer PRIMARY KEY, state text NOT NULL)",
    "CREATE TABLE records (site integer NOT NULL, kind text NOT NULL, meter text NOT NULL, "
    "time bigint NOT NULL, key text NOT NULL, data text NOT NULL, "
    "PRIMARY KEY (site, kind, meter, time, key))",
    "CREATE INDEX records_by_time ON records (site, kind, time)",
    # the blocks are zlib already: kept out of line as they are, never compressed again
    "ALTER TABLE blocks ALTER COLUMN data SET STORAGE EXTERNAL",
    "ALTER TABLE pending ALTER COLUMN data SET STORAGE EXTERNAL",
)

Migration = Callable[[psycopg.Connection[Any]], None]
MIGRATIONS: dict[int, Migration] = {}
"""Version → the upgrade to the next version (inside the caller's transaction)."""


def storage_version(db: psycopg.Connection[Any]) -> int | None:
    """The tables' version; None for a database without hanport's tables."""
    (found,) = db.execute("SELECT to_regclass('hanport_version') IS NOT NULL").fetchone() or (0,)
    if not found:
        return None
    row = db.execute("SELECT version FROM hanport_version").fetchone()
    return int(row[0]) if row else None


def prepare(db: psycopg.Connection[Any], shown: str, upgrade: bool = True) -> None:
    """Make the database usable by this hanport (see the module's rules)."""
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
        version = storage_version(db)
        if version is None:
            for statement in SCHEMA:
                db.execute(statement)
            db.execute("INSERT INTO hanport_version VALUES (%s)", (SCHEMA_VERSION,))
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                "store.newer_database", path=shown, version=version, known=SCHEMA_VERSION
            )
        if version == SCHEMA_VERSION:
            return
        if not upgrade:
            raise StoreError(
                "store.postgresql_needs_upgrade", url=shown, version=version, newest=SCHEMA_VERSION
            )
        log.info("%s", HanError("store.postgresql_upgrading", url=shown, newest=SCHEMA_VERSION))
        try:
            with db.transaction():  # a savepoint: the sentence below, not a half upgrade
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](db)
                db.execute("UPDATE hanport_version SET version = %s", (SCHEMA_VERSION,))
        except (psycopg.Error, KeyError, ValueError) as error:
            raise StoreError(
                "store.postgresql_upgrade_failed",
                url=shown,
                version=version,
                newest=SCHEMA_VERSION,
                error=error,
            ) from None
    log.info("%s", HanError("store.postgresql_upgraded", url=shown, version=SCHEMA_VERSION))
