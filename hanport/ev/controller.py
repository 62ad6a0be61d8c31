"""The controller: the law, the meter watchdog and the limits log, stepped by the caller. No I/O.

`observe(reading)` takes each reading as it arrives; `step(now, reports)` returns a decision
per online charger (the caller sends them, see `hanport.ev.sink`). While the meter data is
fresh the law decides; while it is stale (or before the first reading) every charger gets at
most `failsafe_a` (the fail-safe only ever lowers a limit: a car paused for lack of room stays
paused until readings return, and after a restart the charger's own standing fallback at
`failsafe_a` is assumed to be in force). Every change of limit is recorded in `log`, and the
watchdog's transitions go to `on_event` with a sentence key and its parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from hanport.ev.charger import ChargerReport
from hanport.ev.failsafe import Freshness, observe, tick
from hanport.ev.law import decide
from hanport.ev.limits_log import LimitRecord, LimitsLog
from hanport.ev.model import (
    ChargerSpec,
    ChargerState,
    Decision,
    Held,
    Measurement,
    Param,
    Reason,
    measurement_of,
)
from hanport.ev.policy import Mode, Policy
from hanport.grid import Site
from hanport.model import Reading

__all__ = ["Controller", "Event"]

Event = tuple[str, dict[str, Param]]
"""A sentence key of `hanport.ev.texts` and its parameters."""


class Controller:
    def __init__(
        self,
        site: Site,
        policy: Policy,
        mode: Mode | Callable[[datetime], Mode],
        *,
        failsafe_a: Decimal = Decimal(0),
        stale_s: float = 25.0,
        chargers: Sequence[ChargerSpec] = (),
        default: Callable[[str], ChargerSpec] = ChargerSpec,
        log: LimitsLog | None = None,
        on_event: Callable[[Event], None] | None = None,
    ) -> None:
        self.site = site
        self.policy = policy
        self.failsafe_a = failsafe_a
        self.log = log if log is not None else LimitsLog()
        self.freshness = Freshness(stale_s)
        self.measurement: Measurement | None = None
        self.helds: dict[str, Held] = {}
        self._mode = mode
        self._specs = {spec.id: spec for spec in chargers}
        self._default = default
        self._on_event = on_event

    def mode_at(self, now: datetime) -> Mode:
        return self._mode(now) if callable(self._mode) else self._mode

    def set_mode(self, mode: Mode | Callable[[datetime], Mode]) -> None:
        self._mode = mode

    def spec(self, charger_id: str) -> ChargerSpec:
        """The listed charger's spec, or the site's defaults for one that is not listed."""
        return self._specs.get(charger_id) or self._default(charger_id)

    def observe(self, reading: Reading) -> bool:
        """Take a reading; False when it cannot be used (no receive time, or older)."""
        measurement = measurement_of(reading)
        if measurement is None:
            return False
        latest = self.measurement
        if latest is not None and measurement.received_at < latest.received_at:
            return False
        self.measurement = measurement
        self.freshness = observe(self.freshness, measurement.received_at, measurement.received_at)
        return True

    def step(self, now: datetime, reports: Sequence[ChargerReport]) -> tuple[Decision, ...]:
        """Decisions for the online chargers among `reports`, at `now`."""
        self.freshness, transition = tick(self.freshness, now)
        if transition is not None:
            self._event(transition, now)
        states = [self._state(r) for r in reports if r.online]
        if not states:
            return ()
        if self.freshness.stale or self.measurement is None:
            decisions = self._failsafe(states, now)
        else:
            mode = self.mode_at(now)
            decisions = decide(self.site, self.policy, mode, self.measurement, states, now)
        for decision in decisions:
            self.helds[decision.charger_id] = decision.held
            if decision.changed:
                self.log.add(
                    LimitRecord(
                        now, decision.charger_id, decision.limit_a, decision.phases, decision.reason
                    )
                )
        return decisions

    def forget(self, charger_id: str) -> None:
        """A charger went away: when it comes back, its standing fallback is in force."""
        self.helds.pop(charger_id, None)

    def _state(self, report: ChargerReport) -> ChargerState:
        spec = self.spec(report.id)
        held = self.helds.get(report.id)
        if held is None:
            held = Held(limit_a=self.failsafe_a, phases=report.phases or spec.max_phases)
            held = replace(held, previous_limit_a=held.limit_a)
        return ChargerState(spec, report.vehicle, report.current_a, report.measured_at, held)

    def _failsafe(self, states: Sequence[ChargerState], now: datetime) -> tuple[Decision, ...]:
        age = self.freshness.age_s(now)
        if age is None:
            reason = Reason("no_reading_yet", {"failsafe_a": self.failsafe_a})
        else:
            reason = Reason("meter_stale", {"age_s": int(age), "failsafe_a": self.failsafe_a})
        return tuple(_capped(state, self.failsafe_a, reason, now) for state in states)

    def _event(self, transition: str, now: datetime) -> None:
        if self._on_event is None:
            return
        params: dict[str, Param] = {"failsafe_a": self.failsafe_a}
        age = self.freshness.age_s(now)
        params["age_s"] = int(age) if age is not None else 0
        self._on_event((f"event.{transition}", params))


def _capped(state: ChargerState, ceiling_a: Decimal, reason: Reason, now: datetime) -> Decision:
    held = state.held
    limit = min(held.limit_a, ceiling_a)
    if 0 < limit < state.spec.min_a:
        limit = Decimal(0)
    changed = limit != held.limit_a
    new = replace(
        held,
        limit_a=limit,
        changed_at=now if changed else held.changed_at,
        previous_limit_a=held.limit_a if changed else held.previous_limit_a,
        low_since=None,
        high_since=None,
        wish_phases=None,
        wish_since=None,
        reason=reason,
    )
    return Decision(state.spec.id, limit, held.phases, reason, new, changed)
