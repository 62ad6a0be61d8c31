"""The values the control law reads and returns: measurements, chargers, held limits, decisions.

Currents are `Decimal` amperes per phase, powers `Decimal` watts, times aware `datetime`s on the
receive clock (the clock that stamped `Reading.received_at`), durations float seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from hanport.grid import PhaseLoad, phase_loads
from hanport.model import Reading

__all__ = [
    "ChargerSpec",
    "ChargerState",
    "Decision",
    "Held",
    "Measurement",
    "Param",
    "Reason",
    "Vehicle",
    "measurement_of",
]

Vehicle = Literal["absent", "connected", "charging", "suspended_ev", "fault", "unknown"]
"""What the charger says about the car: none, plugged in and waiting, drawing current, stopped by
the car itself (full or its own timer), the charger in fault, or not known (no feedback)."""

WANTS_CHARGE: frozenset[Vehicle] = frozenset({"connected", "charging", "suspended_ev", "unknown"})

Param = Decimal | int | str


@dataclass(frozen=True)
class Reason:
    """Why a limit is what it is: a code from `hanport.ev.texts` and the numbers in its sentence."""

    code: str
    params: Mapping[str, Param] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "params": {k: str(v) for k, v in self.params.items()}}


@dataclass(frozen=True)
class Measurement:
    """The meter at one moment: signed phase currents, net power, and when it was received."""

    loads: tuple[PhaseLoad, ...]
    net_power_w: Decimal | None
    received_at: datetime


def measurement_of(reading: Reading) -> Measurement | None:
    """The reading as the law needs it; None without a receive time (it cannot be aged)."""
    if reading.received_at is None:
        return None
    net: Decimal | None = None
    if reading.power_import_w is not None or reading.power_export_w is not None:
        net = Decimal(reading.power_import_w or 0) - Decimal(reading.power_export_w or 0)
    return Measurement(phase_loads(reading), net, reading.received_at)


@dataclass(frozen=True)
class ChargerSpec:
    """What a charger is (from the settings, or the site's defaults for one that is not listed).

    `wiring` names the site phase each of the charger's phases is connected to, in the order the
    charger uses them: `(1, 2, 3)`, rotated `(2, 3, 1)`, or `(2,)` for a single-phase charger on L2.
    On one phase a switchable charger uses the first. `step_a` is the resolution it takes (OCPP
    0.1 A, go-e 1 A). Lower `priority` keeps charging longest when there is not room for all.
    """

    id: str
    max_a: Decimal = Decimal(16)
    min_a: Decimal = Decimal(6)
    wiring: tuple[int, ...] = (1, 2, 3)
    can_switch_phases: bool = False
    step_a: Decimal = Decimal("0.1")
    priority: int = 0

    def site_phases(self, phases: int) -> tuple[int, ...]:
        return self.wiring[: min(phases, len(self.wiring))]

    @property
    def max_phases(self) -> int:
        return len(self.wiring)


@dataclass(frozen=True)
class Held:
    """The law's memory of one charger: the limit in force and the timers behind it.

    `previous_limit_a` is what was in force before `changed_at`, so that a reading taken while
    the car was still settling is read against what it may still have been drawing.
    """

    limit_a: Decimal = Decimal(0)
    phases: int = 3
    changed_at: datetime | None = None
    raised_at: datetime | None = None
    previous_limit_a: Decimal = Decimal(0)
    phases_changed_at: datetime | None = None
    low_since: datetime | None = None
    """Surplus mode: the surplus has been below the minimum since then (still charging)."""
    high_since: datetime | None = None
    """Surplus mode: the surplus has been enough since then (still paused)."""
    wish_phases: int | None = None
    wish_since: datetime | None = None
    reason: Reason = Reason("starting")


@dataclass(frozen=True)
class ChargerState:
    """One charger as the law sees it: what it is, what it reports, what the law holds for it.

    `measured_a` is the charger's own current on each of its phases (in `spec.wiring` order), as
    its meter reported it at `measured_at`; None when it reports none.
    """

    spec: ChargerSpec
    vehicle: Vehicle = "unknown"
    measured_a: tuple[Decimal | None, ...] | None = None
    measured_at: datetime | None = None
    held: Held = field(default_factory=Held)

    @property
    def wants_charge(self) -> bool:
        return self.vehicle in WANTS_CHARGE


@dataclass(frozen=True)
class Decision:
    """The law's answer for one charger: the limit per phase (0 pauses), on how many phases, why.

    `held` is the memory to pass back on the next step; `changed` says whether the limit or the
    phases differ from what was in force (a command to send).
    """

    charger_id: str
    limit_a: Decimal
    phases: int
    reason: Reason
    held: Held
    changed: bool
