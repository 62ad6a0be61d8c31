"""The figures from the stored readings, incrementally as hours are sealed or all at once.

    update = advance(state, samples_of_the_hour, until=hour_end, method=method)
    store(update.windows, update.events); keep update.state for the next hour

`advance` takes the readings (time-ordered `Sample` tuples) of any stretch of time and the
moment `until` before which every reading has been given. It returns the 10-minute windows that
closed, the events that ended, and a small state: the readings of a window still open at
`until`, and the events still open. Results do not depend on how the readings are cut into
calls: `analyse(all)` gives exactly the windows and events that hour-by-hour `advance` calls do
(a property test checks this for random cuts). Readings at or before the last one already taken
in are ignored, so giving an hour twice is harmless.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, localcontext
from itertools import islice
from operator import itemgetter, lt
from typing import cast

from hanport.quality.events import Event, OpenEvents, close_stale, reading_events, window_events
from hanport.quality.weeks import WeekFigures, weekly_figures
from hanport.quality.windows import (
    EXACT,
    WINDOW_S,
    ZERO,
    Method,
    PhaseWindow,
    Sample,
    Window,
    utc,
    window_start_ts,
)

__all__ = ["Analysis", "QualityState", "Update", "advance", "analyse"]


@dataclass(frozen=True)
class QualityState:
    """What one `advance` hands to the next: small (≤ one window of readings, a few events)."""

    seen_ts: float | None = None
    """Epoch time of the last reading taken in."""
    pending: tuple[Sample, ...] = ()
    """The readings of the window still open at the last `until`."""
    open_events: tuple[Event, ...] = ()

    @property
    def ongoing(self) -> tuple[Event, ...]:
        return self.open_events


@dataclass(frozen=True)
class Update:
    windows: tuple[Window, ...]
    """The windows that closed, in time order."""
    events: tuple[Event, ...]
    """The events that ended, ordered by start, kind and phase."""
    state: QualityState


@dataclass(frozen=True)
class Analysis:
    windows: tuple[Window, ...]
    events: tuple[Event, ...]
    """Ended events, then those still open (`ongoing`), each ordered by start."""
    weeks: tuple[WeekFigures, ...]
    state: QualityState = field(default_factory=QualityState)


def advance(
    state: QualityState, samples: Iterable[Sample], until: datetime, method: Method
) -> Update:
    """Take in `samples` (readings before `until` are all there); close what can be closed."""
    until_ts = until.timestamp()
    chunk, stamps = _chunk(state, samples)
    opened: OpenEvents = {event.key: event for event in state.open_events}
    windows: list[Window] = []
    closed: list[Event] = []
    index, size = 0, len(chunk)
    zone = method.zone
    with localcontext(EXACT):
        while index < size:
            start = window_start_ts(stamps[index], zone)
            end = start + WINDOW_S
            if end > until_ts:
                break
            stop = bisect_left(stamps, end, index)
            rows = chunk[index:stop]
            window = _window(start, rows, method)
            windows.append(window)
            window_events(window, opened, method, closed)
            reading_events(window, rows, opened, method, closed)
            index = stop
    horizon = stamps[index] if index < size else until_ts
    close_stale(opened, until_ts, horizon, method, closed)
    closed.sort(key=_order)
    seen = stamps[-1] if stamps else state.seen_ts
    still_open = tuple(sorted(opened.values(), key=_order))
    next_state = QualityState(seen, tuple(chunk[index:]), still_open)
    return Update(tuple(windows), tuple(closed), next_state)


def analyse(samples: Iterable[Sample], until: datetime, method: Method) -> Analysis:
    """Every figure from scratch: windows, events (ended, then ongoing) and weekly figures."""
    update = advance(QualityState(), samples, until, method)
    events = (*update.events, *update.state.open_events)
    weeks = weekly_figures(update.windows, method)
    return Analysis(update.windows, events, weeks, update.state)


def _chunk(state: QualityState, samples: Iterable[Sample]) -> tuple[list[Sample], list[float]]:
    fresh = samples if isinstance(samples, list) else list(samples)
    stamps = list(map(datetime.timestamp, map(itemgetter(0), fresh)))  # C loops: 3 M a year
    if stamps and not all(map(lt, stamps, islice(stamps, 1, None))):
        order = sorted(range(len(fresh)), key=stamps.__getitem__)
        unique: dict[float, Sample] = {stamps[i]: fresh[i] for i in order}  # the last one wins
        stamps = sorted(unique)
        fresh = [unique[moment] for moment in stamps]
    if state.seen_ts is not None and stamps and stamps[0] <= state.seen_ts:
        first = bisect_left(stamps, state.seen_ts)
        if first < len(stamps) and stamps[first] == state.seen_ts:
            first += 1
        fresh, stamps = fresh[first:], stamps[first:]
    if state.pending:
        pending = list(state.pending)
        return pending + fresh, list(map(datetime.timestamp, map(itemgetter(0), pending))) + stamps
    return fresh, stamps


def _window(start: int, rows: Sequence[Sample], method: Method) -> Window:
    columns = list(zip(*rows, strict=False))
    return Window(
        utc(start), tuple(_phase(columns[n], method) for n in range(1, method.phases + 1))
    )


def _phase(values: Sequence[Decimal | None], method: Method) -> PhaseWindow:
    settings = method.settings
    try:  # the usual case, no reading without this phase: C loops only
        present = cast("Sequence[Decimal]", values)
        total, low, high = sum(present, ZERO), min(present), max(present)
    except TypeError:
        present = [value for value in values if value is not None]
        if not present:
            return PhaseWindow(0, ZERO, None, None, False, 0)
        total, low, high = sum(present, ZERO), min(present), max(present)
    trip = settings.pv_trip_v
    at_trip = 0 if high < trip else sum(1 for value in present if value >= trip)
    count = len(present)
    return PhaseWindow(count, total, low, high, count >= settings.min_samples, at_trip)


def _order(event: Event) -> tuple[datetime, str, tuple[int, ...]]:
    return (event.start, event.kind, event.phases)
