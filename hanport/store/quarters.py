"""The rollup engine's parts: a quarter not final yet, a register's chain, small helpers."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from hanport.store.base import Rollup, Stats

__all__ = ["Quarter", "Register", "add_stats", "first_fall", "local"]


class Quarter:
    """A quarter not final yet; per register: the growth so far, whether the register counts
    here (it has been seen), whether its chain of readings covers the quarter's start and end,
    and whether the chain broke inside."""

    __slots__ = (
        "broken",
        "gap",
        "growth",
        "involved",
        "known",
        "readings",
        "reset",
        "start",
        "stats",
    )

    def __init__(self, start: int, involved: list[bool]) -> None:
        self.start = start
        self.readings = 0
        self.stats: dict[str, Stats] = {}
        self.gap = False
        self.reset = False
        self.growth = [0] * len(involved)
        self.involved = involved
        self.known = [[False, False] for _ in involved]
        self.broken = [False] * len(involved)

    def rollup(self, zone: tzinfo, partial: bool = False) -> Rollup:
        """As a row; an open quarter (`partial`) is not a gap for its end not being known yet."""
        gap = self.gap or any(
            involved and (broken or not known[0] or not (known[1] or partial))
            for involved, broken, known in zip(self.involved, self.broken, self.known, strict=True)
        )
        return Rollup(
            "15m",
            local(self.start, zone),
            self.readings,
            self.growth[0],
            self.growth[1],
            gap,
            self.reset,
            {name: stats.copy() for name, stats in self.stats.items()},
            partial,
        )


class Register:
    __slots__ = ("cause", "open", "seen", "time", "value")

    def __init__(self) -> None:
        self.seen = False
        self.open = False
        self.time = 0
        self.value: Any = 0
        self.cause = ""


def first_fall(values: list[Any], last: Any) -> int:
    """The index (from 1: a fall at the first reading is `_begin`'s) of the first value lower
    than the one before it, Nones skipped, `last` the one before the first; 0 for none."""
    for index, value in enumerate(values):
        if value is None:
            continue
        if index and last is not None and value < last:
            return index
        last = value
    return 0


def local(start_us: int, zone: tzinfo) -> datetime:
    return datetime.fromtimestamp(start_us // 1_000_000, zone)


def add_stats(every: dict[str, Stats], name: str, values: list[Any]) -> None:
    low, high, total = min(values), max(values), sum(values)
    stats = every.get(name)
    if stats is None:
        every[name] = Stats(low, high, total, len(values))
        return
    stats.minimum = min(stats.minimum, low)
    stats.maximum = max(stats.maximum, high)
    stats.total += total
    stats.count += len(values)
