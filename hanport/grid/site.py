"""The site: how the household is connected to the grid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["FUSE_SIZES_A", "Site"]

FUSE_SIZES_A = (16, 20, 25, 32, 40, 50, 63)
"""Elektrilevi's main-fuse steps up to 63 A (its price list charges by these)."""


@dataclass(frozen=True)
class Site:
    """The main fuse per phase (A), the number of phases (1 or 3) and the nominal voltage (V).

    `warn_fraction` is the share of the fuse at which a phase is shown as near its limit.
    """

    fuse_a: Decimal = Decimal(25)
    phases: int = 3
    nominal_v: Decimal = Decimal(230)
    warn_fraction: Decimal = Decimal("0.8")

    def __post_init__(self) -> None:
        if self.phases not in (1, 3):
            raise ValueError("A site has 1 or 3 phases.")
        if self.fuse_a <= 0 or self.nominal_v <= 0:
            raise ValueError("The fuse and the nominal voltage must be positive.")

    @property
    def capacity_w(self) -> Decimal:
        """What the fuse lets through at the nominal voltage: 3 × 25 A × 230 V = 17,250 W."""
        return self.fuse_a * self.nominal_v * self.phases
