"""How the law behaves (`Policy`) and what it is asked to do (the modes).

Modes: `Guard` charges as fast as the fuse allows; `Surplus` charges from exported power only;
`Cheapest` charges in given time slots (cheap hours before a departure, or plain windows);
`Fixed` asks for one current. The fuse guard applies in every mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

__all__ = ["Cheapest", "Fixed", "Guard", "Mode", "Policy", "Slot", "Surplus"]


@dataclass(frozen=True)
class Policy:
    """The law's constants. Defaults follow §4 of the reference and what evcc and SmartEVSE do.

    - `margin_a`: kept free below the fuse on every phase.
    - `raise_interval_s`, `raise_fraction`: a raise comes at most every 30 s and closes this
      share of the gap to the target (cuts come at once).
    - `hysteresis_a`: a raise smaller than this is not worth a command; a paused car resumes
      only with this much above its minimum.
    - `settle_s`: how long a car takes to follow a new limit (IEC 61851 asks for 5 s).
    - `phase_settle_s`: a phase switch waits until the wish has held, and the last switch is,
      this long ago (evcc's phaseSwitchDuration).
    - `enable_delay_s`, `disable_delay_s`: surplus mode starts after the surplus has been
      enough for 1 min and pauses after it has been too little for 3 min (evcc's defaults).
    - `measured_max_age_s`: a charger's own current is used only when measured this close to
      the meter reading.
    """

    margin_a: Decimal = Decimal(1)
    raise_interval_s: float = 30.0
    raise_fraction: Decimal = Decimal("0.5")
    hysteresis_a: Decimal = Decimal(1)
    settle_s: float = 10.0
    phase_settle_s: float = 60.0
    enable_delay_s: float = 60.0
    disable_delay_s: float = 180.0
    measured_max_age_s: float = 15.0

    def __post_init__(self) -> None:
        if not Decimal(0) < self.raise_fraction <= Decimal(1):
            raise ValueError("The raise fraction must be above 0 and at most 1.")
        if self.margin_a < 0 or self.hysteresis_a <= 0:
            raise ValueError("The margin must not be negative and the hysteresis must be positive.")


@dataclass(frozen=True)
class Guard:
    """Charge as fast as the fuse (and each charger's maximum) allows."""


@dataclass(frozen=True)
class Surplus:
    """Charge only from exported power; `import_w` of import is tolerated (0: none)."""

    import_w: Decimal = Decimal(0)


@dataclass(frozen=True)
class Slot:
    """A stretch of time `[start, end)` in which charging is allowed."""

    start: datetime
    end: datetime

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Cheapest:
    """Charge in the given slots (the cheapest hours before `departure`, or plain windows)."""

    slots: tuple[Slot, ...]
    departure: datetime | None = None


@dataclass(frozen=True)
class Fixed:
    """Charge at one current (still within the fuse and the charger's maximum)."""

    current_a: Decimal


Mode = Guard | Surplus | Cheapest | Fixed
