"""EV charging control over a simulated day, against a model of evcc's load management.

    python benchmarks/bench_ev.py [--seeds 1 2 3] [--settle 5]

The day (`hanport.ev.simulation`): an Estonian house on 3×25 A (base load, oven, hob, sauna,
heat pump, water heater, kettle, washing machine, 4.6 kW PV on L2), a car plugged in from 16:00
to 08:00 that follows each new limit after --settle s, the meter sending the sum every 10 s.
hanport's controller (guard mode, margin 1 A) is stepped on every reading and every second.

evcc is modelled from its source as §4.3 of the reference describes it: every 30 s (its
default interval) the loadpoint asks for its maximum, and the circuit's `ValidateCurrent(old,
new)` caps the rise at `maxCurrent − c.current`, where `c.current` is the highest signed phase
current of the grid meter (so an overload lowers the setpoint); below minCurrent it disables
the charger; grid data older than the circuit `timeout` (1 min) stops charging. maxCurrent is
set to fuse − margin (24 A) so that both have the same room. Two meter feeds: the latest HAN
reading (at most 10 s old at each cycle), and a value one minute old.

Targets (issue 12): no excursion above the fuse lasts longer than one meter interval plus the
settle time; the car gets ≥ 95 % of the energy the headroom allowed; a stopped meter brings the
fail-safe limit within 30 s.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from hanport.ev.charger import ChargerReport
from hanport.ev.controller import Controller
from hanport.ev.model import ChargerSpec, Decision, Held, Reason
from hanport.ev.policy import Guard, Policy
from hanport.ev.simulation import Household, SimResult, SimulatedEv, simulate
from hanport.grid import Site, phase_loads
from hanport.model import Reading

INTERVAL_S = 10
FUSE_A, MARGIN_A, MIN_A, MAX_A = 25.0, 1.0, 6.0, 16.0


@dataclass
class EvccModel:
    """evcc's circuit load management (core/circuit, core/loadpoint) at its 30-s interval."""

    meter_age_s: float = 0.0
    interval_s: float = 30.0
    timeout_s: float = 60.0
    max_current_a: Decimal = Decimal(str(FUSE_A - MARGIN_A))
    readings: list[Reading] = field(default_factory=list)
    setpoint_a: Decimal = Decimal(0)
    next_cycle: datetime | None = None

    def observe(self, reading: Reading) -> bool:
        self.readings.append(reading)
        del self.readings[:-20]
        return False  # evcc acts on its own cycle, not on readings

    def step(self, now: datetime, reports: Sequence[ChargerReport]) -> Sequence[Decision]:
        if self.next_cycle is not None and now < self.next_cycle:
            return ()
        from datetime import timedelta

        self.next_cycle = now + timedelta(seconds=self.interval_s)
        meter = self._meter_value(now)
        if meter is None:  # overloadOnError: circuit current = MaxFloat64 → stop charging
            new = Decimal(0)
        else:
            new = self._validate(self.setpoint_a, Decimal(str(MAX_A)), meter)
            if new < Decimal(str(MIN_A)):
                new = Decimal(0)
        new = new.quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
        changed = new != self.setpoint_a
        self.setpoint_a = new
        return [Decision("car", new, 3, Reason("evcc"), Held(limit_a=new), changed)]

    def _meter_value(self, now: datetime) -> Decimal | None:
        usable = [
            r
            for r in self.readings
            if r.received_at is not None
            and (now - r.received_at).total_seconds() >= self.meter_age_s
        ]
        if not usable:
            return None
        latest = usable[-1]
        assert latest.received_at is not None
        if (now - latest.received_at).total_seconds() > self.timeout_s + self.meter_age_s:
            return None
        currents = [load.current_a for load in phase_loads(latest)]
        return max(c for c in currents if c is not None)

    def _validate(self, old: Decimal, new: Decimal, current: Decimal) -> Decimal:
        delta = max(Decimal(0), new - old)
        potential = self.max_current_a - current
        if delta > potential:
            capped = max(Decimal(0), old + potential)
            return min(new, capped)
        return new


def plugged(t: int) -> bool:
    return not 8 * 3600 <= t % 86_400 < 16 * 3600


def hanport_controller(failsafe_a: Decimal = Decimal(0)) -> Controller:
    return Controller(
        Site(), Policy(), Guard(), failsafe_a=failsafe_a, chargers=[ChargerSpec("car")]
    )


def run_day(stepper: object, seed: int, settle_s: int) -> tuple[SimResult, float]:
    ev = SimulatedEv(settle_s=settle_s, plugged=plugged)
    started = time.perf_counter()
    result = simulate(stepper, Household(seed=seed), ev, interval_s=INTERVAL_S)  # type: ignore[arg-type]
    return result, time.perf_counter() - started


def failsafe_after(stepper: object, settle_s: int, failsafe_a: float) -> float | None:
    ev = SimulatedEv(settle_s=settle_s)
    start = 11 * 3600
    result = simulate(
        stepper,  # type: ignore[arg-type]
        Household(seed=2),
        ev,
        seconds=900,
        start_s=start,
        meter_stops_s=start + 300,
        failsafe_a=failsafe_a,
    )
    return result.failsafe_after_s


def row(name: str, result: SimResult, seconds: float | None = None) -> str:
    allowed_kwh = result.allowed_as * 230 * 3 / 3.6e6
    steps = f"{seconds / 86_400 * 1e6:.0f} µs" if seconds is not None else "—"
    return (
        f"| {name} | {result.ratio * 100:.1f} % | {result.delivered_kwh:.1f} / {allowed_kwh:.1f} | "
        f"{result.longest_excursion_s} s | {len(result.excursions_s)} | "
        f"{sum(result.excursions_s)} s | {result.commands} | {steps} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--settle", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    print(f"targets: excursion ≤ {INTERVAL_S + args.settle} s, energy ≥ 95 %, fail-safe ≤ 30 s")
    print(
        "| controller | energy of the allowed | kWh (car / allowed) | longest excursion | "
        "excursions | time above the fuse | commands | per second simulated |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals: dict[str, float] = {}
    for seed in args.seeds:
        ours, seconds = run_day(hanport_controller(), seed, args.settle)
        fresh, _ = run_day(EvccModel(meter_age_s=0), seed, args.settle)
        old, _ = run_day(EvccModel(meter_age_s=60), seed, args.settle)
        print(row(f"hanport, seed {seed}", ours, seconds))
        print(row(f"evcc model, fresh meter, seed {seed}", fresh))
        print(row(f"evcc model, 1-min-old meter, seed {seed}", old))
        for name, result in (("hanport", ours), ("fresh", fresh), ("old", old)):
            totals[f"{name}_kwh"] = totals.get(f"{name}_kwh", 0) + result.delivered_kwh
            totals[f"{name}_over"] = totals.get(f"{name}_over", 0) + sum(result.excursions_s)
    energy = totals["hanport_kwh"] / totals["fresh_kwh"]
    print(
        f"ratios over all seeds: hanport delivers {energy:.2f}× "
        f"the energy of the evcc model with a fresh meter and "
        f"{totals['hanport_kwh'] / totals['old_kwh']:.2f}× with a 1-min-old one; time above the "
        f"fuse {totals['hanport_over']:.0f} s vs {totals['fresh_over']:.0f} s and "
        f"{totals['old_over']:.0f} s"
    )
    for failsafe in (0.0, 6.0):
        ours_s = failsafe_after(hanport_controller(Decimal(str(failsafe))), args.settle, failsafe)
        print(f"meter stopped → fail-safe {failsafe:g} A at the charger after: hanport {ours_s} s")
    evcc_s = failsafe_after(EvccModel(), args.settle, 0.0)
    print(f"meter stopped → charging stopped: evcc model after {evcc_s} s (timeout 1 min)")
    print(f"load average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
