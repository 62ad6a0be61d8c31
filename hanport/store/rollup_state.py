"""A `RollupEngine`'s state as plain JSON-able values, and back: the store keeps it with the
rollups (one row per meter, written in the same transaction), so that the next write goes on
exactly where the last one stopped, and a reader can show the open periods as they stand.

    {"v": 1, "t": last reading (µs), "m": [meter id] or [],
     "r": [[seen, open, time µs, value, cause], …]                        per register
     "q": [[start µs, readings, gap, reset, stats, growth, involved, known, broken], …]
     "h": [[start µs, readings, import Wh, export Wh, gap, reset, stats], …]}
    stats: {field: [min, max, sum, count]}

Every value is a JSON type: the only Decimals (statistics, register values) are written as
their text, a string where an int would be a number, so plain `json` reads and writes the state
at C speed and every number comes back exact. Pure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hanport.store.base import Rollup, Stats

if TYPE_CHECKING:
    from hanport.store.engine import RollupEngine

__all__ = ["STATE_VERSION", "dump_state", "load_state"]

STATE_VERSION = 1


def dump_state(engine: RollupEngine) -> dict[str, Any]:
    quarters = [
        [
            q.start,
            q.readings,
            q.gap,
            q.reset,
            _stats(q.stats),
            q.growth,
            q.involved,
            q.known,
            q.broken,
        ]
        for q in (engine._quarters[start] for start in sorted(engine._quarters))
    ]
    hours = [
        [
            start,
            h.readings,
            h.energy_import_wh,
            h.energy_export_wh,
            h.gap,
            h.reset,
            _stats(h.stats),
        ]
        for start, h in sorted(engine._hours.items())
    ]
    registers = [[r.seen, r.open, r.time, _number(r.value), r.cause] for r in engine._registers]
    return {
        "v": STATE_VERSION,
        "t": engine.last_us,
        "m": engine._meter,
        "r": registers,
        "q": quarters,
        "h": hours,
    }


def load_state(engine: RollupEngine, state: dict[str, Any]) -> None:
    from hanport.store.quarters import Quarter, local

    if state.get("v") != STATE_VERSION:
        raise ValueError(f"rollup state of version {state.get('v')!r}")
    engine.last_us = state["t"]
    engine._meter = list(state["m"])
    for register, (seen, is_open, time, value, cause) in zip(
        engine._registers, state["r"], strict=True
    ):
        register.seen, register.open, register.time = seen, is_open, time
        register.value, register.cause = _exact(value), cause
    for start, readings, gap, reset, stats, growth, involved, known, broken in state["q"]:
        quarter = Quarter(start, list(involved))
        quarter.readings, quarter.gap, quarter.reset = readings, gap, reset
        quarter.stats = _parsed(stats)
        quarter.growth, quarter.known, quarter.broken = list(growth), known, list(broken)
        engine._quarters[start] = quarter
    for start, readings, imported, exported, gap, reset, stats in state["h"]:
        hour = Rollup("1h", local(start, engine.zone), readings, imported, exported, gap, reset)
        hour.stats = _parsed(stats)
        engine._hours[start] = hour


def _stats(stats: dict[str, Stats]) -> dict[str, list[Any]]:
    return {
        name: [_number(s.minimum), _number(s.maximum), _number(s.total), s.count]
        for name, s in stats.items()
    }


def _parsed(stats: dict[str, list[Any]]) -> dict[str, Stats]:
    return {
        name: Stats(_exact(low), _exact(high), _exact(total), count)
        for name, (low, high, total, count) in stats.items()
    }


def _number(value: int | Decimal) -> int | str:
    return value if type(value) is int else str(value)


def _exact(value: int | str) -> int | Decimal:
    return Decimal(value) if isinstance(value, str) else value
