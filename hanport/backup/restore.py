"""Restore: put a checked backup back in place of the database.

The backup is checked first (integrity_check, and that it is a hanport database). The database
is then locked for this process alone (locking_mode=EXCLUSIVE, BEGIN EXCLUSIVE): when another
connection has it open, `hanport run` or the app, the lock fails at once and nothing changes.
Holding the lock, the database as it was is copied to `<name>.before-restore`, and the backup
is copied into the database through SQLite (so its write-ahead log and side files stay
consistent), which is switched back to WAL and checked again. Restoring `<name>.before-restore`
itself (undoing a restore) moves it aside first: the two change places.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from hanport.backup.errors import BackupProblem
from hanport.backup.kinds import backup_kind
from hanport.store.copy import backup_database, open_existing

__all__ = ["HANPORT_TABLES", "RestoreError", "RestoreResult", "restore_database"]

HANPORT_TABLES = ("meters", "blocks", "rollups")


class RestoreError(BackupProblem):
    """Nothing was restored (or, after a failed copy, the old database is in `.before-restore`)."""


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    backup: Path
    before: Path | None
    """Where the replaced database was kept; None when there was none."""


def restore_database(backup: str | Path, database: str | Path) -> RestoreResult:
    backup_path, database_path = Path(backup), Path(database)
    if backup_kind(backup_path) == "pgdump":
        raise RestoreError("backup.sqlite_pg_backup", path=backup_path, database=database_path)
    _check_backup(backup_path)
    if not database_path.exists():
        _copy_new(backup_path, database_path)
        return RestoreResult(database_path, backup_path, None)
    before = Path(f"{database_path}.before-restore")
    if not _same_file(backup_path, before):
        _replace(backup_path, database_path, before)
        return RestoreResult(database_path, backup_path, before)
    # undoing a restore: the kept copy is moved out of the way first, else keeping the database
    # as it is would overwrite the very backup to restore; the two change places
    source = Path(f"{before}.restoring")
    os.replace(before, source)
    try:
        _replace(source, database_path, before)
    except BaseException:
        if not before.exists():  # nothing was kept yet: the backup goes back to its name
            os.replace(source, before)
        raise
    for suffix in ("", "-wal", "-shm"):
        Path(f"{source}{suffix}").unlink(missing_ok=True)
    return RestoreResult(database_path, backup_path, before)


def _replace(backup_path: Path, database_path: Path, before: Path) -> None:
    """Put the checked backup in place of an existing database, kept first as `before`."""
    try:
        target = open_existing(database_path, RestoreError)
    except RestoreError as error:
        if error.code != "backup.not_sqlite":
            raise
        _set_aside(database_path, before)  # unreadable: no hanport can be running on it
        _copy_new(backup_path, database_path)
        return
    try:
        _lock(target, database_path)
        _keep(target, before)
        _overwrite(target, backup_path, database_path, before)
    finally:
        target.close()


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _check_backup(path: Path) -> None:
    db = open_existing(path, RestoreError)
    try:
        try:
            rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error as failure:
            raise RestoreError("backup.backup_damaged", path=path, detail=failure) from None
    finally:
        db.close()
    if rows != ["ok"]:
        raise RestoreError("backup.backup_damaged", path=path, detail="; ".join(rows[:3]))
    missing = [table for table in HANPORT_TABLES if table not in tables]
    if missing:
        raise RestoreError("backup.not_hanport", path=path, table=missing[0])


def _lock(target: sqlite3.Connection, path: Path) -> None:
    """Take the database for this connection alone, or fail at once if anyone has it open."""
    try:
        target.execute("PRAGMA busy_timeout=0")
        target.execute("PRAGMA locking_mode=EXCLUSIVE")
        target.execute("BEGIN EXCLUSIVE")
        target.execute("COMMIT")  # the lock stays: exclusive locking mode keeps it until close
    except sqlite3.OperationalError as failure:
        if "locked" in str(failure) or "busy" in str(failure):
            raise RestoreError("backup.in_use", path=path) from None
        raise RestoreError("backup.not_sqlite", path=path, detail=failure) from None


def _keep(target: sqlite3.Connection, before: Path) -> None:
    before.unlink(missing_ok=True)
    os.close(os.open(before, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    copy = sqlite3.connect(str(before), isolation_level=None)
    try:
        target.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as failure:
        raise RestoreError("backup.backup_failed", path=before, detail=failure) from None
    finally:
        copy.close()


def _overwrite(target: sqlite3.Connection, backup: Path, database: Path, before: Path) -> None:
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        target.execute("PRAGMA journal_mode=DELETE")  # a WAL database cannot change page size
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        verdict = target.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as failure:
        raise RestoreError(
            "backup.restore_failed", path=database, detail=failure, before=before
        ) from None
    finally:
        source.close()
    if verdict != "ok":
        raise RestoreError("backup.restore_failed", path=database, detail=verdict, before=before)


def _set_aside(database: Path, before: Path) -> None:
    """Keep a database SQLite cannot open as `before` (with its side files), as it is."""
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{database}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{before}{suffix}"))


def _copy_new(backup: Path, database: Path) -> None:
    """No database yet: the backup becomes it (0600), in WAL mode like one hanport made."""
    try:
        backup_database(backup, database)
    except BackupProblem as failure:
        raise RestoreError("backup.restore_new_failed", path=database, detail=failure) from None
    db = sqlite3.connect(str(database), isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()
