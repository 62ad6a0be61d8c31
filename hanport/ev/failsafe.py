"""The meter watchdog: is the latest reading fresh enough to control by? A pure state machine.

Age is measured on the receive clock (`Reading.received_at` against the controller's `now`,
both from the same clock), never on the meter's own clock, so a replay at any speed and a meter
with a wrong clock behave the same. Before the first reading the data counts as stale. A reading
older than `stale_s` makes the data stale (`went_stale`); the next fresh reading recovers it
(`recovered`; the first reading after the start is no recovery). While stale, every charger
gets at most the fail-safe current.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

__all__ = ["Freshness", "Transition", "observe", "tick"]

Transition = Literal["went_stale", "recovered"]


@dataclass(frozen=True)
class Freshness:
    stale_s: float = 25.0
    last_at: datetime | None = None
    """Receive time of the latest reading."""
    stale: bool = True
    stale_since: datetime | None = None
    ever_fresh: bool = False
    """The first fresh reading after the start is no recovery."""

    def age_s(self, now: datetime) -> float | None:
        return None if self.last_at is None else (now - self.last_at).total_seconds()


def observe(state: Freshness, received_at: datetime, now: datetime) -> Freshness:
    """A reading arrived (received at `received_at`); `tick` then says what changed."""
    if state.last_at is not None and received_at < state.last_at:
        return state  # an older reading arriving late changes nothing
    return replace(state, last_at=received_at)


def tick(state: Freshness, now: datetime) -> tuple[Freshness, Transition | None]:
    """The state at `now`, and the transition that happened, if any."""
    age = state.age_s(now)
    fresh = age is not None and age <= state.stale_s
    if fresh and state.stale:
        recovered: Transition | None = "recovered" if state.ever_fresh else None
        return replace(state, stale=False, stale_since=None, ever_fresh=True), recovered
    if not fresh and not state.stale:
        return replace(state, stale=True, stale_since=now), "went_stale"
    if not fresh and state.stale_since is None:
        return replace(state, stale_since=now), None
    return state, None
