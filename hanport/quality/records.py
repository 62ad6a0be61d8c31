"""The quality figures kept in the database, as the Store's records (kinds `quality_*`).

    quality_window   per 10-min window: per phase [count, sum, min, max (V), complete, at trip]
                     as JSON text (Decimals as their text)
    quality_event    one per event (key: kind and phases); an ongoing one is replaced as it grows
    quality_week     one per week: the weekly figures per phase and the week's unbalance counts
    quality_state    one per meter: what the next sealed hour continues from (JSON text)

Pure conversions between the figures and `Record`s, plus the reads and writes of one meter's
records through a `RecordStore`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from hanport.quality.analysis import QualityState, Update
from hanport.quality.events import Event, EventKind
from hanport.quality.storage import state_from_json, state_json, window_from_row, window_row
from hanport.quality.weeks import PhaseWeek, WeekFigures
from hanport.quality.windows import Window
from hanport.store import Record, RecordStore

__all__ = [
    "EVENT",
    "STATE",
    "WEEK",
    "WINDOW_KIND",
    "event_of",
    "event_record",
    "load_events",
    "load_state",
    "load_weeks",
    "load_windows",
    "save_update",
    "week_of",
    "week_record",
    "window_of",
    "window_record",
]

WINDOW_KIND, EVENT, WEEK, STATE = "quality_window", "quality_event", "quality_week", "quality_state"
_STATE_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_ALL = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))


def window_record(meter: str, window: Window) -> Record:
    """The phases as one JSON text (`storage.window_row`): exact, and written at C speed."""
    return Record(WINDOW_KIND, meter, window.start, "", {"phases": window_row(window)[1]})


def window_of(record: Record) -> Window:
    window = window_from_row(0, str(record.data["phases"]))
    return Window(record.time, window.phases)


def event_record(meter: str, event: Event) -> Record:
    key = f"{event.kind}:{' '.join(map(str, event.phases))}"
    data: dict[str, object] = {
        "kind": event.kind,
        "phases": list(event.phases),
        "end": event.end,
        "min_v": event.min_v,
        "max_v": event.max_v,
        "count": event.count,
        "mean_v": event.mean_v,
        "unbalance_pct": event.unbalance_pct,
        "current_a": event.current_a,
        "ongoing": event.ongoing,
    }
    return Record(EVENT, meter, event.start, key, data)


def event_of(record: Record) -> Event:
    data = record.data
    return Event(
        kind=cast(EventKind, data["kind"]),
        phases=tuple(cast("list[int]", data["phases"])),
        start=record.time,
        end=cast(datetime, data["end"]),
        min_v=cast("Decimal | None", data["min_v"]),
        max_v=cast("Decimal | None", data["max_v"]),
        count=cast(int, data["count"]),
        mean_v=cast("Decimal | None", data["mean_v"]),
        unbalance_pct=cast("Decimal | None", data["unbalance_pct"]),
        current_a=cast("Decimal | None", data["current_a"]),
        ongoing=bool(data["ongoing"]),
    )


def week_record(meter: str, week: WeekFigures) -> Record:
    phases = [
        [p.phase, p.complete, p.incomplete, p.within_band, p.within_wide, p.at_trip,
         p.min_mean_v, p.max_mean_v]
        for p in week.phases
    ]  # fmt: skip
    data: dict[str, object] = {
        "end": week.end,
        "phases": phases,
        "unbalance": [week.unbalance_windows, week.unbalance_within, week.unbalance_max_pct],
    }
    return Record(WEEK, meter, week.start, "", data)


def week_of(record: Record) -> WeekFigures:
    data = record.data
    rows = cast("list[list[Any]]", data["phases"])
    windows, within, peak = cast("list[Any]", data["unbalance"])
    return WeekFigures(
        record.time,
        cast(datetime, data["end"]),
        tuple(PhaseWeek(*row) for row in rows),
        int(windows),
        int(within),
        peak,
    )


def load_state(store: RecordStore, meter: str) -> QualityState | None:
    found = store.records(STATE, _STATE_TIME, _STATE_TIME + _ONE_US, meter)
    return state_from_json(str(found[0].data["json"])) if found else None


def load_windows(store: RecordStore, meter: str, start: datetime, end: datetime) -> list[Window]:
    return [window_of(r) for r in store.records(WINDOW_KIND, start, end, meter)]


def load_events(store: RecordStore, meter: str, start: datetime, end: datetime) -> list[Event]:
    """The events that overlap [start, end): any that starts before `end` and ends after `start`
    (an event is searched for from a week before `start`: longer ones are rare and kept whole
    by their start time within the range asked for)."""
    from datetime import timedelta

    found = store.records(EVENT, start - timedelta(days=7), end, meter)
    events = [event_of(r) for r in found]
    return [e for e in events if e.end > start or (e.ongoing and e.start < end)]


def load_weeks(
    store: RecordStore, meter: str, start: datetime | None = None, end: datetime | None = None
) -> list[WeekFigures]:
    low, high = start or _ALL[0], end or _ALL[1]
    return [week_of(r) for r in store.records(WEEK, low, high, meter)]


def save_update(
    store: RecordStore, meter: str, update: Update, weeks: Iterable[WeekFigures]
) -> None:
    """The windows and events `update` closed, its ongoing events, the weeks it touched and its
    state; the state last, so a stop in between only means the hour is taken in again."""
    windows = [window_record(meter, w) for w in update.windows]
    events = [event_record(meter, e) for e in (*update.events, *update.state.open_events)]
    if windows:
        store.put_records(WINDOW_KIND, windows)
    if events:
        store.put_records(EVENT, events)
    touched = [week_record(meter, w) for w in weeks]
    if touched:
        store.put_records(WEEK, touched)
    store.put_records(STATE, [_state_record(meter, update.state)])


def _state_record(meter: str, state: QualityState) -> Record:
    return Record(STATE, meter, _STATE_TIME, "", {"json": state_json(state)})


_ONE_US = datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=UTC) - _STATE_TIME
