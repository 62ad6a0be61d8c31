"""Energy per 15-minute slot, the ledger's input (from the rollups or a DSO file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

__all__ = ["SlotEnergy"]


@dataclass(frozen=True, slots=True)
class SlotEnergy:
    """Energy imported and exported in the quarter-hour starting at `start` (UTC), in Wh.

    `gap` marks a slot whose energy is not fully known (a gap in the meter data, a reset
    register, the first slot of a recording); the ledger never prices it, not even as zero.
    """

    start: datetime
    import_wh: int | Decimal
    export_wh: int | Decimal = 0
    gap: bool = False
