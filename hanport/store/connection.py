"""Opening the SQLite file: private to its owner, and a plain sentence when it cannot be used.

The file holds every reading and the app's password hashes, so it (and the `-wal`/`-shm` files
SQLite makes with the same mode) is created 0600, and an older file readable by others is made
private when it is opened. A database that cannot be used (a missing folder, a file that is not
SQLite, a read-only mount) raises `StoreError` with what to do, never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from hanport.errors import HanError

__all__ = ["BlockError", "StoreError", "UnusableDatabase", "open_sqlite"]

_PRIVATE = 0o600
_SIDE_FILES = ("-wal", "-shm", "-journal")


class StoreError(HanError):
    """The database cannot be opened, read or written; the message says what to do."""


class BlockError(StoreError):
    """A stored block of readings cannot be read back (damaged, or written by a newer hanport)."""


class UnusableDatabase(StoreError):
    """The database cannot be opened (a code of `[store]`: `store.database_…`)."""


def open_sqlite(path: str | Path) -> sqlite3.Connection:
    """A WAL connection to `path` (created 0600 if missing), checked to be a usable database."""
    where = Path(path)
    _create_private(where)
    try:
        db = sqlite3.connect(str(where), isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise _explain(where, error) from None
    try:
        db.execute("PRAGMA busy_timeout=5000")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as error:
        db.close()
        raise _explain(where, error) from None
    return db


def _create_private(path: Path) -> None:
    if path.is_dir():
        raise UnusableDatabase("store.database_folder", path=path, example=path / "hanport.db")
    if not path.parent.is_dir():
        raise UnusableDatabase("store.database_no_folder", folder=path.parent, name=path.name)
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _PRIVATE)
    except FileExistsError:
        _make_private(path)
        return
    except OSError as error:
        raise UnusableDatabase(
            "store.database_not_created", path=path, why=error.strerror, folder=path.parent
        ) from None
    os.close(handle)


def _make_private(path: Path) -> None:
    """Take group and others' access away from an existing database and its side files."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in _SIDE_FILES)):
        try:
            info = candidate.stat()
            if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
                candidate.chmod(stat.S_IMODE(info.st_mode) & 0o700)
        except OSError:
            continue  # not there, or not ours: SQLite says what is wrong when it opens it


def _explain(path: Path, error: sqlite3.Error) -> StoreError:
    message = str(error).lower()
    if "not a database" in message or "malformed" in message:
        return UnusableDatabase("store.database_not_sqlite", path=path)
    if "readonly" in message or "read-only" in message:
        return UnusableDatabase("store.database_read_only", path=path)
    if "unable to open" in message or "disk i/o" in message:
        return UnusableDatabase("store.database_unopenable", path=path, error=error)
    if "locked" in message or "busy" in message:
        return UnusableDatabase("store.database_locked", path=path)
    return UnusableDatabase("store.database_unusable", path=path, error=error)
