"""The figures kept up to date in the database: the stored readings of each sealed hour in, the
10-minute windows, events, weekly figures and the carried state out (records, `quality_*`).

    update = catch_up(store, meter, method, until)   # every whole hour before `until`

Where the state says it stopped, it goes on; with no state it starts at the meter's first
stored reading. It reads only the voltage and current columns of each hour block (never whole
`Reading`s) and writes one transaction per kind and week of data. Synchronous: the sink calls it
in a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from hanport.quality.analysis import QualityState, Update, advance
from hanport.quality.events import Event
from hanport.quality.records import load_state, load_weeks, save_update
from hanport.quality.weeks import WeekFigures, weekly_figures
from hanport.quality.windows import Method, Sample, Window
from hanport.store import RecordStore, Store, read_columns

__all__ = ["COLUMNS", "VOLTAGES", "Progress", "advance_stored", "catch_up", "hour_floor"]

VOLTAGES = ("voltage_l1_v", "voltage_l2_v", "voltage_l3_v")
COLUMNS = (*VOLTAGES, "current_l1_a", "current_l2_a", "current_l3_a")
"""The currents are read only for the stretches with a phase loss (its current tells a supply
that is gone, 0 A, from a measurement that is)."""
_CHUNK = timedelta(days=7)


@dataclass(frozen=True)
class Progress:
    """What one `catch_up` did: the windows and events it closed, and where it stands."""

    windows: tuple[Window, ...]
    events: tuple[Event, ...]
    state: QualityState
    weeks: tuple[WeekFigures, ...]
    """The weeks it touched, as stored now."""


def hour_floor(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def catch_up(store: Store, meter: str, method: Method, until: datetime) -> Progress:
    """Take in every stored reading of `meter` before `until` (rounded down to the hour) not
    taken in yet; store what that closed. `store` must also be a `RecordStore`."""
    records = cast(RecordStore, store)
    state = load_state(records, meter) or QualityState()
    end = hour_floor(until)
    start = _resume(store, meter, state)
    windows: list[Window] = []
    events: list[Event] = []
    weeks: dict[datetime, WeekFigures] = {}
    while start is not None and start < end:
        stop = min(start + _CHUNK, end)
        update = advance_stored(store, meter, state, (start, stop), stop, method)
        touched = _merged(records, meter, update, method)
        save_update(records, meter, update, touched)
        windows += update.windows
        events += update.events
        weeks.update((w.start, w) for w in touched)
        state, start = update.state, stop
    return Progress(tuple(windows), tuple(events), state, tuple(weeks[k] for k in sorted(weeks)))


def advance_stored(
    store: Store,
    meter: str,
    state: QualityState,
    span: tuple[datetime, datetime],
    until: datetime,
    method: Method,
) -> Update:
    """`advance` over the stored readings of `span`: the voltage columns only, unless a phase
    loss shows up (then again with the currents, from the same state: `advance` is pure)."""
    rows = cast(list[Sample], list(read_columns(store, meter, *span, VOLTAGES)))
    update = advance(state, rows, until, method)
    if any(e.kind == "phase_loss" for e in (*update.events, *update.state.open_events)):
        rows = cast(list[Sample], list(read_columns(store, meter, *span, COLUMNS)))
        update = advance(state, rows, until, method)
    return update


def _resume(store: Store, meter: str, state: QualityState) -> datetime | None:
    """The hour to read from: the one after the last reading taken in, or the first stored."""
    if state.seen_ts is not None:
        return hour_floor(datetime.fromtimestamp(state.seen_ts, UTC))
    first = next((m.first for m in store.meters() if m.id == meter), None)
    return None if first is None else hour_floor(first)


def _merged(records: RecordStore, meter: str, update: Update, method: Method) -> list[WeekFigures]:
    """The stored weeks that `update`'s windows fall in, with those windows added."""
    added: Sequence[WeekFigures] = weekly_figures(update.windows, method)
    if not added:
        return []
    stored = {
        w.start: w
        for w in load_weeks(records, meter, added[0].start, added[-1].start + timedelta(seconds=1))
    }
    return [w if w.start not in stored else stored[w.start] + w for w in added]
