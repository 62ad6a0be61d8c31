"""Shares of the room among the chargers that have a car, with the minimum rule.

`allocate` shares fairly (`hanport.ev.sharing`); while some share is below its charger's
minimum, the charger with the lowest priority among those is left out and the others share
again, so that the cars that charge get at least their minimum.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hanport.ev.demand import Demand
from hanport.ev.model import ChargerState, Held
from hanport.ev.policy import Mode, Policy, Surplus
from hanport.ev.room import Room
from hanport.ev.sharing import Claim, Share, share
from hanport.grid import Site

__all__ = ["Context", "allocate"]


@dataclass(frozen=True)
class Context:
    site: Site
    policy: Policy
    mode: Mode
    room: Room
    now: datetime
    measured_at: datetime
    """Receive time of the reading the room was worked out from."""

    @property
    def rooms(self) -> dict[int, Decimal]:
        """The room per phase, a phase without a measured current counting as none."""
        return {p: Decimal(0) if r is None else r for p, r in self.room.room_a.items()}

    @property
    def surplus_w(self) -> Decimal | None:
        """What the cars may use in surplus mode: the export plus what they draw now."""
        if not isinstance(self.mode, Surplus):
            return None
        net = self.room.net_w
        if net is None:
            return Decimal(0)
        return self.mode.import_w + self.room.cars_w - net


def allocate(
    context: Context,
    chargers: Sequence[ChargerState],
    demands: Mapping[str, Demand],
    helds: Mapping[str, Held],
    power_w: Decimal | None,
) -> dict[str, Share]:
    """Fair shares; while some share is below its charger's minimum, the lowest-priority such
    charger is left out (its share is what it would have had) and the others share again."""
    live = [c for c in chargers if demands[c.spec.id].cap_a > 0]
    result = {c.spec.id: Share(Decimal(0), "cap") for c in chargers if c not in live}
    while live:
        claims = [_claim(c, demands[c.spec.id], helds[c.spec.id]) for c in live]
        shares = share(claims, context.rooms, power_w, context.site.nominal_v)
        short = [c for c in live if shares[c.spec.id].current_a < c.spec.min_a]
        if not short or len(short) == len(live) == 1:
            return result | shares
        last = max(short, key=lambda c: (c.spec.priority, c.spec.id))
        result[last.spec.id] = shares[last.spec.id]
        live.remove(last)
    return result


def _claim(charger: ChargerState, wanted: Demand, held: Held) -> Claim:
    return Claim(charger.spec.id, charger.spec.site_phases(held.phases), wanted.cap_a)
