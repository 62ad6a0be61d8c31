"""Rollups per 15 minutes (the Estonian market interval), hour, day and month.

Energy in a period comes from the cumulative registers, never from summing power samples:
    energy = register at the period's last reading − register at the previous reading
so a missed telegram loses nothing. Faults never produce negative or huge fake consumption:
    * a gap (no reading for longer than `max_gap`) → the energy across it is not attributed to
      any period, and the period after it is marked `gap`;
    * a register that goes backwards or a changed meter id (a replaced meter) → counting starts
      again from the new meter's first reading, and the period is marked `reset`.
Days and months are calendar days and months in the given zone (23 and 25 hour days at DST
changes); 15-minute and hour periods are aligned to the zone's clock too.
Registers that carry fractions of a Wh (Decimal) are counted in whole Wh crossed: each period
gets floor(register after) − floor(register before), so the periods add up exactly to the
register's whole-Wh growth and no fraction is lost or counted twice. Power statistics keep
Decimal values as they are.
This module is pure: readings in, rollups out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from math import floor

from hanport.model import Reading

__all__ = ["STAT_FIELDS", "STEPS", "Rollup", "Stats", "period_start", "rollups"]

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


@dataclass
class Stats:
    """Minimum, maximum and mean of one quantity over a period."""

    minimum: Decimal | int
    maximum: Decimal | int
    total: Decimal | int
    count: int = 1

    @property
    def mean(self) -> Decimal:
        return Decimal(self.total) / self.count

    def add(self, value: Decimal | int) -> None:
        if value < self.minimum:  # comparisons, not min()/max() calls: 40 per reading
            self.minimum = value
        elif value > self.maximum:
            self.maximum = value
        self.total += value
        self.count += 1


@dataclass
class Rollup:
    step: str
    start: datetime
    readings: int = 0
    energy_import_wh: int = 0
    energy_export_wh: int = 0
    gap: bool = False
    reset: bool = False
    stats: dict[str, Stats] = field(default_factory=dict)


def period_start(moment: datetime, step: str, zone: tzinfo) -> datetime:
    """The start of the period `moment` falls in, on the zone's clock."""
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
    max_gap: timedelta = timedelta(minutes=5),
) -> Iterator[Rollup]:
    """Rollups of time-ordered readings of one meter location (readings without a time skip)."""
    current: Rollup | None = None
    previous: Reading | None = None
    for reading in readings:
        moment = _moment(reading)
        if moment is None:
            continue
        start = period_start(moment, step, zone)
        # compared as instants: in the repeated hour of a DST change, 03:00 and 03:00 differ
        if current is None or start.timestamp() != current.start.timestamp():
            if current is not None:
                yield current
            current = Rollup(step, start)
        _add(current, previous, reading, max_gap)
        previous = reading
    if current is not None:
        yield current


def _add(rollup: Rollup, previous: Reading | None, reading: Reading, max_gap: timedelta) -> None:
    rollup.readings += 1
    values = reading.__dict__  # one dict lookup per quantity instead of getattr
    every = rollup.stats
    for name in STAT_FIELDS:
        value = values[name]
        if value is not None:
            stats = every.get(name)
            if stats is None:
                every[name] = Stats(value, value, value)
            else:
                stats.add(value)
    if previous is None:
        return
    gap = _elapsed(previous, reading) > max_gap
    if gap:
        rollup.gap = True
        return
    imported = _delta(previous.energy_import_wh, reading.energy_import_wh)
    exported = _delta(previous.energy_export_wh, reading.energy_export_wh)
    if previous.meter_id != reading.meter_id or imported is None or exported is None:
        rollup.reset = True
        return
    rollup.energy_import_wh += imported
    rollup.energy_export_wh += exported


def _delta(before: int | Decimal | None, after: int | Decimal | None) -> int | None:
    """Register growth in whole Wh; None when it went backwards (replaced or reset meter)."""
    if before is None or after is None:
        return 0
    if after < before:
        return None
    if type(after) is int and type(before) is int:
        return after - before
    return floor(after) - floor(before)


def _moment(reading: Reading) -> datetime | None:
    return reading.meter_time or reading.received_at


def _elapsed(before: Reading, after: Reading) -> timedelta:
    start, end = _moment(before), _moment(after)
    assert start is not None
    assert end is not None
    return end - start
