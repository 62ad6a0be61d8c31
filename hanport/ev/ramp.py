"""From the limit in force to a new target: cut at once, raise slowly, with hysteresis.

- A target below the limit in force is taken at once (a target below the car's minimum has
  already become 0: pause).
- A raise waits until `raise_interval_s` have passed since the last raise and until a reading
  has been taken after the car settled from the last change (so the room it is based on is
  measured, not assumed), and then closes `raise_fraction` of the gap (at least
  `hysteresis_a`), never past the target.
- A gap smaller than `hysteresis_a` is left alone; a paused car resumes only when the target
  is at least its minimum plus `hysteresis_a`, and then at no less than its minimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from hanport.ev.model import ChargerSpec, Held
from hanport.ev.policy import Policy

__all__ = ["Step", "floor_to", "ramp"]

Move = Literal["cut", "raise", "hold", "wait"]


@dataclass(frozen=True)
class Step:
    limit_a: Decimal
    move: Move
    wait_s: float = 0.0
    """For `wait`: seconds until a raise is allowed."""


def floor_to(value: Decimal, step: Decimal) -> Decimal:
    """`value` rounded down to a multiple of `step` (never up: a limit must not grow)."""
    if value <= 0:
        return Decimal(0)
    return (value / step).to_integral_value(rounding=ROUND_FLOOR) * step


def ramp(
    held: Held,
    target_a: Decimal,
    spec: ChargerSpec,
    policy: Policy,
    now: datetime,
    measured_at: datetime | None = None,
) -> Step:
    """The next limit on the way from `held.limit_a` to `target_a` (already floored, ≥ min or 0).

    `measured_at` is the receive time of the reading the target was worked out from (None: no
    reading, as in the standby of a charger without a car).
    """
    current = held.limit_a
    if target_a < current:
        return Step(target_a, "cut")
    gap = target_a - current
    if current == 0 and target_a < spec.min_a + policy.hysteresis_a:
        return Step(current, "hold")
    if current > 0 and gap < policy.hysteresis_a:
        return Step(current, "hold")
    wait = _wait_s(held, policy, now, measured_at)
    if wait > 0:
        return Step(current, "wait", wait)
    step = max(policy.hysteresis_a, gap * policy.raise_fraction)
    new = floor_to(min(target_a, current + step), spec.step_a)
    if current == 0:
        new = max(new, spec.min_a)
    return Step(new, "raise")


def _wait_s(held: Held, policy: Policy, now: datetime, measured_at: datetime | None) -> float:
    wait = 0.0
    if held.raised_at is not None:
        wait = policy.raise_interval_s - (now - held.raised_at).total_seconds()
    if held.changed_at is not None and measured_at is not None:
        settled = held.changed_at.timestamp() + policy.settle_s
        if measured_at.timestamp() < settled:
            wait = max(wait, settled - now.timestamp(), 1.0)
    return wait
