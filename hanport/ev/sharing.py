"""Fair shares of the room on each phase among several chargers (max-min fairness).

The rule: every charger gets the same current per phase, raised together from 0, until a
charger reaches what it asks for (its cap) or a limit it is under is used up (the room on one
of its phases, or a power budget); those stop there and the others go on. The result is the
max-min fair allocation: no charger could get more without taking from one that has less.
(SmartEVSE splits equally the same way, respecting each charger's maximum.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Claim", "Share", "share"]

_TIGHT = Decimal("1e-9")


@dataclass(frozen=True)
class Claim:
    """A charger's request: the site phases it draws on and the most it wants per phase."""

    key: str
    phases: tuple[int, ...]
    cap_a: Decimal


@dataclass(frozen=True)
class Share:
    """What a claim got per phase, and what stopped it: `"cap"`, `"phase"` (with the phase) or
    `"power"`."""

    current_a: Decimal
    bound: str
    phase: int | None = None


def share(
    claims: Sequence[Claim],
    room_a: Mapping[int, Decimal],
    power_w: Decimal | None = None,
    volts: Decimal = Decimal(230),
) -> dict[str, Share]:
    """Share `room_a` (A per site phase) and, if given, `power_w` (W in total) among `claims`.

    A claim on a phase without room gets nothing. A claim's power is its current × the number
    of its phases × `volts`.
    """
    done: dict[str, Share] = {}
    active = list(claims)
    level = Decimal(0)
    while active:
        level += max(Decimal(0), _rise(active, done, claims, room_a, power_w, volts, level))
        stops = {
            c.key: _stop(c, active, done, claims, room_a, power_w, volts, level) for c in active
        }
        done.update({key: stop for key, stop in stops.items() if stop is not None})
        active = [c for c in active if c.key not in done]
    return done


def _rise(
    active: Sequence[Claim],
    done: Mapping[str, Share],
    claims: Sequence[Claim],
    room_a: Mapping[int, Decimal],
    power_w: Decimal | None,
    volts: Decimal,
    level: Decimal,
) -> Decimal:
    """How far the common level can rise before the next claim or limit stops it."""
    rises = [c.cap_a - level for c in active]
    for phase in room_a:
        users = sum(1 for c in active if phase in c.phases)
        if users:
            rises.append(_phase_slack(phase, active, done, claims, room_a, level) / users)
    if power_w is not None:
        weight = sum((len(c.phases) * volts for c in active), start=Decimal(0))
        rises.append(_power_slack(active, done, claims, power_w, volts, level) / weight)
    return min(rises)


def _stop(
    claim: Claim,
    active: Sequence[Claim],
    done: Mapping[str, Share],
    claims: Sequence[Claim],
    room_a: Mapping[int, Decimal],
    power_w: Decimal | None,
    volts: Decimal,
    level: Decimal,
) -> Share | None:
    if claim.cap_a - level <= _TIGHT:
        return Share(max(claim.cap_a, Decimal(0)), "cap")
    for phase in claim.phases:
        room = room_a.get(phase)
        if room is not None and _phase_slack(phase, active, done, claims, room_a, level) <= _TIGHT:
            return Share(level, "phase", phase)
    if power_w is not None and _power_slack(active, done, claims, power_w, volts, level) <= _TIGHT:
        return Share(level, "power")
    return None


def _phase_slack(
    phase: int,
    active: Sequence[Claim],
    done: Mapping[str, Share],
    claims: Sequence[Claim],
    room_a: Mapping[int, Decimal],
    level: Decimal,
) -> Decimal:
    fixed = sum(
        (done[c.key].current_a for c in claims if c.key in done and phase in c.phases),
        start=Decimal(0),
    )
    users = sum(1 for c in active if phase in c.phases)
    return room_a[phase] - fixed - level * users


def _power_slack(
    active: Sequence[Claim],
    done: Mapping[str, Share],
    claims: Sequence[Claim],
    power_w: Decimal,
    volts: Decimal,
    level: Decimal,
) -> Decimal:
    fixed = sum(
        (done[c.key].current_a * len(c.phases) * volts for c in claims if c.key in done),
        start=Decimal(0),
    )
    weight = sum((len(c.phases) * volts for c in active), start=Decimal(0))
    return power_w - fixed - level * weight
