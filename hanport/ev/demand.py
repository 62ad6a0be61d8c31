"""What each mode asks for a charger, before the fuse has its say; and the surplus timers.

Guard asks for the charger's maximum; Fixed for its current; Cheapest for the maximum inside a
slot and nothing outside; Surplus for the maximum, with the exported power as a budget that the
sharing applies. Surplus mode pauses and resumes only after delays (`surplus_target`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from hanport.ev.model import ChargerSpec, Held, Param, Reason
from hanport.ev.policy import Cheapest, Fixed, Guard, Mode, Policy, Surplus

__all__ = ["Demand", "demand", "surplus_target"]


@dataclass(frozen=True)
class Demand:
    """The most the mode wants for one charger (A per phase), and why."""

    cap_a: Decimal
    reason: Reason


def demand(mode: Mode, spec: ChargerSpec, now: datetime) -> Demand:
    if isinstance(mode, Guard | Surplus):
        return Demand(spec.max_a, Reason("charger_max", {"max_a": spec.max_a}))
    if isinstance(mode, Fixed):
        current = min(max(mode.current_a, spec.min_a), spec.max_a)
        return Demand(current, Reason("fixed", {"current_a": current}))
    return _cheapest(mode, spec, now)


def _cheapest(mode: Cheapest, spec: ChargerSpec, now: datetime) -> Demand:
    for slot in mode.slots:
        if slot.holds(now):
            return Demand(spec.max_a, Reason("cheap_slot", {"until": slot.end.isoformat()}))
    later = sorted(s.start for s in mode.slots if s.start > now)
    if later:
        return Demand(Decimal(0), Reason("waiting_for_slot", {"start": later[0].isoformat()}))
    if mode.departure is not None:
        return Demand(Decimal(0), Reason("no_slot", {"departure": mode.departure.isoformat()}))
    return Demand(Decimal(0), Reason("no_slot_at_all"))


def surplus_target(
    held: Held,
    surplus_a: Decimal,
    fuse_a: Decimal,
    spec: ChargerSpec,
    policy: Policy,
    now: datetime,
    surplus_w: Decimal,
) -> tuple[Decimal, Reason, Held]:
    """Surplus mode for one charger: `surplus_a` is its share of the surplus, `fuse_a` of the
    fuse's room (both floored). Returns the target, why, and the held timers updated.

    Charging goes on at the minimum while the surplus is short for less than `disable_delay_s`
    (if the fuse allows the minimum); a paused car starts once the surplus has been enough for
    `enable_delay_s`.
    """
    watts: dict[str, Param] = {"surplus_w": surplus_w.quantize(Decimal(1))}
    if surplus_a >= spec.min_a:
        if held.limit_a > 0:
            return min(surplus_a, fuse_a), Reason("surplus", watts), _timers(held, None, None)
        since = held.high_since or now
        waited = (now - since).total_seconds()
        if waited >= policy.enable_delay_s:
            return min(surplus_a, fuse_a), Reason("surplus", watts), _timers(held, None, since)
        left = {**watts, "start_in_s": int(policy.enable_delay_s - waited)}
        return Decimal(0), Reason("surplus_waiting", left), _timers(held, None, since)
    if held.limit_a == 0:
        return Decimal(0), Reason("surplus_paused", watts), _timers(held, None, None)
    since = held.low_since or now
    waited = (now - since).total_seconds()
    if waited < policy.disable_delay_s and fuse_a >= spec.min_a:
        left = {**watts, "pause_in_s": int(policy.disable_delay_s - waited)}
        return spec.min_a, Reason("surplus_low", left), _timers(held, since, None)
    return Decimal(0), Reason("surplus_paused", watts), _timers(held, None, None)


def _timers(held: Held, low: datetime | None, high: datetime | None) -> Held:
    return replace(held, low_since=low, high_since=high)
