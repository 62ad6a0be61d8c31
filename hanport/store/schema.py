"""The SQLite store's tables, storage version 1 (`PRAGMA user_version`; 0 was hanport 0.1.0).

meters        id, key (the meter id, "" for none), model, first and last reading (µs UTC)
pending       readings of the hour still open, one block per write
blocks        one block per meter and closed UTC hour (`hanport.store.blocks`)
rollups       per meter, step ("15m", "1h", "1d", "1mo") and start (Unix seconds):
              readings, import and export Wh, flags (1 gap, 2 reset, 4 legacy) and the
              row's JSON body for the API (zlib-compressed for 15m, 4 of every 5 rows)
rollup_state  per meter, the rollup engine's state after the last write (JSON): the
              quarters and the hour not final yet
records       the subsystems' records (`hanport.store.records`)
"""

from __future__ import annotations

import sqlite3

from hanport.store.records import RECORDS_SCHEMA

__all__ = [
    "FLAG_GAP",
    "FLAG_LEGACY",
    "FLAG_RESET",
    "SCHEMA",
    "SCHEMA_VERSION",
    "create_tables",
    "rollup_key",
]

SCHEMA_VERSION = 1
FLAG_GAP, FLAG_RESET, FLAG_LEGACY = 1, 2, 4

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meters (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
    "model TEXT, first INTEGER, last INTEGER)",
    "CREATE TABLE IF NOT EXISTS pending (meter INTEGER NOT NULL, hour INTEGER NOT NULL, "
    "data BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS pending_by_hour ON pending (meter, hour)",
    "CREATE TABLE IF NOT EXISTS blocks (meter INTEGER NOT NULL, hour INTEGER NOT NULL, "
    "data BLOB NOT NULL, PRIMARY KEY (meter, hour)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS rollups (key INTEGER PRIMARY KEY, meter INTEGER NOT NULL, "
    "step TEXT NOT NULL, start INTEGER NOT NULL, readings INTEGER NOT NULL, "
    "import_wh INTEGER NOT NULL, export_wh INTEGER NOT NULL, flags INTEGER NOT NULL, "
    "body BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rollup_state (meter INTEGER PRIMARY KEY, state TEXT NOT NULL)",
    *RECORDS_SCHEMA,
)


_STEP_CODES = {"15m": 0, "1h": 1, "1d": 2, "1mo": 3}
_START_BITS = 34
_START_BIAS = 1 << 33


def rollup_key(meter: int, step: str, start: int) -> int:
    """The rollup row's key: the meter, the step and the start (Unix seconds from 1698 to
    2242) in one integer, in that order, so that a meter's step is one range of keys."""
    return (meter << 2 | _STEP_CODES[step]) << _START_BITS | (start + _START_BIAS)


def create_tables(db: sqlite3.Connection) -> None:
    """Every table of the newest version (inside the caller's transaction)."""
    for statement in SCHEMA:
        db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
