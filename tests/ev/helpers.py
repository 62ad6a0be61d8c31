"""Builders shared by the EV tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hanport.ev.model import ChargerSpec, ChargerState, Held, Measurement, Vehicle
from hanport.grid import PhaseLoad

D = Decimal
T0 = datetime(2026, 1, 15, 18, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def measured(currents: Sequence[object], seconds: float = 0, net_w: object = None) -> Measurement:
    loads = tuple(PhaseLoad(i + 1, D(str(c)), D(230), None) for i, c in enumerate(currents))
    net = None if net_w is None else D(str(net_w))
    return Measurement(loads, net, at(seconds))


def charging(
    charger_id: str = "car",
    limit_a: Decimal | int = 16,
    *,
    phases: int = 3,
    vehicle: Vehicle = "charging",
    changed_s: float | None = -600,
    spec: ChargerSpec | None = None,
    **held: object,
) -> ChargerState:
    """A charger whose car has drawn `limit_a` since `changed_s` (long settled by default)."""
    changed = None if changed_s is None else at(changed_s)
    state = Held(
        limit_a=D(limit_a),
        phases=phases,
        changed_at=changed,
        previous_limit_a=D(limit_a),
        **held,  # type: ignore[arg-type]
    )
    return ChargerState(spec or ChargerSpec(charger_id), vehicle, held=state)
