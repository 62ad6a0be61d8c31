"""Decoded readings of the simulator's `scenario=voltage`, for the tests of the stored figures."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.sim.voltage import TALLINN

MONDAY = datetime(2026, 3, 2, tzinfo=TALLINN)


@cache
def voltage_readings(start: datetime = MONDAY, hours: int = 168) -> tuple[Reading, ...]:
    simulator = HomeSimulator(seed=3, start=start, scenario="voltage")
    data = b"".join(simulator.next_telegram() for _ in range(hours * 360))
    return tuple(hanport.decode(data))


def hours_of(readings: tuple[Reading, ...], start: datetime) -> list[list[Reading]]:
    """The readings cut into the hours from `start`."""
    cut: dict[int, list[Reading]] = {}
    for reading in readings:
        assert reading.meter_time is not None
        cut.setdefault(int((reading.meter_time - start) / timedelta(hours=1)), []).append(reading)
    return [cut[k] for k in sorted(cut)]
