"""What kind of backup a file is, by its first bytes: a SQLite file or a pg_dump archive. A
module of its own (no driver imported), so that the SQLite restore can ask too."""

from __future__ import annotations

from pathlib import Path

__all__ = ["PGDUMP_MAGIC", "SQLITE_MAGIC", "backup_kind"]

SQLITE_MAGIC = b"SQLite format 3\0"
PGDUMP_MAGIC = b"PGDMP"


def backup_kind(path: Path) -> str | None:
    """`sqlite` or `pgdump` after the file's first bytes; None for anything else (or no file)."""
    try:
        with path.open("rb") as file:
            start = file.read(len(SQLITE_MAGIC))
    except OSError:
        return None
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PGDUMP_MAGIC):
        return "pgdump"
    return None
