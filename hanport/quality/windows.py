"""10-minute windows of per-phase voltage, aligned to the local clock (:00, :10, … :50).

A window holds, per phase, the count, exact sum, minimum and maximum of the readings in it.
Its mean is the exact sum ÷ count; `mean_v` shows it rounded half-even to 0.01 V, but every
comparison with a limit uses the exact sum (`total_v > 253 × count`), so rounding never moves a
mean across a limit. A phase with fewer than `min_samples` readings (50 of the 60 a 10-s meter
sends) is *incomplete*: it is reported, but left out of the weekly percentages, as EN 50160
leaves out flagged intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import cast
from zoneinfo import ZoneInfo

from hanport.grid import Site
from hanport.quality.settings import QualitySettings

__all__ = [
    "WINDOW",
    "WINDOW_S",
    "Method",
    "PhaseWindow",
    "Sample",
    "Window",
    "utc",
    "window_start_ts",
]

WINDOW_S = 600
WINDOW = timedelta(seconds=WINDOW_S)
ZERO = Decimal(0)
EXACT = Context(prec=40)
"""Sums of a window's readings are exact; a mean or an unbalance is divided to 40 digits."""
_CENT = Decimal("0.01")
_UNSET = object()

Volts = Decimal | None
Amps = Decimal | None
Sample = (
    tuple[datetime, Volts, Volts, Volts] | tuple[datetime, Volts, Volts, Volts, Amps, Amps, Amps]
)
"""One reading's time (aware) and its L1–L3 voltages, optionally followed by its L1–L3 currents."""


@dataclass(frozen=True)
class Method:
    """How the figures are computed: the settings, the site's phases, the clock and the meter's
    push interval (each reading stands for the `interval_s` after it)."""

    settings: QualitySettings = field(default_factory=QualitySettings)
    phases: int = 3
    zone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Tallinn"))
    interval_s: int = 10

    @classmethod
    def for_site(
        cls, settings: QualitySettings, site: Site, zone: tzinfo, interval_s: float = 10
    ) -> Method:
        return cls(settings, site.phases, zone, max(1, round(interval_s)))

    @property
    def max_gap_s(self) -> int:
        """Readings further apart than this (three pushes) do not join one event."""
        return 3 * self.interval_s

    @property
    def expected_samples(self) -> int:
        return WINDOW_S // self.interval_s


@dataclass(frozen=True, slots=True)
class PhaseWindow:
    count: int
    total_v: Decimal
    min_v: Decimal | None
    max_v: Decimal | None
    complete: bool
    at_trip: int
    """Readings at or above the PV trip level."""

    @property
    def mean_v(self) -> Decimal | None:
        """The mean rounded half-even to 0.01 V (for showing; limits use the exact mean)."""
        if not self.count:
            return None
        return EXACT.divide(self.total_v, Decimal(self.count)).quantize(_CENT, ROUND_HALF_EVEN)

    @property
    def exact_mean_v(self) -> Decimal | None:
        return EXACT.divide(self.total_v, Decimal(self.count)) if self.count else None

    def above(self, limit: Decimal) -> bool:
        return self.count > 0 and self.total_v > limit * self.count

    def below(self, limit: Decimal) -> bool:
        return self.count > 0 and self.total_v < limit * self.count


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    """In UTC; the window runs to `start` + 10 min."""
    phases: tuple[PhaseWindow, ...]
    """L1, L2, L3 (L1 only on a single-phase site)."""
    _unbalance: object = field(default=_UNSET, init=False, repr=False, compare=False)
    """`unbalance_pct()` once computed (the events and the weekly figures both ask)."""

    @property
    def end(self) -> datetime:
        return self.start + WINDOW

    @property
    def complete(self) -> bool:
        return all(phase.complete for phase in self.phases)

    def unbalance_pct(self) -> Decimal | None:
        """max |Vi − Vavg| / Vavg × 100 over the three means, for complete three-phase windows."""
        if self._unbalance is _UNSET:
            object.__setattr__(self, "_unbalance", self._unbalance_pct())
        return cast("Decimal | None", self._unbalance)

    def _unbalance_pct(self) -> Decimal | None:
        if len(self.phases) != 3 or not self.complete:
            return None
        means = [EXACT.divide(p.total_v, Decimal(p.count)) for p in self.phases]
        average = EXACT.divide(EXACT.add(EXACT.add(means[0], means[1]), means[2]), Decimal(3))
        if average <= 0:
            return None
        deviation = max(abs(EXACT.subtract(mean, average)) for mean in means)
        return EXACT.multiply(EXACT.divide(deviation, average), Decimal(100))


def window_start_ts(ts: float, zone: tzinfo) -> int:
    """The UTC epoch second at which the local 10-minute window holding `ts` starts.

    In the repeated autumn hour the two local 03:00 windows have different UTC starts.
    """
    local = datetime.fromtimestamp(ts, zone)
    offset = local.utcoffset()
    shift = int(offset.total_seconds()) if offset is not None else 0
    return (int(ts // 1) + shift) // WINDOW_S * WINDOW_S - shift


def utc(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
