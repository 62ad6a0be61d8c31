"""Storage versions (`PRAGMA user_version`) and the upgrades between them.

    0   hanport 0.1.0 and the code of issue 9: rollups with the old boundary rule, no records
    1   the `Store` interface (issue 10): rollups by the DSO's boundary rule with legacy flags and
        their API bodies, the rollup engine's state, meters with model and first/last reading,
        the records table; blocks of format 3 (older blocks are read as they are)

Opening a file of:
    * a newer version → `StoreError` (written by a newer hanport: upgrade it or restore a
      backup); nothing is read or changed;
    * no hanport tables → the tables of the newest version;
    * an older version → a copy first, `<file>.before-v<newest>` (SQLite's online backup, 0600),
      then each upgrade in its own transaction, which also sets `user_version`. A failing
      upgrade is rolled back: the file is as it was, and `StoreError` says so in one sentence.
      After `kill -9` the next opening starts the upgrade again from the version the file is
      at; a copy already taken of the same content is used again, not taken twice.

Two processes opening the file at once are safe: the upgrade runs under SQLite's write lock and
looks at the version again once it holds it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from hanport.errors import HanError
from hanport.store.connection import StoreError
from hanport.store.schema import SCHEMA_VERSION, create_tables

__all__ = ["MIGRATIONS", "backup_path", "prepare", "storage_version"]

log = logging.getLogger(__name__)

Migration = Callable[[sqlite3.Connection, tzinfo], None]


def _upgrade_0(db: sqlite3.Connection, zone: tzinfo) -> None:
    from hanport.store.migrate_v1 import upgrade_0_to_1

    upgrade_0_to_1(db, zone)


MIGRATIONS: dict[int, Migration] = {0: _upgrade_0}
"""Version → the upgrade to the next version (inside a transaction the caller holds)."""


def storage_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def backup_path(path: Path, number: int = 1) -> Path:
    suffix = f".before-v{SCHEMA_VERSION}" + (f".{number}" if number > 1 else "")
    return path.with_name(path.name + suffix)


def prepare(db: sqlite3.Connection, path: Path, zone: tzinfo, upgrade: bool = True) -> None:
    """Make the open database usable by this hanport (see the module's rules)."""
    version = storage_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError("store.newer_database", path=path, version=version, known=SCHEMA_VERSION)
    if version == SCHEMA_VERSION:
        return
    if _has_store(db) and not upgrade:
        raise StoreError("store.needs_upgrade", path=path, version=version, newest=SCHEMA_VERSION)
    backup: Path | None = None
    while True:
        with _Immediate(db):
            version = storage_version(db)
            if version >= SCHEMA_VERSION:
                return
            if not _has_store(db):
                create_tables(db)
                return
            if backup is None:
                backup = _backup(db, path)
                log.info(
                    "%s",
                    HanError("store.upgrading", path=path, newest=SCHEMA_VERSION, backup=backup),
                )
            try:
                MIGRATIONS[version](db, zone)
                db.execute(f"PRAGMA user_version = {version + 1}")
            except (sqlite3.Error, OSError, ValueError, KeyError, TypeError, HanError) as error:
                raise StoreError(
                    "store.upgrade_failed",
                    path=path,
                    version=version,
                    newest=version + 1,
                    error=error,
                    backup=backup,
                ) from None
        log.info("%s", HanError("store.upgraded", path=path, version=version + 1, backup=backup))


def _has_store(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blocks'")
    return row.fetchone() is not None


def _backup(db: sqlite3.Connection, path: Path) -> Path:
    """The copy from before the upgrade: one already there with the same content (an upgrade
    that was interrupted), else a new one next to the file."""
    from hanport.store.copy import BackupError, backup_database

    number = 1
    target = backup_path(path)
    mine = _fingerprint(db)
    while target.exists():
        if _same(target, mine):
            return target
        number += 1
        target = backup_path(path, number)
    try:
        backup_database(path, target)
    except BackupError as error:
        raise StoreError(
            "store.backup_failed", path=path, newest=SCHEMA_VERSION, error=error
        ) from None
    return target


def _fingerprint(db: sqlite3.Connection) -> list[object]:
    """What a copy must hold to be a copy of this file: its version, every table's row count,
    and the newest stored hour."""
    names = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    found: list[object] = [storage_version(db)]
    for name in names:
        found.append((name, db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
    if "blocks" in names:
        found.append(db.execute("SELECT max(hour) FROM blocks").fetchone()[0])
    return found


def _same(copy: Path, fingerprint: list[object]) -> bool:
    try:
        other = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return _fingerprint(other) == fingerprint
    except sqlite3.Error:
        return False
    finally:
        other.close()


class _Immediate:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:
            self._db.execute("ROLLBACK")
