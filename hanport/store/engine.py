"""The rollup engine: quarters and hours from one meter's readings, batch by batch (the rules
are in `hanport.store.rollups`). Pure.

Times are µs since the epoch. A run is the readings of one quarter: their statistics are taken
column by column (min, max and sum in C), and a register that only grows within the run is
counted in one step; only the first reading of a run, and readings around a break, go
through the boundary rule one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from operator import itemgetter, le, sub
from typing import Any

from hanport.model import Reading
from hanport.store.base import Rollup
from hanport.store.boundary import SLOT_US, register_at, slot_of, whole_wh
from hanport.store.nones import has_none
from hanport.store.quarters import Quarter, Register, add_stats, first_fall, local
from hanport.store.rollups import (
    MAX_GAP,
    MAX_SILENCE,
    REGISTERS,
    STAT_FIELDS,
    add_to,
    period_start,
)

__all__ = ["RollupEngine"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_HOUR_US = 3_600_000_000
_RESET = "reset"


def _moment(reading: Reading) -> datetime | None:
    return reading.meter_time or reading.received_at


class RollupEngine:
    """Quarters and hours from the readings of one meter, fed in time order, batch by batch."""

    def __init__(
        self,
        zone: tzinfo,
        max_gap: timedelta = MAX_GAP,
        max_silence: timedelta = MAX_SILENCE,
        state: dict[str, Any] | None = None,
    ) -> None:
        self.zone = zone
        self._gap_us = max_gap // _US
        self._silence_us = max_silence // _US
        self.last_us: int | None = None
        self._meter: list[str | None] = []  # [] until the first reading
        self._registers = [Register() for _ in REGISTERS]
        self._quarters: dict[int, Quarter] = {}
        self._hours: dict[int, Rollup] = {}
        self._hour_cache: dict[int, int] = {}
        if state is not None:
            from hanport.store.rollup_state import load_state

            load_state(self, state)

    def feed(self, readings: Sequence[Reading], moments: list[int] | None = None) -> list[Rollup]:
        """Take readings in time order (those not after the last one taken are skipped: the
        store recomputes from stored readings for those), with their moments (µs) if known.
        Returns the quarters and hours that became final, in time order."""
        if moments is None:
            moments = [(m - _EPOCH) // _US for m in map(_moment, readings)]  # type: ignore[operator]
        first = 0
        if self.last_us is not None and moments and moments[0] <= self.last_us:
            first = next((i for i, m in enumerate(moments) if m > self.last_us), len(moments))
        if any(map(le, moments[first + 1 :], moments[first:])):  # not strictly increasing
            keep = [first] if first < len(moments) else []
            for index in range(first + 1, len(moments)):
                if moments[index] > moments[keep[-1]]:
                    keep.append(index)
            readings, moments, first = [readings[i] for i in keep], [moments[i] for i in keep], 0
        run = first
        for index in range(first + 1, len(moments) + 1):
            if index == len(moments) or slot_of(moments[index]) != slot_of(moments[run]):
                self._run(readings[run:index], moments[run:index])
                run = index
        self._silences()
        return self._finalise()

    def open_rollups(self) -> list[Rollup]:
        """The quarters and hours not final yet, as they stand (`partial`), in time order."""
        quarters = [
            self._quarters[start].rollup(self.zone, True) for start in sorted(self._quarters)
        ]
        hours: dict[int, Rollup] = {}
        for start, hour in sorted(self._hours.items()):
            hours[start] = Rollup("1h", hour.start, partial=True)
            add_to(hours[start], hour)
        for quarter in quarters:
            start = self._hour_of(int(quarter.start.timestamp()) * 1_000_000)
            if start not in hours:
                hours[start] = Rollup("1h", local(start, self.zone), partial=True)
            add_to(hours[start], quarter)
        return [*quarters, *(hours[start] for start in sorted(hours))]

    def state(self) -> dict[str, Any]:
        from hanport.store.rollup_state import dump_state

        return dump_state(self)

    # --- one run: the readings of one quarter, in time order ---------------------------------

    def _run(self, readings: Sequence[Reading], moments: list[int]) -> None:
        cut = self._cut(readings, moments)
        if cut:  # a gap or another meter inside: one part at a time
            self._run(readings[:cut], moments[:cut])
            self._run(readings[cut:], moments[cut:])
            return
        quarter = self._begin(moments[0], readings[0])
        states = [reading.__dict__ for reading in readings]
        quarter.readings += len(states)
        for name in STAT_FIELDS:
            values = list(map(itemgetter(name), states))
            if has_none(values):
                values = [value for value in values if value is not None]
            if values:
                add_stats(quarter.stats, name, values)
        for index, name in enumerate(REGISTERS):
            values = list(map(itemgetter(name), states))
            if not has_none(values):
                self._samples(index, quarter, moments, values)
                continue
            for moment, value in zip(moments, values, strict=True):
                if value is not None:
                    self._sample(index, moment, value)
        self.last_us = moments[-1]

    def _cut(self, readings: Sequence[Reading], moments: list[int]) -> int:
        """Where a run must be cut (0: nowhere): at a gap, where another meter's readings
        begin, or at a reading with a register lower than before (a reset breaks every
        register's chain there, as in the DSO's rule)."""
        steps = list(map(sub, moments[1:], moments[:-1]))
        cuts = []
        if steps and max(steps) > self._gap_us:
            cuts.append(1 + next(i for i, step in enumerate(steps) if step > self._gap_us))
        ids = [reading.meter_id for reading in readings]
        if ids.count(ids[0]) != len(ids):
            cuts.append(next(i for i, meter in enumerate(ids) if meter != ids[0]))
        for name, register in zip(REGISTERS, self._registers, strict=True):
            values = [reading.__dict__[name] for reading in readings]
            if has_none(values) or not all(map(le, values, values[1:])):
                cuts.append(first_fall(values, register.value if register.open else None))
        return min((cut for cut in cuts if cut), default=0)

    def _begin(self, moment: int, first: Reading) -> Quarter:
        """The quarter of a run's first reading; a gap before it, another meter, or a
        register lower than before breaks the registers' chains."""
        quarter = self._quarter(slot_of(moment))
        if self.last_us is not None and moment - self.last_us > self._gap_us:
            quarter.gap = True
            for index in range(len(REGISTERS)):
                self._break(index, "gap")
        values = [first.__dict__[name] for name in REGISTERS]
        fallen = any(
            value is not None and register.open and value < register.value
            for value, register in zip(values, self._registers, strict=True)
        )
        if fallen or (self._meter and self._meter[0] != first.meter_id):
            for index in range(len(REGISTERS)):
                self._break(index, _RESET)
        self._meter = [first.meter_id]
        return quarter

    def _samples(self, index: int, quarter: Quarter, moments: list[int], values: list[Any]) -> None:
        """Every reading carries the register: the first joins the chain the general way, the
        rest in one step when they only grow (the usual case)."""
        self._sample(index, moments[0], values[0])
        if len(values) == 1:
            return
        register = self._registers[index]
        if not all(map(le, values, values[1:])):
            for moment, value in zip(moments[1:], values[1:], strict=True):
                self._sample(index, moment, value)
            return
        quarter.growth[index] += whole_wh(values[-1]) - whole_wh(values[0])
        register.time, register.value = moments[-1], values[-1]
        if moments[-1] == quarter.start + SLOT_US:
            quarter.known[index][1] = True

    def _sample(self, index: int, moment: int, value: Any) -> None:
        register = self._registers[index]
        start = slot_of(moment)
        quarter = self._quarter(start)
        quarter.involved[index] = True
        if register.open and value < register.value:
            self._break(index, _RESET)
        if register.open and moment - register.time > self._silence_us:
            self._break(index, "gap")
        if register.open:
            self._connect(index, register, moment, value)
        else:
            if register.cause == _RESET:
                quarter.known[index][0] = True
                quarter.reset = True
            elif register.seen:
                quarter.broken[index] = True
            register.seen = True
        register.open, register.time, register.value, register.cause = True, moment, value, ""
        if moment == start + SLOT_US:
            quarter.known[index][1] = True

    def _connect(self, index: int, register: Register, moment: int, value: Any) -> None:
        """Share the growth between the register's last reading and this one out over the
        boundaries between them."""
        last = slot_of(register.time)
        target = slot_of(moment)
        previous = whole_wh(register.value)
        boundary = last + SLOT_US
        while boundary <= target:
            if boundary != register.time:  # a reading on the boundary closed that quarter
                at = register_at(register.time, register.value, moment, value, boundary)
                ending = self._quarter(boundary - SLOT_US)
                ending.involved[index] = True
                ending.growth[index] += at - previous
                ending.known[index][1] = True
                previous = at
            beginning = self._quarter(boundary)
            beginning.involved[index] = True
            beginning.known[index][0] = True
            boundary += SLOT_US
        self._quarters[target].growth[index] += whole_wh(value) - previous

    def _break(self, index: int, cause: str) -> None:
        """The register's chain ends at its last reading: the quarter that reading is in does
        not get its end from it (a gap), or, after a reset, counting starts again."""
        register = self._registers[index]
        if not register.open:
            return
        register.open, register.cause = False, cause
        last = slot_of(register.time)
        if register.time == last + SLOT_US:
            return  # ended exactly on a boundary: its quarter is complete
        quarter = self._quarters.get(last)
        if quarter is None:
            return
        if cause == _RESET:
            quarter.known[index][1] = True
            quarter.reset = True
        else:
            quarter.broken[index] = True

    def _silences(self) -> None:
        last = self.last_us
        for index, register in enumerate(self._registers):
            if register.open and last is not None and last - register.time > self._silence_us:
                self._break(index, "gap")

    # --- quarters and hours ------------------------------------------------------------------

    def _quarter(self, start: int) -> Quarter:
        quarter = self._quarters.get(start)
        if quarter is None:
            involved = [register.seen for register in self._registers]
            quarter = self._quarters[start] = Quarter(start, involved)
        return quarter

    def _final(self, end: int) -> bool:
        if self.last_us is None or self.last_us < end:
            return False
        return all(not r.seen or not r.open or r.time >= end for r in self._registers)

    def _finalise(self) -> list[Rollup]:
        done: list[Rollup] = []
        for start in sorted(self._quarters):
            if not self._final(start + SLOT_US):
                break
            rollup = self._quarters.pop(start).rollup(self.zone)
            done.append(rollup)
            hour = self._hour_of(start)
            into = self._hours.get(hour)
            if into is None:
                into = self._hours[hour] = Rollup("1h", local(hour, self.zone))
            add_to(into, rollup)
        pending = {self._hour_of(start) for start in self._quarters}
        for hour in sorted(self._hours):
            if hour in pending or not self._final(hour + _HOUR_US):
                break
            done.append(self._hours.pop(hour))
        return done

    def _hour_of(self, start: int) -> int:
        """The start (µs) of the zone's hour holding the quarter that starts at `start`."""
        found = self._hour_cache.get(start)
        if found is None:
            if len(self._hour_cache) > 4096:
                self._hour_cache.clear()
            moment = period_start(local(start, self.zone), "1h", self.zone)
            found = self._hour_cache[start] = (moment - _EPOCH) // _US
        return found
