"""One phase or three: for chargers that can switch, the count that gives the car more power.

The wish is worked out from the shares each count would get (below the charger's minimum a
count does not count; going up to three needs the minimum plus the hysteresis). A switch happens
only when the wish has held for `phase_settle_s`, the last switch is that long ago, and the car
has settled after the last change of its limit. Each switch passes through a pause in the
charger, so the law ramps the new limit from 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from hanport.ev.allocation import Context, allocate
from hanport.ev.demand import Demand
from hanport.ev.model import ChargerState, Held
from hanport.ev.ramp import floor_to

__all__ = ["planned_phases"]


def planned_phases(
    context: Context, chargers: Sequence[ChargerState], demands: Mapping[str, Demand]
) -> dict[str, Held]:
    """Each charger's held state with the phase count it will use in this step."""
    helds = {c.spec.id: c.held for c in chargers}
    plan = dict(helds)
    for charger in chargers:
        if charger.spec.can_switch_phases and charger.spec.max_phases == 3:
            wish = _wish(context, charger, chargers, demands, helds)
            plan[charger.spec.id] = _follow(context, charger.held, wish)
    return plan


def _wish(
    context: Context,
    charger: ChargerState,
    chargers: Sequence[ChargerState],
    demands: Mapping[str, Demand],
    helds: Mapping[str, Held],
) -> int:
    spec, held = charger.spec, charger.held
    power: dict[int, Decimal] = {}
    for phases in (1, 3):
        trial = {**helds, spec.id: replace(held, phases=phases)}
        got = allocate(context, chargers, demands, trial, context.surplus_w)[spec.id]
        current = floor_to(got.current_a, spec.step_a)
        needed = spec.min_a + (context.policy.hysteresis_a if phases > held.phases else 0)
        power[phases] = phases * current if current >= needed else Decimal(0)
    best = max(power, key=lambda n: (power[n], n == held.phases))
    return best if power[best] > power[held.phases] else held.phases


def _follow(context: Context, held: Held, wish: int) -> Held:
    if wish == held.phases:
        return replace(held, wish_phases=None, wish_since=None)
    now, policy = context.now, context.policy
    since = held.wish_since if held.wish_phases == wish and held.wish_since else now
    settled = (
        (now - since).total_seconds() >= policy.phase_settle_s
        and _at_least(held.phases_changed_at, now, policy.phase_settle_s)
        and _at_least(held.changed_at, now, policy.settle_s)
    )
    if settled:
        return replace(held, phases=wish, phases_changed_at=now, wish_phases=None, wish_since=None)
    return replace(held, wish_phases=wish, wish_since=since)


def _at_least(moment: datetime | None, now: datetime, seconds: float) -> bool:
    return moment is None or (now - moment).total_seconds() >= seconds
