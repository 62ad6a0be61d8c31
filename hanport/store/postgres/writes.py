"""A write of the PostgreSQL store: the readings of many meters in one transaction and a fixed
number of statements. The meters' rows are locked first (in id order, so that two workers
writing the same meters wait for each other and never deadlock); then the pending rows and the
hours sealed; for the meters with a sealed hour, the rollup engine (a late reading has the
rollups around it computed again), the final periods with the days and months they add to, the
engines' states; the meters' first and last times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from hanport.model import Reading
from hanport.store.base import Rollup
from hanport.store.postgres.blocks import seal_and_pend, sealed_hours
from hanport.store.postgres.rollups import PgRollups
from hanport.store.rollups import MAX_SILENCE, period_start
from hanport.store.stored import moment_us

__all__ = ["store_batches"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_HOUR_US = 3_600_000_000
_REACH_US = MAX_SILENCE // _US + _HOUR_US
"""How far back a late reading can change rollups (an hourly register's reach)."""
_NOTE = (
    "UPDATE meters m SET first = LEAST(coalesce(m.first, w.a), w.a), "
    "model = CASE WHEN m.last IS NULL OR m.last <= w.b THEN w.model ELSE m.model END, "
    "last = GREATEST(coalesce(m.last, w.b), w.b) "
    "FROM unnest(%b::int[], %b::bigint[], %b::bigint[], %b::text[]) AS w(id, a, b, model) "
    "WHERE m.id = w.id"
)


def store_batches(
    db: psycopg.Connection[Any], rollups: PgRollups, batches: dict[int, list[Reading]]
) -> None:
    """Meter id → its readings (in time order, one per time), inside the caller's transaction.
    The rollup engine takes a meter's hour when it is sealed (readers feed the open hour to a
    copy of it), so a write of the open hour touches no rollups."""
    meters = sorted(batches)
    known: dict[int, int | None] = dict(
        db.execute(
            "SELECT id, last FROM meters WHERE id = ANY(%s) ORDER BY id FOR UPDATE", (meters,)
        ).fetchall()
    )
    sealed = seal_and_pend(db, batches, known)
    if sealed:
        rollups.load_states(sorted(sealed))
        try:
            finals = {meter: _roll(db, rollups, meter, hours) for meter, hours in sealed.items()}
            rollups.take_finals(finals)
            rollups.flush()
        finally:
            rollups.forget_states()
    firsts = [moment_us(batch[0]) for batch in batches.values()]
    lasts = [moment_us(batch[-1]) for batch in batches.values()]
    models = [batch[-1].meter_model for batch in batches.values()]
    db.execute(_NOTE, (list(batches), firsts, lasts, models), binary=True)


def _roll(
    db: psycopg.Connection[Any],
    rollups: PgRollups,
    meter: int,
    hours: list[tuple[int, list[Reading]]],
) -> list[Rollup]:
    """The periods the sealed hours' readings made final; for an hour the engine had taken
    before (a late reading), none: the rollups around it are computed again from the sealed
    hours instead."""
    readings = [reading for _hour, part in hours for reading in part]
    if not readings:
        return []
    engine = rollups.engine(meter)
    first = moment_us(readings[0])
    if engine.last_us is not None and first <= engine.last_us:
        zone = rollups.zone
        moment = _EPOCH + (first - _REACH_US) * _US
        since = (period_start(moment.astimezone(zone), "1h", zone) - _EPOCH) // _US
        stored = sealed_hours(db, meter, (since - _REACH_US) // _HOUR_US)
        rollups.save_state(meter, rollups.recompute(meter, since, stored))
        return []
    final = engine.feed(readings)
    rollups.save_state(meter, engine)
    return final
