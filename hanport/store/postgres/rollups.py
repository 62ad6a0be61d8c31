"""The PostgreSQL store's rollups table: `hanport.store.sqlite_rollups.RollupTable`'s rules
(final quarters and hours from the rollup engine, each hour added to its day and month, the
open periods from the carried state, recomputing after late readings) on PostgreSQL's rows."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any, cast

import psycopg

from hanport.model import Reading
from hanport.store.base import Rollup
from hanport.store.engine import RollupEngine
from hanport.store.postgres.blocks import pending_of
from hanport.store.rollups import add_to, combine, open_periods, period_start
from hanport.store.rows_json import body_json, parse_body
from hanport.store.schema import FLAG_GAP, FLAG_LEGACY, FLAG_RESET, rollup_key
from hanport.store.sqlite_rollups import RollupTable, StoredRow, keys

__all__ = ["PgRollups"]

_END = (1 << 33) - 1
_SAVE = (
    "INSERT INTO rollups SELECT * FROM unnest(%b::bigint[], %b::bigint[], %b::int[], "
    "%b::bigint[], %b::bigint[], %b::smallint[], %b::bytea[]) ON CONFLICT (key) DO UPDATE SET "
    "start = excluded.start, readings = excluded.readings, import_wh = excluded.import_wh, "
    "export_wh = excluded.export_wh, flags = excluded.flags, body = excluded.body"
)
_STATES = (
    "INSERT INTO rollup_state SELECT * FROM unnest(%b::int[], %b::text[]) "
    "ON CONFLICT (meter) DO UPDATE SET state = excluded.state"
)
_STEPS = ("15m", "1h", "1d", "1mo")


class PgRollups(RollupTable):
    """The rollups of the meters one write touches, on the write's connection."""

    def __init__(self, db: psycopg.Connection[Any], zone: tzinfo) -> None:
        super().__init__(cast(Any, None), zone)
        self.pg = db
        self._states: dict[int, str] = {}
        """The carried states of the meters of the write under way (read once, then kept)."""
        self._dirty: dict[int, str] = {}
        self._rows: dict[int, tuple[object, ...]] = {}
        self._engines: dict[int, tuple[str, RollupEngine]] = {}
        self._missing: set[int] = set()
        self._fresh: tuple[object, list[Rollup]] = (None, [])
        """The last rows `open_rows` computed, and the meter, state and pending rows they are of."""

    # --- writing ---------------------------------------------------------------------------

    def save(self, meter: int, rollups: Iterable[Rollup]) -> None:
        """Kept until the next read of rollups or `flush`: one statement for a whole write."""
        for rollup in rollups:
            row = _row(meter, rollup)
            self._rows[row[0]] = row  # type: ignore[index]

    def flush(self) -> None:
        """Write the rollups and states kept (before a read, and at the end of a write)."""
        if self._rows:
            self.pg.execute(
                _SAVE,
                [list(column) for column in zip(*self._rows.values(), strict=True)],
                binary=True,  # the arrays sent as they are, not escaped as text
            )
            self._rows = {}
        if self._dirty:
            self.pg.execute(_STATES, (list(self._dirty), list(self._dirty.values())), binary=True)
            self._dirty = {}

    def take_finals(self, finals: dict[int, list[Rollup]]) -> None:
        """Per meter, final quarters and hours stored; each hour added to its stored day and
        month, which are read for all meters in one query."""
        wanted: dict[int, tuple[int, str, datetime]] = {}
        for meter, rollups in finals.items():
            self.save(meter, rollups)
            for hour in (rollup for rollup in rollups if rollup.step == "1h"):
                for step in ("1d", "1mo"):
                    start = period_start(hour.start, step, self.zone)
                    wanted[rollup_key(meter, step, int(start.timestamp()))] = (meter, step, start)
        if not wanted:
            return
        rows = self.pg.execute(
            "SELECT key, body FROM rollups WHERE key = ANY(%s)",
            (list(wanted),),
            binary=True,
        ).fetchall()
        periods = {
            key: parse_body(wanted[key][1], wanted[key][2], bytes(body).decode())
            for key, body in rows
        }
        for meter, rollups in finals.items():
            for hour in (rollup for rollup in rollups if rollup.step == "1h"):
                for step in ("1d", "1mo"):
                    start = period_start(hour.start, step, self.zone)
                    key = rollup_key(meter, step, int(start.timestamp()))
                    into = periods.setdefault(key, Rollup(step, start))
                    add_to(into, hour)
        for key, period in periods.items():
            self.save(wanted[key][0], [period])

    def save_state(self, meter: int, engine: RollupEngine) -> None:
        """Kept for `flush`, which writes the states of a write's meters at once; the engine
        is kept too, for the next write of the meter while its stored state is this one."""
        text = json.dumps(engine.state(), separators=(",", ":"))
        self._states[meter] = self._dirty[meter] = text
        self._engines[meter] = (text, engine)

    def engine(self, meter: int) -> RollupEngine:
        """The meter's engine as the last write left it: the one this process kept when the
        stored state is still what it saved (no other worker wrote the meter since)."""
        text = self.state_text(meter)
        kept = self._engines.pop(meter, None)
        if kept is not None and kept[0] == text:
            return kept[1]
        return super().engine(meter)

    def drop_engines(self) -> None:
        """After a write that failed: what was kept may be ahead of what is stored."""
        self._engines = {}

    def load_states(self, meters: list[int]) -> None:
        """The carried states of `meters` read in one query (a write of many meters)."""
        rows = self.pg.execute(
            "SELECT meter, state FROM rollup_state WHERE meter = ANY(%s)",
            (meters,),
            binary=True,
        ).fetchall()
        self._states = dict(rows)
        self._missing = set(meters) - set(self._states)

    def forget_states(self) -> None:
        self._states, self._dirty, self._rows = {}, {}, {}
        self._missing = set()

    def state_text(self, meter: int) -> str | None:
        found = self._states.get(meter)
        if found is not None or meter in self._missing:
            return found
        row = self.pg.execute(
            "SELECT state FROM rollup_state WHERE meter = %s",
            (meter,),
            binary=True,
        ).fetchone()
        return str(row[0]) if row else None

    # --- reading ---------------------------------------------------------------------------

    def open_rows(self, meter: int, step: str) -> list[Rollup]:
        """The periods of `step` that the stored rows do not hold yet, as they stand: the
        carried state covers the sealed hours, so a copy of it takes the open hour's pending
        readings; the quarters and hours they make final come too (not `partial`), then the
        open ones; for days and months, the stored part plus those hours."""
        text = self.state_text(meter)
        mark, waiting = pending_of(self.pg, meter)
        if text is None and not waiting:
            return []
        if self._fresh[0] != (meter, text, mark):  # asked again before the next write
            state = json.loads(text) if text is not None else None
            engine = RollupEngine(self.zone, state=state)
            final = engine.feed(waiting) if waiting else []
            rows = sorted([*final, *engine.open_rollups()], key=_start)
            self._fresh = ((meter, text, mark), rows)
        rows = self._fresh[1]
        if step in ("15m", "1h"):
            return [_copy(row) for row in rows if row.step == step]
        hours = (row for row in rows if row.step == "1h")
        return open_periods(  # a day of final hours only is final, as stored
            hours, step, self.zone, lambda start, end: self.typed(meter, step, start, end)
        )

    def stored(self, meter: int, step: str, start: int, end: int) -> list[StoredRow]:
        self.flush()
        rows = self.pg.execute(
            "SELECT start, body FROM rollups WHERE key >= %s AND key < %s ORDER BY key",
            keys(meter, step, start, end),
            binary=True,
        ).fetchall()
        if step == "15m":
            return [(t, zlib.decompress(body).decode()) for t, body in rows]
        return [(t, bytes(body).decode()) for t, body in rows]

    # --- recomputing -----------------------------------------------------------------------

    def recompute(
        self,
        meter: int,
        since_us: int,
        hours: Iterator[tuple[int, list[Reading] | None]],
    ) -> RollupEngine:
        """As the SQLite store: every quarter and hour from `since_us` on from the stored
        readings, the days and months from their hours; a period that needs a damaged hour
        keeps its row."""
        engine = RollupEngine(self.zone)
        damaged: set[int] = set()
        saved: set[int] = set()
        for hour, readings in hours:
            if readings is None:
                damaged.add(hour)
                continue
            final = [
                row
                for row in engine.feed(readings)
                if row.start.timestamp() * 1_000_000 >= since_us
                and not _touches(row.step, int(row.start.timestamp()), damaged)
            ]
            self.save(meter, final)
            saved.update(rollup_key(meter, row.step, int(row.start.timestamp())) for row in final)
        self.flush()
        stale = [
            key
            for step in ("15m", "1h")
            for key, start in self.pg.execute(
                "SELECT key, start FROM rollups WHERE key >= %s AND key < %s",
                keys(meter, step, since_us // 1_000_000, _END),
                binary=True,
            ).fetchall()
            if key not in saved and not _touches(step, start, damaged)
        ]
        self.pg.execute("DELETE FROM rollups WHERE key = ANY(%s)", (stale,))
        self.recombine(meter, since_us)
        return engine

    def recombine(self, meter: int, since_us: int) -> None:
        since = datetime.fromtimestamp(since_us // 1_000_000, self.zone)
        for part, step in (("1h", "1d"), ("1d", "1mo")):
            first = int(period_start(since, step, self.zone).timestamp())
            periods = combine(self.typed(meter, part, first, _END), step, self.zone)
            self.flush()
            self.pg.execute(
                "DELETE FROM rollups WHERE key >= %s AND key < %s", keys(meter, step, first, _END)
            )
            self.save(meter, periods)


def _start(rollup: Rollup) -> datetime:
    return rollup.start


def _copy(rollup: Rollup) -> Rollup:
    copied = Rollup(rollup.step, rollup.start, partial=rollup.partial)
    add_to(copied, rollup)
    return copied


def _row(meter: int, rollup: Rollup) -> tuple[object, ...]:
    body = body_json(rollup).encode()
    flags = FLAG_GAP * rollup.gap | FLAG_RESET * rollup.reset | FLAG_LEGACY * rollup.legacy
    start = int(rollup.start.timestamp())
    return (
        rollup_key(meter, rollup.step, start),
        start,
        rollup.readings,
        rollup.energy_import_wh,
        rollup.energy_export_wh,
        flags,
        zlib.compress(body, 6) if rollup.step == "15m" else body,
    )


_LENGTH_S = {"15m": 900}


def _touches(step: str, start: int, damaged: set[int]) -> bool:
    """Whether the period (start, end] needs a reading from one of the `damaged` UTC hours."""
    if not damaged:
        return False
    end = start + _LENGTH_S.get(step, 3600)
    return any(hour in damaged for hour in range(start // 3600, end // 3600 + 1))
