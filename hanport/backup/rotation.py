"""Which backups to make and keep: pure functions of names and times.

Scheduled backups are named `hanport-YYYYMMDD-HHMMSS.db` after the moment they were made, in
UTC (so the names sort in time order across daylight-saving changes); those of a PostgreSQL
database (pg_dump archives) `hanport-YYYYMMDD-HHMMSS.dump`. Each kind is scheduled and rotated
on its own (`extension`): a folder that holds both keeps the newest `keep` of each. Files in the
folder with any other name are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

__all__ = [
    "POSTGRES_EXTENSION",
    "SQLITE_EXTENSION",
    "backup_extension",
    "backup_name",
    "backup_time",
    "next_due",
    "to_remove",
]

_NAME = re.compile(r"hanport-(\d{8})-(\d{6})(\.db|\.dump)")

SQLITE_EXTENSION = ".db"
POSTGRES_EXTENSION = ".dump"


def backup_name(moment: datetime, extension: str = SQLITE_EXTENSION) -> str:
    return f"hanport-{moment.astimezone(UTC):%Y%m%d-%H%M%S}{extension}"


def backup_time(name: str, extension: str | None = None) -> datetime | None:
    """When the backup `name` was made; None for a file that is not a scheduled backup (of the
    kind `extension`, ".db" or ".dump"; None: either)."""
    found = _NAME.fullmatch(name)
    if found is None or (extension is not None and found[3] != extension):
        return None
    try:
        return datetime.strptime(found[1] + found[2], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:  # hanport-20261399-…: not ours
        return None


def to_remove(names: Iterable[str], keep: int, extension: str | None = None) -> list[str]:
    """The scheduled backups (of the kind `extension`) beyond the newest `keep`, oldest first."""
    dated = sorted(
        ((when, name) for name in names if (when := backup_time(name, extension)) is not None),
        reverse=True,
    )
    return [name for _, name in reversed(dated[keep:])]


def next_due(
    names: Iterable[str], now: datetime, every_days: int, extension: str | None = None
) -> datetime:
    """When the next backup is due: `every_days` after the newest one, at once if there is none
    (or the newest is dated in the future, as after a clock that was wrong)."""
    times = [when for name in names if (when := backup_time(name, extension)) is not None]
    if not times or max(times) > now:
        return now
    return max(times) + timedelta(days=every_days)


def backup_extension(database: str) -> str:
    """`.dump` for a PostgreSQL URL, `.db` for a SQLite file."""
    scheme, found, _ = database.partition("://")
    postgres = found and scheme.lower() in ("postgresql", "postgres")
    return POSTGRES_EXTENSION if postgres else SQLITE_EXTENSION
