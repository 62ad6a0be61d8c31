"""Small parts of the SQLite store: transactions, merging open periods into stored ones."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from hanport.store.rollups import STEPS

__all__ = ["Transaction", "check_step", "merged"]

_T = TypeVar("_T")


class Transaction:
    """`begin` … COMMIT, rolled back on an error; inside a transaction already, nothing."""

    def __init__(self, db: sqlite3.Connection, begin: str) -> None:
        self._db = db
        self._begin = begin
        self._mine = False

    def __enter__(self) -> None:
        self._mine = not self._db.in_transaction
        if self._mine:
            self._db.execute(self._begin)

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if not self._mine:
            return
        if kind is None:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error:
                if self._db.in_transaction:  # a failed COMMIT leaves it open: never half-write
                    self._db.execute("ROLLBACK")
                raise
        elif self._db.in_transaction:  # SQLite may have rolled back already (a full disk)
            self._db.execute("ROLLBACK")


def check_step(step: str) -> None:
    if step not in STEPS:
        raise ValueError(f"Unknown step {step!r}; use one of {', '.join(STEPS)}.")


def merged(
    stored: list[_T], fresh: list[_T], low: int, high: int, start: Callable[[_T], int]
) -> list[_T]:
    """Stored rows with the open periods' rows, which replace any stored for the same start,
    in time order, within [low, high)."""
    mine = [row for row in fresh if low <= start(row) < high]
    if not mine:
        return stored
    starts = {start(row) for row in mine}
    rows = [row for row in stored if start(row) not in starts]
    if rows and start(rows[-1]) > start(mine[0]):  # stored rows after an open one: unusual
        return sorted([*rows, *mine], key=start)
    return rows + mine
