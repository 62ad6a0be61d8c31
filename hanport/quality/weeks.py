"""Weekly EN 50160 figures per phase: the shares of complete 10-minute means within the bands.

A week runs from local midnight of its first day (Monday by default, as ISO weeks) to the same
local time seven days later: 1008 windows, 1002 in the spring DST week, 1014 in the autumn one.

Per phase: `complete` windows (≥ 50 readings), `incomplete` ones (reported, left out of the
shares), how many complete means lie within 207–253 V (`within_band`, ≥ 95 % required) and
within 195.5–253 V (`within_wide`, 100 % required), readings at or above the PV trip level, and
the lowest and highest mean. Shares are shown rounded *down* to 0.01 %, so a week that fails is
never shown as 95.00 %; the verdict uses exact counts. A week passes when both shares hold and
its complete windows cover at least `min_coverage_pct` of the week; with less data it is
`insufficient` unless the data seen already fails it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from hanport.quality.settings import QualitySettings
from hanport.quality.windows import WINDOW_S, Method, Window

__all__ = ["PhaseWeek", "Verdict", "WeekFigures", "merge_weeks", "week_bounds", "weekly_figures"]

Verdict = Literal["pass", "fail", "insufficient"]
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class PhaseWeek:
    phase: int
    complete: int = 0
    incomplete: int = 0
    within_band: int = 0
    within_wide: int = 0
    at_trip: int = 0
    """Readings at or above the PV trip level (× the push interval = time)."""
    min_mean_v: Decimal | None = None
    max_mean_v: Decimal | None = None

    @property
    def band_pct(self) -> Decimal | None:
        return _share(self.within_band, self.complete)

    @property
    def wide_pct(self) -> Decimal | None:
        return _share(self.within_wide, self.complete)

    def __add__(self, other: PhaseWeek) -> PhaseWeek:
        return PhaseWeek(
            self.phase,
            self.complete + other.complete,
            self.incomplete + other.incomplete,
            self.within_band + other.within_band,
            self.within_wide + other.within_wide,
            self.at_trip + other.at_trip,
            _pick(min, self.min_mean_v, other.min_mean_v),
            _pick(max, self.max_mean_v, other.max_mean_v),
        )


@dataclass(frozen=True, slots=True)
class WeekFigures:
    start: datetime
    """UTC time of the week's first local midnight."""
    end: datetime
    phases: tuple[PhaseWeek, ...]
    unbalance_windows: int = 0
    """Complete three-phase windows with an unbalance figure …"""
    unbalance_within: int = 0
    """… and those at or under the threshold."""
    unbalance_max_pct: Decimal | None = None

    @property
    def expected(self) -> int:
        """10-minute windows in this week (1008; 1002 or 1014 in a DST week)."""
        return round((self.end - self.start).total_seconds()) // WINDOW_S

    @property
    def unbalance_share_pct(self) -> Decimal | None:
        """Share of the windows with an unbalance figure that are at or under the threshold."""
        return _share(self.unbalance_within, self.unbalance_windows)

    def coverage_pct(self, phase: int) -> Decimal:
        share = _share(self.phases[phase - 1].complete, self.expected)
        return share if share is not None else Decimal(0)

    def verdict(self, phase: int, settings: QualitySettings) -> Verdict:
        figures = self.phases[phase - 1]
        if figures.within_wide < figures.complete or (
            figures.within_band * 100 < figures.complete * 95
        ):
            return "fail"
        if figures.complete * 100 < self.expected * settings.min_coverage_pct:
            return "insufficient"
        return "pass"

    def __add__(self, other: WeekFigures) -> WeekFigures:
        if other.start != self.start:
            raise ValueError("Only figures of the same week add up.")
        return replace(
            self,
            phases=tuple(a + b for a, b in zip(self.phases, other.phases, strict=True)),
            unbalance_windows=self.unbalance_windows + other.unbalance_windows,
            unbalance_within=self.unbalance_within + other.unbalance_within,
            unbalance_max_pct=_pick(max, self.unbalance_max_pct, other.unbalance_max_pct),
        )


def week_bounds(
    moment: datetime, zone: tzinfo, first_weekday: int = 0
) -> tuple[datetime, datetime]:
    """The UTC start and end of the local week that holds `moment`."""
    return _bounds(moment.astimezone(zone).date(), zone, first_weekday)


def weekly_figures(windows: Iterable[Window], method: Method) -> tuple[WeekFigures, ...]:
    """The figures of every week that `windows` touch, in order."""
    return merge_weeks((), windows, method)


def merge_weeks(
    weeks: Sequence[WeekFigures], windows: Iterable[Window], method: Method
) -> tuple[WeekFigures, ...]:
    """`weeks` (e.g. as stored) with the new `windows` added: the incremental update."""
    by_start = {week.start: week for week in weeks}
    bounds: dict[date, tuple[datetime, datetime]] = {}
    tallies: dict[datetime, _Week] = {}
    zone, first = method.zone, method.settings.week_start
    for window in windows:
        day = window.start.astimezone(zone).date()
        span = bounds.get(day)
        if span is None:
            span = bounds[day] = _bounds(day, zone, first)
        tally = tallies.get(span[0])
        if tally is None:
            tally = tallies[span[0]] = _Week(span, [_Phase() for _ in window.phases])
        tally.add(window, method)
    for start, tally in tallies.items():
        added = tally.figures()
        before = by_start.get(start)
        by_start[start] = added if before is None else before + added
    return tuple(by_start[start] for start in sorted(by_start))


@dataclass
class _Phase:
    complete: int = 0
    incomplete: int = 0
    within_band: int = 0
    within_wide: int = 0
    at_trip: int = 0
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass
class _Week:
    span: tuple[datetime, datetime]
    phases: list[_Phase]
    unbalance_windows: int = 0
    unbalance_within: int = 0
    unbalance_max: Decimal | None = None

    def add(self, window: Window, method: Method) -> None:
        settings = method.settings
        for tally, phase in zip(self.phases, window.phases, strict=False):
            if not phase.complete:
                tally.incomplete += 1
                continue
            tally.complete += 1
            inside = not phase.above(settings.band_high_v)
            tally.within_band += inside and not phase.below(settings.band_low_v)
            tally.within_wide += inside and not phase.below(settings.wide_low_v)
            tally.at_trip += phase.at_trip
            mean = phase.mean_v
            tally.low = _pick(min, tally.low, mean)
            tally.high = _pick(max, tally.high, mean)
        figure = window.unbalance_pct() if method.phases == 3 else None
        if figure is not None:
            self.unbalance_windows += 1
            self.unbalance_within += figure <= settings.unbalance_pct
            self.unbalance_max = _pick(max, self.unbalance_max, figure.quantize(_CENT))

    def figures(self) -> WeekFigures:
        phases = tuple(
            PhaseWeek(
                n, t.complete, t.incomplete, t.within_band, t.within_wide, t.at_trip, t.low, t.high
            )
            for n, t in enumerate(self.phases, 1)
        )
        return WeekFigures(
            *self.span, phases, self.unbalance_windows, self.unbalance_within, self.unbalance_max
        )


def _bounds(day: date, zone: tzinfo, first_weekday: int) -> tuple[datetime, datetime]:
    first = day - timedelta(days=(day.weekday() - first_weekday) % 7)
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    following = first + timedelta(days=7)
    end = datetime(following.year, following.month, following.day, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(_CENT, ROUND_FLOOR)


def _pick(
    choose: Callable[[Decimal, Decimal], Decimal], a: Decimal | None, b: Decimal | None
) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return choose(a, b)
