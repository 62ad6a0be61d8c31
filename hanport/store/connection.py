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

__all__ = ["StoreError", "open_sqlite"]

_PRIVATE = 0o600
_SIDE_FILES = ("-wal", "-shm", "-journal")


class StoreError(HanError):
    """The database cannot be opened, read or written; the message says what to do."""


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
        raise StoreError(
            f"The database {path} is a folder; set database (or --database) to a file in it, "
            f"e.g. {path / 'hanport.db'}."
        )
    if not path.parent.is_dir():
        raise StoreError(
            f"The folder {path.parent} for the database {path.name} does not exist; create it, "
            "or set database (or --database) to a path in an existing folder."
        )
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _PRIVATE)
    except FileExistsError:
        _make_private(path)
        return
    except OSError as error:
        raise StoreError(
            f"The database {path} cannot be created ({error.strerror}); check that the folder "
            f"{path.parent} is writable, or set database (or --database) to another path."
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
        return StoreError(
            f"{path} is not a hanport database (not an SQLite file, or damaged); choose another "
            "path with database (or --database), or restore it from a backup."
        )
    if "readonly" in message or "read-only" in message:
        return StoreError(
            f"The database {path} is read-only (a read-only file, folder or mount); make it "
            "writable, or set database (or --database) to a writable path."
        )
    if "unable to open" in message or "disk i/o" in message:
        return StoreError(
            f"The database {path} cannot be opened ({error}); check the file's and the "
            "folder's permissions, or set database (or --database) to another path."
        )
    if "locked" in message or "busy" in message:
        return StoreError(
            f"The database {path} is locked by another program; stop it, or wait and try again."
        )
    return StoreError(f"The database {path} cannot be used ({error}).")
