"""The control law: one meter reading and the chargers in, a limit per charger out. Pure.

For every charger that has a car wanting to charge, the mode says how much it wants
(`demand`); the room on each phase (`room_of`: fuse − margin − the house without the cars) is
shared fairly (`sharing`); a share below the charger's minimum pauses it (when several cannot
all have their minimum, the one with the lowest priority pauses first); surplus mode adds its
delays; switchable chargers move between one and three phases when that gives the car more
power and the wish has held for a while (`phase_switch`); and the new limit is reached by
cutting at once and raising slowly (`ramp`). A charger without a car keeps its minimum ready if
there is room left for it, else 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from hanport.ev.allocation import Context, allocate
from hanport.ev.demand import Demand, demand, surplus_target
from hanport.ev.model import ChargerState, Decision, Held, Measurement, Reason
from hanport.ev.phase_switch import planned_phases
from hanport.ev.policy import Mode, Policy
from hanport.ev.ramp import floor_to, ramp
from hanport.ev.room import room_of
from hanport.ev.sharing import Share
from hanport.grid import Site

__all__ = ["decide"]


def decide(
    site: Site,
    policy: Policy,
    mode: Mode,
    measurement: Measurement,
    chargers: Sequence[ChargerState],
    now: datetime,
) -> tuple[Decision, ...]:
    """One step of the law for all chargers (see the module docstring)."""
    room = room_of(site, policy, measurement, chargers)
    context = Context(site, policy, mode, room, now, measurement.received_at)
    wanting = [c for c in chargers if c.wants_charge]
    demands = {c.spec.id: demand(mode, c.spec, now) for c in wanting}
    helds = planned_phases(context, wanting, demands)
    surplus = context.surplus_w
    shares = allocate(context, wanting, demands, helds, surplus)
    fuse = shares if surplus is None else allocate(context, wanting, demands, helds, None)
    decisions = [
        _charging(context, c, demands[c.spec.id], helds[c.spec.id], shares, fuse) for c in wanting
    ]
    used = _used_a(wanting, helds, decisions)
    decisions += [_standby(context, c, used) for c in chargers if not c.wants_charge]
    order = {c.spec.id: i for i, c in enumerate(chargers)}
    return tuple(sorted(decisions, key=lambda d: order[d.charger_id]))


def _charging(
    context: Context,
    charger: ChargerState,
    wanted: Demand,
    held: Held,
    shares: Mapping[str, Share],
    fuse: Mapping[str, Share],
) -> Decision:
    spec = charger.spec
    got = shares[spec.id]
    target = floor_to(got.current_a, spec.step_a)
    reason = _bound_reason(context, spec.id, got, wanted, held, shares)
    surplus = context.surplus_w
    if surplus is not None and got.bound != "phase":
        room = floor_to(fuse[spec.id].current_a, spec.step_a)
        target, reason, held = surplus_target(
            held, target, room, spec, context.policy, context.now, surplus
        )
    if target < spec.min_a:
        if got.bound == "phase":
            reason = _no_room(context, got, spec.min_a)
        target = Decimal(0)
    return _finish(context, charger, held, target, reason)


def _bound_reason(
    context: Context,
    key: str,
    got: Share,
    wanted: Demand,
    held: Held,
    shares: Mapping[str, Share],
) -> Reason:
    if got.bound == "cap":
        return wanted.reason
    if got.bound == "power":
        return Reason("surplus", {"surplus_w": (context.surplus_w or Decimal(0)).quantize(1)})
    phase = got.phase
    assert phase is not None
    if context.room.room_a.get(phase) is None:
        return Reason("phase_unmeasured", {"phase": phase})
    others = sum(1 for k, s in shares.items() if k != key and s.current_a > 0 and s.phase == phase)
    if others:
        return Reason("shared", {"phase": phase, "chargers": others + 1})
    return _phase_reason(context, phase)


def _phase_reason(context: Context, phase: int) -> Reason:
    return Reason(
        "phase_limit",
        {
            "phase": phase,
            "current_a": (context.room.current_a[phase] or Decimal(0)).quantize(Decimal("0.1")),
            "base_a": (context.room.house_a[phase] or Decimal(0)).quantize(Decimal("0.1")),
            "fuse_a": context.site.fuse_a,
            "margin_a": context.policy.margin_a,
        },
    )


def _no_room(context: Context, got: Share, min_a: Decimal) -> Reason:
    phase = got.phase or 1
    if context.room.room_a.get(phase) is None:
        return Reason("phase_unmeasured", {"phase": phase})
    room = max(got.current_a, Decimal(0)).quantize(Decimal("0.1"))
    return Reason("no_room", {"phase": phase, "room_a": room, "min_a": min_a})


def _finish(
    context: Context, charger: ChargerState, held: Held, target: Decimal, reason: Reason
) -> Decision:
    spec, old = charger.spec, charger.held
    switched = held.phases != old.phases
    start = replace(held, limit_a=Decimal(0), changed_at=None, raised_at=None) if switched else held
    step = ramp(start, target, spec, context.policy, context.now, context.measured_at)
    if switched:
        reason = Reason("phase_switch", {"phases": held.phases, "target_a": target})
    elif step.move == "wait" or (step.move == "raise" and step.limit_a < target):
        wait = round(step.wait_s) if step.move == "wait" else int(context.policy.raise_interval_s)
        reason = Reason("raising", {"target_a": target, "next_s": wait})
    elif step.move == "hold" and step.limit_a == 0 and target > 0:
        resume = spec.min_a + context.policy.hysteresis_a
        reason = Reason("resume_wait", {"room_a": target, "resume_a": resume})
    changed = step.limit_a != old.limit_a or switched
    new = replace(
        held,
        limit_a=step.limit_a,
        changed_at=context.now if changed else old.changed_at,
        raised_at=context.now if step.move == "raise" else old.raised_at,
        previous_limit_a=old.limit_a if changed else old.previous_limit_a,
        reason=reason,
    )
    return Decision(spec.id, step.limit_a, held.phases, reason, new, changed)


def _used_a(
    chargers: Sequence[ChargerState], helds: Mapping[str, Held], decisions: Sequence[Decision]
) -> dict[int, Decimal]:
    """Per site phase, the current the decided limits allow the charging cars."""
    used = dict.fromkeys((1, 2, 3), Decimal(0))
    limits = {d.charger_id: d.limit_a for d in decisions}
    for charger in chargers:
        for phase in charger.spec.site_phases(helds[charger.spec.id].phases):
            used[phase] += limits[charger.spec.id]
    return used


def _standby(context: Context, charger: ChargerState, used: Mapping[int, Decimal]) -> Decision:
    """A charger without a car keeps its minimum ready when the room left allows it."""
    spec = charger.spec
    phases = spec.site_phases(charger.held.phases)
    left = min(context.rooms.get(p, Decimal(0)) - used[p] for p in phases)
    target = spec.min_a if left >= spec.min_a else Decimal(0)
    reason = Reason("no_vehicle", {"ready_a": target})
    return _finish(context, charger, charger.held, target, reason)
