"""A closed-loop day: an Estonian house on a 3×25 A fuse, an EV, the meter, a controller.

The house (`Household`): a base load on each phase, an oven and a hob at dinner time, a 9 kW
sauna in the evening, a heat pump cycling all day, a water heater at night, a kettle, and a
4.6 kW single-phase PV inverter on L2. The car (`SimulatedEv`) follows each new limit after
`settle_s`. Every second the true phase currents are the house's plus the car's; every
`interval_s` the meter sends them (a `Reading` received at that moment); the controller is
stepped on each reading and every `tick_s`. Deterministic for a seed; no I/O, no clock.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from hanport.ev.charger import ChargerReport
from hanport.ev.model import Decision
from hanport.model import Reading

__all__ = ["Appliance", "Household", "SimResult", "SimulatedEv", "Stepper", "simulate"]

VOLTS = 230
DAY_S = 86_400
START = datetime(2026, 1, 15, tzinfo=UTC)


@dataclass(frozen=True)
class Appliance:
    """`power_w` split evenly over `phases`, on from `start_s` to `end_s` (seconds of the day),
    cycling `on_s` on and `off_s` off when `off_s` > 0 (a thermostat)."""

    name: str
    phases: tuple[int, ...]
    power_w: float
    start_s: int
    end_s: int
    on_s: int = 0
    off_s: int = 0

    def is_on(self, t: int) -> bool:
        second = t % DAY_S
        if not self.start_s <= second < self.end_s:
            return False
        if self.off_s == 0:
            return True
        return (second - self.start_s) % (self.on_s + self.off_s) < self.on_s


def _hm(hours: float) -> int:
    return int(hours * 3600)


APPLIANCES = (
    Appliance("oven", (1,), 2500, _hm(17) + 3, _hm(18.25), 67, 51),
    Appliance("hob", (2, 3), 3000, _hm(17.25) + 7, _hm(17.75), 93, 58),
    Appliance("sauna", (1, 2, 3), 9000, _hm(19) + 4, _hm(19.8)),
    Appliance("sauna thermostat", (1, 2, 3), 9000, _hm(19.8) + 4, _hm(21.5), 303, 236),
    Appliance("heat pump", (1, 2, 3), 2100, 1, DAY_S, 1201, 597),
    Appliance("water heater", (3,), 2000, _hm(23) + 6, DAY_S),
    Appliance("water heater (night)", (3,), 2000, 0, _hm(3) + 6),
    Appliance("kettle", (2,), 2000, _hm(7) + 2, _hm(7.05)),
    Appliance("kettle", (2,), 2000, _hm(16.7) + 8, _hm(16.75)),
    Appliance("washing machine", (1,), 2000, _hm(13) + 9, _hm(14), 607, 293),
)


class Household:
    """Signed phase currents of the house alone, second by second."""

    def __init__(self, seed: int = 1, pv_w: float = 4600, pv_phase: int = 2) -> None:
        rng = random.Random(seed)
        self._base = [[rng.uniform(0.8, 3.0) for _ in range(DAY_S // 60 + 1)] for _ in range(3)]
        self._clouds = [rng.uniform(0.35, 1.0) for _ in range(DAY_S // 300 + 1)]
        self.pv_w = pv_w
        self.pv_phase = pv_phase
        self.appliances = APPLIANCES

    def currents_a(self, t: int) -> tuple[float, float, float]:
        second = t % DAY_S
        amps = [self._base[p][second // 60] for p in range(3)]
        for appliance in self.appliances:
            if appliance.is_on(second):
                for phase in appliance.phases:
                    amps[phase - 1] += appliance.power_w / len(appliance.phases) / VOLTS
        amps[self.pv_phase - 1] -= self.pv_power_w(second) / VOLTS
        return (amps[0], amps[1], amps[2])

    def pv_power_w(self, second: int) -> float:
        sun = math.sin(math.pi * (second - _hm(8.5)) / _hm(7.5))  # 08:30 to 16:00 in January
        return self.pv_w * max(0.0, sun) * self._clouds[second // 300]


@dataclass
class SimulatedEv:
    """A charger with a car that draws the limit (up to `max_a`) `settle_s` after each change.

    It implements `hanport.ev.charger.Charger`; `plugged` says when a car is there.
    """

    id: str = "car"
    max_a: float = 16.0
    phases: int = 3
    settle_s: int = 5
    reports_current: bool = True
    plugged: Callable[[int], bool] = lambda _t: True
    t: int = 0
    limits: list[tuple[int, float, int]] = field(default_factory=list)
    """Every (second, limit, phases) the charger was told that differed from the last."""

    def set_limit(self, limit_a: Decimal, phases: int, now: datetime) -> None:
        wanted = (float(limit_a), phases)
        if not self.limits or self.limits[-1][1:] != wanted:
            self.limits.append((self.t, *wanted))

    def limit_at(self, t: int) -> tuple[float, int]:
        for second, limit, phases in reversed(self.limits):
            if second <= t:
                return limit, phases
        return 0.0, self.phases

    def current_a(self, t: int) -> tuple[float, float, float]:
        if not self.plugged(t):
            return (0.0, 0.0, 0.0)
        limit, phases = self.limit_at(t - self.settle_s)
        amps = min(limit, self.max_a)
        return (amps, amps if phases == 3 else 0.0, amps if phases == 3 else 0.0)

    def report(self) -> ChargerReport:
        plugged = self.plugged(self.t)
        measured = self.current_a(self.t) if self.reports_current else None
        return ChargerReport(
            self.id,
            online=True,
            vehicle="charging" if plugged else "absent",
            current_a=None if measured is None else tuple(_decimal(a) for a in measured),
            measured_at=START + timedelta(seconds=self.t) if measured is not None else None,
            phases=self.limit_at(self.t)[1],
        )


class Stepper(Protocol):
    """What `simulate` drives: `hanport.ev.controller.Controller`, or a peer's model."""

    def observe(self, reading: Reading) -> bool: ...

    def step(self, now: datetime, reports: Sequence[ChargerReport]) -> Sequence[Decision]: ...


@dataclass
class SimResult:
    seconds: int = 0
    delivered_as: float = 0.0
    """The car's current on its first phase × seconds (A·s), against `allowed_as`."""
    delivered_wh: float = 0.0
    """The car's energy on all its phases at the nominal 230 V."""
    allowed_as: float = 0.0
    """∫ min(max_a, headroom) dt over the plugged time when headroom ≥ min_a (A·s)."""
    excursions_s: list[int] = field(default_factory=list)
    """Each stretch of one phase importing above the fuse while the car drew from it (s); each
    phase has a fuse of its own."""
    house_over_s: int = 0
    commands: int = 0
    failsafe_after_s: float | None = None
    """From the meter's last reading to the fail-safe limit at the charger."""

    @property
    def ratio(self) -> float:
        return self.delivered_as / self.allowed_as if self.allowed_as else 1.0

    @property
    def longest_excursion_s(self) -> int:
        return max(self.excursions_s, default=0)

    @property
    def delivered_kwh(self) -> float:
        return self.delivered_wh / 1000


def simulate(
    controller: Stepper,
    house: Household,
    ev: SimulatedEv,
    *,
    seconds: int = DAY_S,
    start_s: int = 0,
    fuse_a: float = 25.0,
    margin_a: float = 1.0,
    min_a: float = 6.0,
    interval_s: int = 10,
    tick_s: int = 1,
    meter_stops_s: int | None = None,
    failsafe_a: float = 0.0,
) -> SimResult:
    """Run the loop for `seconds` from `start_s` (seconds of the day)."""
    result = SimResult()
    over = [0, 0, 0]
    last_reading: int | None = None
    for t in range(start_s, start_s + seconds):
        ev.t = t
        home = house.currents_a(t)
        car = ev.current_a(t)
        grid = tuple(h + c for h, c in zip(home, car, strict=True))
        now = START + timedelta(seconds=t)
        fresh = False
        if t % interval_s == 0 and (meter_stops_s is None or t < meter_stops_s):
            fresh = controller.observe(_reading(grid, now))
            last_reading = t
        if fresh or t % tick_s == 0:
            before = len(ev.limits)
            for decision in controller.step(now, [ev.report()]):
                ev.set_limit(decision.limit_a, decision.phases, now)
            result.commands += len(ev.limits) - before
        _account(result, ev, home, car, t, fuse_a, margin_a, min_a)
        over = [_excursion(result, over[p], grid[p], car[p], fuse_a) for p in range(3)]
        result.house_over_s += any(abs(h) > fuse_a for h in home)
        stopped = meter_stops_s is not None and t >= meter_stops_s and last_reading is not None
        if stopped and result.failsafe_after_s is None and ev.limit_at(t)[0] <= failsafe_a:
            assert last_reading is not None
            result.failsafe_after_s = float(t - last_reading)
    result.excursions_s += [stretch for stretch in over if stretch]
    result.seconds = seconds
    return result


def _account(
    result: SimResult,
    ev: SimulatedEv,
    home: tuple[float, ...],
    car: tuple[float, ...],
    t: int,
    fuse_a: float,
    margin_a: float,
    min_a: float,
) -> None:
    if not ev.plugged(t):
        return
    phases = 3 if ev.phases == 3 else 1
    headroom = min(fuse_a - margin_a - home[p] for p in range(phases))
    if headroom >= min_a:
        result.allowed_as += min(ev.max_a, headroom)
    result.delivered_as += car[0]
    result.delivered_wh += sum(car) * VOLTS / 3600


def _excursion(result: SimResult, over: int, grid_a: float, car_a: float, fuse_a: float) -> int:
    """Import above the fuse on a phase the car draws from (export is the inverter's own)."""
    if grid_a > fuse_a and car_a > 0:
        return over + 1
    if over:
        result.excursions_s.append(over)
    return 0


def _reading(grid: tuple[float, ...], now: datetime) -> Reading:
    values: dict[str, object] = {"received_at": now, "meter_time": now}
    total_import = total_export = 0
    for phase, amps in enumerate(grid, start=1):
        watts = round(amps * VOLTS)
        values[f"current_l{phase}_a"] = _decimal(abs(amps))
        values[f"voltage_l{phase}_v"] = Decimal(VOLTS)
        values[f"power_import_l{phase}_w"] = max(watts, 0)
        values[f"power_export_l{phase}_w"] = max(-watts, 0)
        total_import += max(watts, 0)
        total_export += max(-watts, 0)
    net = total_import - total_export
    values["power_import_w"] = max(net, 0)
    values["power_export_w"] = max(-net, 0)
    return Reading(**values)  # type: ignore[arg-type]


def _decimal(amps: float) -> Decimal:
    return Decimal(f"{amps:.2f}")
