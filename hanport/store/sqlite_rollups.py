"""The rollups table of the SQLite store: saving final periods, reading them back (as typed rows
or as the API's JSON bodies), the open periods from the carried engine state, and recomputing
from stored readings (late readings, upgrades).

Final quarters and hours come from the rollup engine; each final hour is added to its stored day
and month at once, so a day is always the sum of its stored hours. What is not final yet lives
only in the engine's state (`rollup_state`), written in the same transaction as the rows.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from hanport.model import Reading
from hanport.store.base import Rollup
from hanport.store.engine import RollupEngine
from hanport.store.rollups import add_to, combine, open_periods, period_start
from hanport.store.rows_json import body_json, parse_body
from hanport.store.schema import FLAG_GAP, FLAG_LEGACY, FLAG_RESET, rollup_key

__all__ = ["RollupTable", "StoredRow", "keys"]

StoredRow = tuple[int, str]
"""(start in Unix seconds, the row's JSON body)."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_HOUR_US = 3_600_000_000
_END = (1 << 33) - 1
"""After every start a rollup can have (2242)."""
_LENGTH_US = {"15m": 900_000_000, "1h": _HOUR_US}


class RollupTable:
    def __init__(self, db: sqlite3.Connection, zone: tzinfo) -> None:
        self._db = db
        self.zone = zone
        self._open: tuple[tuple[int, str] | None, list[Rollup]] = (None, [])
        """The last open periods computed, and the meter and state they came from."""

    # --- writing ---------------------------------------------------------------------------

    def save(self, meter: int, rollups: Iterable[Rollup]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO rollups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_row(meter, rollup) for rollup in rollups],
        )

    def take_final(self, meter: int, rollups: Sequence[Rollup]) -> None:
        """Store final quarters and hours; add each hour to its stored day and month."""
        self.save(meter, rollups)
        hours = [rollup for rollup in rollups if rollup.step == "1h"]
        for step in ("1d", "1mo"):
            periods: dict[int, Rollup] = {}
            for hour in hours:
                start = period_start(hour.start, step, self.zone)
                key = int(start.timestamp())
                into = periods.get(key)
                if into is None:
                    stored = self.typed(meter, step, key, key + 1)
                    into = periods[key] = stored[0] if stored else Rollup(step, start)
                add_to(into, hour)
            self.save(meter, periods.values())

    def save_state(self, meter: int, engine: RollupEngine) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO rollup_state VALUES (?, ?)",
            (meter, json.dumps(engine.state(), separators=(",", ":"))),
        )

    def engine(self, meter: int) -> RollupEngine:
        """The meter's engine as the last write left it (a fresh one for a new meter)."""
        state = self.state(meter)
        return (
            RollupEngine(self.zone, state=state) if state is not None else RollupEngine(self.zone)
        )

    def state(self, meter: int) -> dict[str, Any] | None:
        text = self.state_text(meter)
        return json.loads(text) if text is not None else None

    def state_text(self, meter: int) -> str | None:
        row = self._db.execute(
            "SELECT state FROM rollup_state WHERE meter = ?", (meter,)
        ).fetchone()
        return str(row[0]) if row else None

    # --- reading ---------------------------------------------------------------------------

    def stored(self, meter: int, step: str, start: int, end: int) -> list[StoredRow]:
        rows = self._db.execute(
            "SELECT start, body FROM rollups WHERE key >= ? AND key < ? ORDER BY key",
            keys(meter, step, start, end),
        ).fetchall()
        if step == "15m":
            return [(start, zlib.decompress(body).decode()) for start, body in rows]
        return rows

    def typed(self, meter: int, step: str, start: int, end: int) -> list[Rollup]:
        zone = self.zone
        return [
            parse_body(step, datetime.fromtimestamp(t, zone), body)
            for t, body in self.stored(meter, step, start, end)
        ]

    def open_rows(self, meter: int, step: str) -> list[Rollup]:
        """The periods of `step` not final yet, as they stand: the engine's open quarters and
        hours, and for days and months the stored part plus the open hours."""
        text = self.state_text(meter)
        if text is None:
            return []
        if self._open[0] != (meter, text):  # asked again before the next write: as before
            self._open = (
                (meter, text),
                RollupEngine(self.zone, state=json.loads(text)).open_rollups(),
            )
        rows = self._open[1]
        if step in ("15m", "1h"):
            return [_copy(row) for row in rows if row.step == step]
        hours = (row for row in rows if row.step == "1h")  # the engine's open hours: all partial
        return open_periods(
            hours, step, self.zone, lambda start, end: self.typed(meter, step, start, end)
        )

    # --- recomputing -----------------------------------------------------------------------

    def recompute(
        self,
        meter: int,
        since_us: int,
        hours: Iterator[tuple[int, list[Reading] | None]],
    ) -> RollupEngine:
        """Every quarter and hour from `since_us` (a zone's hour start) on, from the stored
        readings that `hours` gives hour by hour (None for an hour whose block is damaged),
        starting early enough to know the registers at `since_us`; the days and months from
        its day on, from their hours. A period that needs a damaged hour keeps its row."""
        engine = RollupEngine(self.zone)
        damaged: set[int] = set()
        saved: set[tuple[str, int]] = set()
        for hour, readings in hours:
            if readings is None:
                damaged.add(hour)
                continue
            final = [
                row
                for row in engine.feed(readings)
                if _micros(row.start) >= since_us and not _touches(row, damaged)
            ]
            self.save(meter, final)
            saved.update((row.step, int(row.start.timestamp())) for row in final)
        stale = [
            (rollup_key(meter, step, start),)
            for part in ("15m", "1h")
            for step, start in self._db.execute(
                "SELECT step, start FROM rollups WHERE key >= ? AND key < ?",
                keys(meter, part, since_us // 1_000_000, _END),
            )
            if (step, start) not in saved and not _touches_hours(step, start, damaged)
        ]
        self._db.executemany("DELETE FROM rollups WHERE key = ?", stale)
        self.recombine(meter, since_us)
        return engine

    def recombine(self, meter: int, since_us: int) -> None:
        """Store the days from the one holding `since_us` on, each the sum of its stored
        hours, and the months from its month on, each the sum of its days."""
        since = datetime.fromtimestamp(since_us // 1_000_000, self.zone)
        for part, step in (("1h", "1d"), ("1d", "1mo")):
            first = int(period_start(since, step, self.zone).timestamp())
            periods = combine(self.typed(meter, part, first, _END), step, self.zone)
            self._db.execute(
                "DELETE FROM rollups WHERE key >= ? AND key < ?", keys(meter, step, first, _END)
            )
            self.save(meter, periods)


def _copy(rollup: Rollup) -> Rollup:
    copied = Rollup(rollup.step, rollup.start, partial=rollup.partial)
    add_to(copied, rollup)
    return copied


def _row(meter: int, rollup: Rollup) -> tuple[object, ...]:
    body = body_json(rollup)
    flags = FLAG_GAP * rollup.gap | FLAG_RESET * rollup.reset | FLAG_LEGACY * rollup.legacy
    stored: str | bytes = zlib.compress(body.encode(), 6) if rollup.step == "15m" else body
    start = int(rollup.start.timestamp())
    return (
        rollup_key(meter, rollup.step, start),
        meter,
        rollup.step,
        start,
        rollup.readings,
        rollup.energy_import_wh,
        rollup.energy_export_wh,
        flags,
        stored,
    )


def keys(meter: int, step: str, start: int, end: int) -> tuple[int, int]:
    """The key range of a meter's rollups of `step` starting in [start, end) (Unix seconds)."""
    return rollup_key(meter, step, start), rollup_key(meter, step, end)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _US


def _touches(rollup: Rollup, damaged: set[int]) -> bool:
    return bool(damaged) and _touches_hours(rollup.step, int(rollup.start.timestamp()), damaged)


def _touches_hours(step: str, start: int, damaged: set[int]) -> bool:
    """Whether the period (start, end] needs a reading from one of the `damaged` UTC hours."""
    if not damaged:
        return False
    end = start + _LENGTH_US.get(step, _HOUR_US) // 1_000_000
    return any(hour in damaged for hour in range(start // 3600, end // 3600 + 1))
