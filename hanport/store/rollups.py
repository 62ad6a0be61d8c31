"""Rollups per 15 minutes (the Estonian market interval), hour, day and month. Pure.

Energy follows the DSO's boundary rule (`hanport.store.boundary`): a quarter's energy is the
register at its end minus the register at its start, each in whole Wh reached; a reading
stamped exactly on a boundary is the register there, and between two readings the register is
interpolated at the boundary. An hour is the sum of its quarters, a day of its hours, a month
of its days, so every step agrees with the others and with the DSO's quarter-hour data.

Statistics (min/sum/max of power, voltage, current) and the reading count follow the same
rule: a period is (start, end], so the reading at 12:15:00 counts in 12:00–12:15, the period
whose energy it closes.

Two readings of a register are connected, and the growth between them is shared out over the
boundaries between them, when the readings kept coming in between (no two consecutive readings
more than `max_gap` apart), the register did not go backwards, the meter stayed the same, and
they are at most `max_silence` apart. So a meter that sends energy once an hour (Kamstrup,
Aidon, Kaifa in Norway: power every 10 s, registers hourly) gets its energy per quarter by
interpolation between its hourly registers. Faults never produce negative or fake energy:

    * `gap`: the energy is not fully known: readings missing (the period after the gap, and the
      one the chain broke in), the first period recorded, a register silent too long;
    * `reset`: a register went backwards or the meter id changed; counting starts again from
      the new value.

A quarter is final once a reading at or after its end exists and every register's value at its
end is known (for hourly registers: once the next hourly reading is in). `RollupEngine` keeps
the quarters and the hour not final yet, and its state is JSON (`state()`), so that the store
can carry it from one write to the next and show the open periods as they stand
(`hanport.store.engine`). Pure: readings in, rollups out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, tzinfo

from hanport.model import Reading
from hanport.store.base import Rollup

__all__ = [
    "MAX_GAP",
    "MAX_SILENCE",
    "REGISTERS",
    "STAT_FIELDS",
    "STEPS",
    "add_to",
    "combine",
    "open_periods",
    "period_start",
    "rollups",
]

STEPS = ("15m", "1h", "1d", "1mo")
STAT_FIELDS = (
    "power_import_w",
    "power_export_w",
    "power_import_l1_w",
    "power_import_l2_w",
    "power_import_l3_w",
    "power_export_l1_w",
    "power_export_l2_w",
    "power_export_l3_w",
    "voltage_l1_v",
    "voltage_l2_v",
    "voltage_l3_v",
    "current_l1_a",
    "current_l2_a",
    "current_l3_a",
)
REGISTERS = ("energy_import_wh", "energy_export_wh")
MAX_GAP = timedelta(minutes=5)
MAX_SILENCE = timedelta(hours=3)


def period_start(moment: datetime, step: str, zone: tzinfo) -> datetime:
    """The start of the period `moment` falls in, on the zone's clock (a moment exactly on a
    boundary is the start of the next period here; the rollups count it in the one before)."""
    local = moment.astimezone(zone)
    if step == "15m":
        start = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    elif step == "1h":
        start = local.replace(minute=0, second=0, microsecond=0)
    elif step == "1d":
        start = local.replace(hour=0, minute=0, second=0, microsecond=0, fold=0)
    elif step == "1mo":
        start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0, fold=0)
    else:
        raise ValueError(f"Unknown step {step!r}; use one of {', '.join(STEPS)}.")
    return start.replace(tzinfo=zone) if step in ("1d", "1mo") else start


def rollups(
    readings: Iterable[Reading],
    step: str,
    zone: tzinfo,
    max_gap: timedelta = MAX_GAP,
    max_silence: timedelta = MAX_SILENCE,
) -> list[Rollup]:
    """Rollups of time-ordered readings of one meter location, the open ones `partial`
    (readings without a time, or not after the one before, are skipped)."""
    if step not in STEPS:
        raise ValueError(f"Unknown step {step!r}; use one of {', '.join(STEPS)}.")
    from hanport.store.engine import RollupEngine

    engine = RollupEngine(zone, max_gap, max_silence)
    rows = [*engine.feed([r for r in readings if _moment(r) is not None]), *engine.open_rollups()]
    mine = sorted((row for row in rows if row.step == (step if step == "15m" else "1h")), key=_key)
    return mine if step in ("15m", "1h") else combine(mine, step, zone)


def combine(parts: Iterable[Rollup], step: str, zone: tzinfo) -> list[Rollup]:
    """Parts (hours, or days) added up into the days or months holding them, in order."""
    combined: dict[float, Rollup] = {}
    for part in parts:
        start = period_start(part.start, step, zone)
        into = combined.get(start.timestamp())
        if into is None:
            into = combined[start.timestamp()] = Rollup(step, start)
        add_to(into, part)
    return list(combined.values())


def open_periods(
    hours: Iterable[Rollup],
    step: str,
    zone: tzinfo,
    stored: Callable[[int, int], list[Rollup]],
) -> list[Rollup]:
    """The days or months (`step`) the hours not yet in the stored rows fall in, as they stand:
    each period's stored part (`stored(start, end)`, epoch seconds) plus those hours; a period
    is partial while one of its hours is."""
    periods: dict[int, Rollup] = {}
    open_keys: set[int] = set()
    for hour in hours:
        start = period_start(hour.start, step, zone)
        key = int(start.timestamp())
        if key not in periods:
            periods[key] = Rollup(step, start)
            for part in stored(key, key + 1):
                add_to(periods[key], part)
        add_to(periods[key], hour)
        if hour.partial:
            open_keys.add(key)
    for key, period in periods.items():
        period.partial = key in open_keys
    return [periods[key] for key in sorted(periods)]


def add_to(into: Rollup, part: Rollup) -> None:
    into.readings += part.readings
    into.energy_import_wh += part.energy_import_wh
    into.energy_export_wh += part.energy_export_wh
    into.gap |= part.gap
    into.reset |= part.reset
    into.partial |= part.partial
    into.legacy |= part.legacy
    for name, stats in part.stats.items():
        mine = into.stats.get(name)
        if mine is None:
            into.stats[name] = stats.copy()
        else:
            mine.merge(stats)


def _key(rollup: Rollup) -> float:
    return rollup.start.timestamp()


def _moment(reading: Reading) -> datetime | None:
    return reading.meter_time or reading.received_at
