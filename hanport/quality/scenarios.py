"""A simulated week of 10-s voltage samples with the excursions the figures must find (pure).

The voltages are the simulator's `scenario=voltage` (`hanport.sim.voltage`, which lists the
excursions: a sag on Tuesday evening, an overvoltage day from PV on Thursday, a broken neutral
on Saturday at 20:00, a short gap on Wednesday night); `voltage_week(start)` yields a week of
them as `Sample`s from a local Monday.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from hanport.quality.windows import Sample
from hanport.sim.voltage import EXCURSIONS, TALLINN, scenario_voltages

__all__ = ["EXCURSIONS", "TALLINN", "scenario_voltages", "voltage_week"]


def voltage_week(start: datetime | None = None, interval_s: int = 10) -> Iterator[Sample]:
    """A week of samples from `start` (default: Monday 2 March 2026, 00:00 in Tallinn)."""
    first = start or datetime(2026, 3, 2, tzinfo=TALLINN)
    moment = first.astimezone(UTC)
    end = (first.astimezone(TALLINN) + timedelta(days=7)).astimezone(UTC)
    step = timedelta(seconds=interval_s)
    while moment < end:
        values = scenario_voltages(moment)
        if values is not None:
            yield (moment, values[0], values[1], values[2])
        moment += step
