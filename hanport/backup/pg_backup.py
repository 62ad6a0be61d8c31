"""`hanport backup` of a PostgreSQL database: `pg_dump --format=custom` of hanport's schema.

The dump holds the schema hanport's tables are in (the URL's search_path, `public` by default)
and nothing else of the database, as one consistent snapshot (pg_dump reads in one repeatable
read transaction, so `hanport run` and the server go on writing meanwhile). It is written to a
hidden file in the target folder (0600), checked to be a pg_dump archive, synced and renamed
into place, like the SQLite copy.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from typing import Any

import psycopg

from hanport.backup.kinds import backup_kind
from hanport.backup.pg_tools import libpq_url, run_tool, safe_url, tool_path
from hanport.store.copy import BackupError, BackupProblem, BackupResult

__all__ = [
    "backup_kind",
    "backup_postgres",
    "connect",
    "hanport_schema",
    "quoted_pattern",
]


def backup_postgres(
    url: str, target: str | Path, error: type[BackupProblem] = BackupError
) -> BackupResult:
    """Dump hanport's schema of the database `url` into the file `target` (which must not
    exist). Raises `error` with one sentence; nothing is left at the target then."""
    target_path = Path(target)
    if target_path.exists():
        raise error("backup.target_exists", path=target_path)
    if not target_path.parent.is_dir():
        raise error("backup.no_folder", folder=target_path.parent)
    tool_path("pg_dump", error)
    with connect(url, error) as db:
        schema = hanport_schema(db)
        if schema is None:
            raise error("backup.pg_not_hanport", url=safe_url(url))
    partial = target_path.with_name(f".{target_path.name}.partial")
    try:
        partial.unlink(missing_ok=True)  # left by a dump that was killed
        handle = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(handle, "wb") as out:
            run_tool(
                "pg_dump",
                ["--format=custom", f"--schema={quoted_pattern(schema)}"],
                url,
                stdout=out,
                code="backup.pg_dump_failed",
                error=error,
                path=target_path,
            )
            out.flush()
            os.fsync(out.fileno())
        if backup_kind(partial) != "pgdump":
            raise error("backup.pg_dump_failed", path=target_path, detail="not a pg_dump archive")
        os.replace(partial, target_path)
        _sync_folder(target_path.parent)
    except OSError as failure:
        partial.unlink(missing_ok=True)
        if failure.errno == errno.ENOSPC:
            raise error("backup.disk_full", path=target_path) from None
        detail = failure.strerror or str(failure)
        raise error("backup.backup_failed", path=target_path, detail=detail) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(target_path, target_path.stat().st_size, 0)


def connect(url: str, error: type[BackupProblem] = BackupError) -> psycopg.Connection[Any]:
    """An autocommit connection to the database `url`; one sentence when it cannot be reached."""
    try:
        return psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=10)
    except psycopg.Error as failure:
        lines = str(failure).strip().splitlines()
        raise error(
            "store.postgresql_unreachable",
            url=safe_url(url),
            error=lines[0].rstrip(".") if lines else type(failure).__name__,
        ) from None


def hanport_schema(db: psycopg.Connection[Any]) -> str | None:
    """The schema whose hanport tables the store would use (the first of the search_path that
    has `hanport_version`); None when there are none."""
    row = db.execute(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = to_regclass('hanport_version')"
    ).fetchone()
    return str(row[0]) if row else None


def quoted_pattern(schema: str) -> str:
    """A schema name as pg_dump's `--schema` pattern matching exactly it."""
    return '"' + schema.replace('"', '""') + '"'


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot sync a folder
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
