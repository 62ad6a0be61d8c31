"""The blocks table's partitions: one per calendar month (UTC) of the blocks' hours, made as
the first block of a month arrives, and dropped by retention once every block in them is older
than what is kept. A month's partition is made in a short transaction of its own under an
advisory lock, so that workers writing at once never collide, and never inside a write (which
would hold a lock on the whole table until its commit)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import psycopg

__all__ = ["Partitions", "create_month", "month_of"]

_HOUR_S = 3600
_LOCK = 0x68616E706172  # "hanpar"


def month_of(hour: int) -> tuple[int, int]:
    """(year, month) of a UTC hour number (hours since the epoch)."""
    moment = datetime.fromtimestamp(hour * _HOUR_S, UTC)
    return moment.year, moment.month


def _first_hour(year: int, month: int) -> int:
    return int(datetime(year, month, 1, tzinfo=UTC).timestamp()) // _HOUR_S


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _name(year: int, month: int) -> str:
    return f"blocks_{year:04d}_{month:02d}"


def create_month(db: psycopg.Connection[Any], year: int, month: int) -> None:
    """The month's partition, unless it is there (inside the caller's transaction)."""
    low, high = _first_hour(year, month), _first_hour(*_next(year, month))
    db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {_name(year, month)} PARTITION OF blocks "
        f"FOR VALUES FROM ({low}) TO ({high})"
    )


class Partitions:
    """The months that have a partition, as this connection knows them."""

    def __init__(self) -> None:
        self._known: set[tuple[int, int]] = set()

    def ensure(self, db: psycopg.Connection[Any], hours: Iterable[int]) -> None:
        """A partition for the month of each hour (outside any transaction)."""
        wanted = {month_of(hour) for hour in hours} - self._known
        if not wanted:
            return
        self.refresh(db)
        for year, month in sorted(wanted - self._known):
            with db.transaction():
                create_month(db, year, month)
            self._known.add((year, month))

    def forget(self) -> None:
        """Look the months up again at the next write."""
        self._known = set()

    def refresh(self, db: psycopg.Connection[Any]) -> None:
        self._known = {(int(name[7:11]), int(name[12:14])) for name in self.names(db)}

    @staticmethod
    def names(db: psycopg.Connection[Any]) -> list[str]:
        rows = db.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'blocks'::regclass ORDER BY c.relname"
        ).fetchall()
        return [str(name) for (name,) in rows]

    def drop_empty_before(self, db: psycopg.Connection[Any], hour: int) -> int:
        """Drop the partitions that end at or before `hour` and hold no block; how many."""
        dropped = 0
        for name in self.names(db):
            year, month = int(name[7:11]), int(name[12:14])
            if _first_hour(*_next(year, month)) > hour:
                continue
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                if db.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone() is None:
                    db.execute(f"DROP TABLE {name}")
                    self._known.discard((year, month))
                    dropped += 1
        return dropped
