"""Online backup: a consistent copy of the database while `hanport run` keeps writing.

The copy uses SQLite's backup API a few hundred pages at a time. A read transaction held on the
source for the whole copy pins one snapshot: in WAL mode a reader never blocks the writer, so
`hanport run` goes on committing (into the write-ahead log) and the copy holds exactly what was
committed when it began, never half a write. It is written to a hidden temporary file in the
target folder (0600: it holds password hashes), switched to a single self-contained file
(journal_mode=DELETE), checked (quick_check), synced and renamed into place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hanport.errors import HanError

__all__ = [
    "BackupError",
    "BackupProblem",
    "BackupResult",
    "backup_database",
    "open_existing",
]

_PAGES_PER_STEP = 256  # 1 MiB of 4 KiB pages per step


class BackupProblem(HanError):
    """A backup, a restore or a check that cannot be done; `str()` English, `text("et")`."""


class BackupError(BackupProblem):
    """The backup could not be made; nothing is left at the target."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    """Bytes of the copy."""
    pages: int


def backup_database(
    database: str | Path,
    target: str | Path,
    *,
    pages_per_step: int = _PAGES_PER_STEP,
    progress: Callable[[int, int], None] | None = None,
) -> BackupResult:
    """Copy `database` to the file `target` (which must not exist). `progress(done, total)`
    is called in pages after each step. Raises BackupError with one sentence."""
    source_path, target_path = Path(database), Path(target)
    if target_path.exists():
        raise BackupError("backup.target_exists", path=target_path)
    if not target_path.parent.is_dir():
        raise BackupError("backup.no_folder", folder=target_path.parent)
    source = open_existing(source_path, BackupError)
    partial = target_path.with_name(f".{target_path.name}.partial")
    try:
        total = _copy(source, partial, target_path, pages_per_step, progress)
        os.replace(partial, target_path)
        _sync_folder(target_path.parent)
    except OSError as failure:
        _remove(partial)
        if failure.errno == errno.ENOSPC:
            raise BackupError("backup.disk_full", path=target_path) from None
        detail = failure.strerror or str(failure)
        raise BackupError("backup.backup_failed", path=target_path, detail=detail) from None
    except BaseException:
        _remove(partial)
        raise
    finally:
        source.close()
    return BackupResult(target_path, target_path.stat().st_size, total)


def open_existing(path: Path, error: type[BackupProblem]) -> sqlite3.Connection:
    """A connection to an existing SQLite file (never creating one), checked to be SQLite."""
    if not path.is_file():
        raise error("backup.no_database", path=path)
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error as failure:
        raise error("backup.not_sqlite", path=path, detail=failure) from None
    try:
        db.execute("PRAGMA busy_timeout=5000")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as failure:
        db.close()
        raise error("backup.not_sqlite", path=path, detail=failure) from None
    return db


def _copy(
    source: sqlite3.Connection,
    partial: Path,
    target: Path,
    pages_per_step: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    _remove(partial)  # left by a copy that was killed
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    copy = sqlite3.connect(str(partial), isolation_level=None)
    pages = [0]

    def step(_status: int, remaining: int, total: int) -> None:
        pages[0] = total
        if progress is not None:
            progress(total - remaining, total)

    try:
        source.execute("BEGIN")  # one snapshot for every step
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        source.backup(copy, pages=pages_per_step, progress=step)
        source.execute("COMMIT")
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError("backup.copy_damaged", path=target, detail=verdict)
    except sqlite3.Error as failure:
        if "full" in str(failure).lower() or _short_of_space(partial, source):
            raise BackupError("backup.disk_full", path=target) from None
        raise BackupError("backup.backup_failed", path=target, detail=failure) from None
    finally:
        if source.in_transaction:
            source.execute("ROLLBACK")
        copy.close()
    _sync_file(partial)
    return pages[0]


def _remove(partial: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)


def _short_of_space(partial: Path, source: sqlite3.Connection) -> bool:
    """Whether the target's disk lacks room for the copy: SQLite reports a full disk during a
    backup as a plain "disk I/O error"."""
    try:
        pages, page_size = (source.execute(f"PRAGMA {n}").fetchone()[0] for n in _SIZE_PRAGMAS)
        return shutil.disk_usage(partial.parent).free < int(pages) * int(page_size)
    except (OSError, sqlite3.Error):
        return False


_SIZE_PRAGMAS = ("page_count", "page_size")


def _sync_file(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot sync a folder
        _sync_file(folder)
