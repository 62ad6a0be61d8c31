"""What the cars draw now and what room that leaves on each phase, from one meter reading.

The house's own load on a phase is the measured current minus what the cars draw on it; the
room is `fuse − margin − house load` (`hanport.grid.headroom_a`). What a car draws is its
charger's own measurement when it was taken close to the reading, never more than the limit in
force then; without one, the limit in force (a car follows its limit). "In force then" reads the
reading's receive time against the last change: a reading taken while the car was still
settling after a change is read against the higher of the old and the new limit. A charger's
measurement counts only when it describes the moment of the reading: taken at most
`measured_max_age_s` before it (never after), and after the car had settled from the last change
(or before that change, for a reading also taken before it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hanport.ev.model import ChargerState, Measurement
from hanport.ev.policy import Policy
from hanport.grid import Site, headroom_a

__all__ = ["Room", "limit_in_force_a", "own_current_a", "room_of"]

PHASES = (1, 2, 3)
_DRAWING = frozenset({"charging", "unknown"})
_SAME_MOMENT_S = 1.0


@dataclass(frozen=True)
class Room:
    """Per site phase: the room left for the cars (None: no current on that phase), the
    measured current and the house's load without the cars; the cars' total power (W)."""

    room_a: Mapping[int, Decimal | None]
    current_a: Mapping[int, Decimal | None]
    house_a: Mapping[int, Decimal | None]
    cars_w: Decimal
    net_w: Decimal | None
    """The meter's net power (import − export), None when it sends none."""


def limit_in_force_a(state: ChargerState, at: datetime, policy: Policy) -> Decimal:
    """The most the car may have been drawing at `at` (see the module docstring)."""
    held = state.held
    if held.changed_at is None:
        return held.limit_a
    since = (at - held.changed_at).total_seconds()
    if since < 0:
        return held.previous_limit_a
    if since < policy.settle_s:
        return max(held.limit_a, held.previous_limit_a)
    return held.limit_a


def own_current_a(state: ChargerState, at: datetime, policy: Policy) -> dict[int, Decimal]:
    """What the charger's car drew on each site phase at `at`."""
    spec = state.spec
    ceiling = limit_in_force_a(state, at, policy)
    in_use = spec.site_phases(state.held.phases)
    measured = _fresh_measurement(state, at, policy)
    own = dict.fromkeys(PHASES, Decimal(0))
    for index, phase in enumerate(spec.wiring):
        value = measured[index] if measured is not None and index < len(measured) else None
        if value is not None:
            own[phase] = max(Decimal(0), min(value, ceiling))
        elif phase in in_use and state.vehicle in _DRAWING:
            own[phase] = ceiling
    return own


def _fresh_measurement(
    state: ChargerState, at: datetime, policy: Policy
) -> tuple[Decimal | None, ...] | None:
    measured_at = state.measured_at
    if state.measured_a is None or measured_at is None:
        return None
    before_s = (at - measured_at).total_seconds()
    if not -_SAME_MOMENT_S <= before_s <= policy.measured_max_age_s:
        return None
    changed = state.held.changed_at
    settling = changed is not None and (measured_at - changed).total_seconds() < policy.settle_s
    if changed is not None and changed <= at and settling:
        return None
    return state.measured_a


def room_of(
    site: Site,
    policy: Policy,
    measurement: Measurement,
    chargers: Sequence[ChargerState],
) -> Room:
    """The room on each phase once every car's own current is taken out of the meter's."""
    at = measurement.received_at
    owns = [own_current_a(c, at, policy) for c in chargers]
    total = {p: sum((o[p] for o in owns), start=Decimal(0)) for p in PHASES}
    rooms = headroom_a(site, measurement.loads, policy.margin_a, tuple(total[p] for p in PHASES))
    current = {load.phase: load.current_a for load in measurement.loads[: site.phases]}
    house = {p: None if value is None else value - total[p] for p, value in current.items()}
    return Room(
        room_a=dict(zip(PHASES[: site.phases], rooms, strict=False)),
        current_a=current,
        house_a=house,
        cars_w=sum(total.values(), start=Decimal(0)) * site.nominal_v,
        net_w=measurement.net_power_w,
    )
