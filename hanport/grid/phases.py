"""A reading per phase, with currents signed by the direction of the phase's power."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from hanport.grid.site import Site
from hanport.model import Reading

__all__ = ["PhaseLoad", "headroom_a", "phase_loads", "signed_current_a"]

Number = Decimal | int


@dataclass(frozen=True)
class PhaseLoad:
    """One phase at one moment. `current_a` is signed: positive imports, negative exports."""

    phase: int
    current_a: Decimal | None
    voltage_v: Decimal | None
    power_w: Decimal | None
    """Net active power, import minus export; None when the meter sends no phase powers."""


def signed_current_a(
    current_a: Decimal | None, import_w: Number | None, export_w: Number | None
) -> Decimal | None:
    """HAN meters send current magnitudes; the phase's export power gives the sign (as evcc)."""
    if current_a is None:
        return None
    magnitude = abs(current_a)
    if export_w is not None and export_w > (import_w or 0):
        return -magnitude
    return magnitude


def phase_loads(reading: Reading) -> tuple[PhaseLoad, PhaseLoad, PhaseLoad]:
    """L1, L2 and L3 of `reading`."""
    return (_phase(reading, 1), _phase(reading, 2), _phase(reading, 3))


def _phase(reading: Reading, n: int) -> PhaseLoad:
    values = reading.__dict__
    imported: Number | None = values[f"power_import_l{n}_w"]
    exported: Number | None = values[f"power_export_l{n}_w"]
    net = None
    if imported is not None or exported is not None:
        net = Decimal(imported or 0) - Decimal(exported or 0)
    current = signed_current_a(values[f"current_l{n}_a"], imported, exported)
    return PhaseLoad(n, current, values[f"voltage_l{n}_v"], net)


def headroom_a(
    site: Site,
    loads: Sequence[PhaseLoad],
    margin_a: Decimal = Decimal(1),
    own_a: Sequence[Decimal] = (Decimal(0), Decimal(0), Decimal(0)),
) -> tuple[Decimal | None, ...]:
    """Per phase: fuse − margin − (measured current − the controlled load's own current).

    `own_a` is what a controlled load (an EV charger) draws on each phase now, so that its own
    current is not counted against itself. None for a phase without a current reading.
    """
    return tuple(
        None if load.current_a is None else site.fuse_a - margin_a - (load.current_a - own)
        for load, own in zip(loads[: site.phases], own_a, strict=False)
    )
