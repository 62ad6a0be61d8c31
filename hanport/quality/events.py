"""Events: stretches of time in which the voltage did something a person should know about.

From the 10-minute means (the measure EN 50160 judges):

- `overvoltage` / `undervoltage`: consecutive complete windows whose mean is above the band's
  top (253 V) or below its bottom (207 V), per phase. `mean_v` is the mean furthest out; an
  undervoltage whose `mean_v` is below 195.5 V also broke the 100 % limit.
- `unbalance`: consecutive complete three-phase windows where max |Vi − Vavg| / Vavg of the
  three means exceeds the threshold (2 %); `unbalance_pct` is the peak. EN 50160's 2 % is for
  negative-sequence unbalance, which needs phase angles the meter does not send: this
  magnitude-only figure is an approximation (it reads lower than the true figure).

From the 10-s readings themselves (a reading stands for the `interval_s` after it; readings at
most three pushes apart join one event):

- `phase_loss`: one phase below `phase_loss_v` (≈ 0 V) or missing while another phase is
  present; `current_a` is the largest current on it, when the readings carry currents (0 A
  confirms that the supply, not the measurement, is gone).
- `broken_neutral`: one phase at or above `neutral_high_v` (260 V) while another is at or below
  `neutral_low_v` (200 V) in the same reading: the loads' star point has moved. `max_v` is the
  highest high phase, `min_v` the lowest low phase, `phases` all the phases involved.
- `pv_trip`: a phase at or above `pv_trip_v` (253 V), where PV inverters disconnect.

Incomplete windows neither start nor extend window events (they end them); the reading events
see every reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal, cast

from hanport.quality.windows import Method, PhaseWindow, Sample, Window

__all__ = [
    "EVENT_KINDS",
    "Event",
    "EventKind",
    "OpenEvents",
    "close_stale",
    "lost_phases",
    "neutral_signature",
    "reading_events",
    "window_events",
]

EventKind = Literal[
    "overvoltage", "undervoltage", "unbalance", "phase_loss", "broken_neutral", "pv_trip"
]
EVENT_KINDS: tuple[EventKind, ...] = (
    "overvoltage",
    "undervoltage",
    "unbalance",
    "phase_loss",
    "broken_neutral",
    "pv_trip",
)
WINDOW_KINDS = frozenset({"overvoltage", "undervoltage", "unbalance"})
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    phases: tuple[int, ...]
    """1–3; every phase for unbalance."""
    start: datetime
    end: datetime
    min_v: Decimal | None
    max_v: Decimal | None
    count: int
    """10-minute windows (window events) or readings (reading events) in the event."""
    mean_v: Decimal | None = None
    unbalance_pct: Decimal | None = None
    current_a: Decimal | None = None
    ongoing: bool = False
    """Still open where the data ends (its `end` is that of the data seen so far)."""

    @property
    def duration_s(self) -> int:
        return round((self.end - self.start).total_seconds())

    @property
    def key(self) -> tuple[str, int]:
        return (
            self.kind,
            self.phases[0]
            if self.kind in ("overvoltage", "undervoltage", "phase_loss", "pv_trip")
            else 0,
        )


OpenEvents = dict[tuple[str, int], Event]


def _low(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else min(a, b)


def _high(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else max(a, b)


def _close(opened: OpenEvents, key: tuple[str, int], closed: list[Event]) -> None:
    event = opened.pop(key, None)
    if event is not None:
        closed.append(replace(event, ongoing=False))


# ---------------------------------------------------------------- from the 10-minute means


def window_events(window: Window, opened: OpenEvents, method: Method, closed: list[Event]) -> None:
    """Extend, open or close the window events with `window` (windows come in time order)."""
    settings = method.settings
    for number, phase in enumerate(window.phases, 1):
        over = phase.complete and phase.above(settings.band_high_v)
        under = phase.complete and phase.below(settings.band_low_v)
        _window_run(opened, ("overvoltage", number), over, window, phase, closed, worst=max)
        _window_run(opened, ("undervoltage", number), under, window, phase, closed, worst=min)
    if method.phases == 3:
        unbalance = window.unbalance_pct()
        key = ("unbalance", 0)
        if unbalance is None or unbalance <= settings.unbalance_pct:
            _close(opened, key, closed)
            return
        peak = unbalance.quantize(_CENT, ROUND_HALF_EVEN)
        low = min((p.min_v for p in window.phases if p.min_v is not None), default=None)
        high = max((p.max_v for p in window.phases if p.max_v is not None), default=None)
        event = opened.get(key)
        if event is not None and event.end == window.start:
            opened[key] = replace(
                event,
                end=window.end,
                min_v=_low(event.min_v, low),
                max_v=_high(event.max_v, high),
                count=event.count + 1,
                unbalance_pct=_high(event.unbalance_pct, peak),
            )
            return
        _close(opened, key, closed)
        phases = tuple(range(1, len(window.phases) + 1))
        opened[key] = Event(
            "unbalance",
            phases,
            window.start,
            window.end,
            low,
            high,
            1,
            unbalance_pct=peak,
            ongoing=True,
        )


def _window_run(
    opened: OpenEvents,
    key: tuple[EventKind, int],
    holds: bool,
    window: Window,
    phase: PhaseWindow,
    closed: list[Event],
    worst: Callable[[Decimal, Decimal], Decimal],
) -> None:
    if not holds:
        _close(opened, key, closed)
        return
    mean = phase.mean_v
    event = opened.get(key)
    if event is not None and event.end == window.start:
        opened[key] = replace(
            event,
            end=window.end,
            min_v=_low(event.min_v, phase.min_v),
            max_v=_high(event.max_v, phase.max_v),
            count=event.count + 1,
            mean_v=mean if event.mean_v is None or mean is None else worst(event.mean_v, mean),
        )
        return
    _close(opened, key, closed)
    opened[key] = Event(
        key[0],
        (key[1],),
        window.start,
        window.end,
        phase.min_v,
        phase.max_v,
        1,
        mean_v=mean,
        ongoing=True,
    )


# ---------------------------------------------------------------- from the readings


def reading_events(
    window: Window,
    rows: Sequence[Sample],
    opened: OpenEvents,
    method: Method,
    closed: list[Event],
) -> None:
    """The reading events of one closed window; only windows whose extremes could hold one are
    read reading by reading, the others just end what was open."""
    settings = method.settings
    step = timedelta(seconds=method.interval_s)
    gap = timedelta(seconds=method.max_gap_s)
    phases = window.phases
    count = len(phases)
    for number, phase in enumerate(phases, 1):
        key: tuple[EventKind, int] = ("pv_trip", number)
        if phase.max_v is None or phase.max_v < settings.pv_trip_v:
            _close(opened, key, closed)
            continue
        for row in rows:
            value = _volts(row, number)
            holds = value is not None and value >= settings.pv_trip_v
            _reading(opened, key, holds, row[0], value, value, None, (number,), closed, step, gap)
    if count > 1:
        _phase_loss(phases, rows, opened, method, closed, step, gap)
        _broken_neutral(phases, rows, opened, method, closed, step, gap)


def _phase_loss(
    phases: tuple[PhaseWindow, ...],
    rows: Sequence[Sample],
    opened: OpenEvents,
    method: Method,
    closed: list[Event],
    step: timedelta,
    gap: timedelta,
) -> None:
    loss = method.settings.phase_loss_v
    count = len(phases)
    for number, phase in enumerate(phases, 1):
        key: tuple[EventKind, int] = ("phase_loss", number)
        if phase.count == len(rows) and phase.min_v is not None and phase.min_v >= loss:
            _close(opened, key, closed)
            continue
        for row in rows:
            value = _volts(row, number)
            holds = number in lost_phases([_volts(row, n) for n in range(1, count + 1)], loss)
            current = _volts(row, 3 + number) if len(row) > 4 else None
            _reading(
                opened, key, holds, row[0], value, value, current, (number,), closed, step, gap
            )


def _broken_neutral(
    phases: tuple[PhaseWindow, ...],
    rows: Sequence[Sample],
    opened: OpenEvents,
    method: Method,
    closed: list[Event],
    step: timedelta,
    gap: timedelta,
) -> None:
    settings = method.settings
    key: tuple[EventKind, int] = ("broken_neutral", 0)
    highest = max((p.max_v for p in phases if p.max_v is not None), default=None)
    lowest = min((p.min_v for p in phases if p.min_v is not None), default=None)
    if (
        highest is None
        or lowest is None
        or highest < settings.neutral_high_v
        or (lowest > settings.neutral_low_v)
    ):
        _close(opened, key, closed)
        return
    count = len(phases)
    for row in rows:
        volts = [_volts(row, n) for n in range(1, count + 1)]
        found = neutral_signature(volts, settings.neutral_high_v, settings.neutral_low_v)
        if found is None:
            _reading(opened, key, False, row[0], None, None, None, (), closed, step, gap)
            continue
        high, low = found
        low_v = min(cast(Decimal, volts[n - 1]) for n in low)
        high_v = max(cast(Decimal, volts[n - 1]) for n in high)
        involved = tuple(sorted({*high, *low}))
        _reading(opened, key, True, row[0], low_v, high_v, None, involved, closed, step, gap)


def _reading(
    opened: OpenEvents,
    key: tuple[EventKind, int],
    holds: bool,
    moment: datetime,
    low: Decimal | None,
    high: Decimal | None,
    current: Decimal | None,
    phases: tuple[int, ...],
    closed: list[Event],
    step: timedelta,
    gap: timedelta,
) -> None:
    event = opened.get(key)
    if not holds:
        if event is not None:
            _close(opened, key, closed)
        return
    if current is not None:
        current = abs(current)
    if event is not None and moment - (event.end - step) <= gap:
        opened[key] = replace(
            event,
            end=moment + step,
            min_v=_low(event.min_v, low),
            max_v=_high(event.max_v, high),
            count=event.count + 1,
            current_a=_high(event.current_a, current),
            phases=tuple(sorted({*event.phases, *phases})),
        )
        return
    _close(opened, key, closed)
    opened[key] = Event(
        key[0], phases, moment, moment + step, low, high, 1, current_a=current, ongoing=True
    )


def lost_phases(volts: Sequence[Decimal | None], loss_v: Decimal) -> tuple[int, ...]:
    """Phases (1-based) below `loss_v` or missing while another phase is present."""
    if not any(v is not None and v >= loss_v for v in volts):
        return ()
    return tuple(n for n, v in enumerate(volts, 1) if v is None or v < loss_v)


def neutral_signature(
    volts: Sequence[Decimal | None], high_v: Decimal, low_v: Decimal
) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """(high phases, low phases) when one phase is ≥ `high_v` while another is ≤ `low_v`."""
    high = tuple(n for n, v in enumerate(volts, 1) if v is not None and v >= high_v)
    low = tuple(n for n, v in enumerate(volts, 1) if v is not None and v <= low_v)
    return (high, low) if high and low else None


def _volts(row: Sample, index: int) -> Decimal | None:
    return cast("Decimal | None", row[index])


def close_stale(
    opened: OpenEvents, until_ts: float, horizon_ts: float, method: Method, closed: list[Event]
) -> None:
    """Close what can no longer continue: window events whose next window has closed without
    data (before `until_ts`), reading events whose next reading (at or after `horizon_ts`, the
    first one not yet read) would be too far away."""
    for key, event in list(opened.items()):
        if event.kind in WINDOW_KINDS:
            if event.end.timestamp() + 600 <= until_ts:
                _close(opened, key, closed)
        elif horizon_ts - (event.end.timestamp() - method.interval_s) > method.max_gap_s:
            _close(opened, key, closed)
