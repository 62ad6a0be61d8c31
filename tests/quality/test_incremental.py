"""From scratch and hour by hour (or cut anywhere) give identical figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hanport.quality import (
    Event,
    Method,
    Sample,
    WeekFigures,
    Window,
    advance,
    analyse,
    merge_weeks,
)
from hanport.quality.analysis import QualityState
from hanport.quality.scenarios import TALLINN, voltage_week

T0 = datetime(2026, 3, 28, 21, 0, tzinfo=UTC)  # the night of the spring DST change
LEVELS = [None, Decimal(0), Decimal("5.5"), Decimal(190), Decimal(199), Decimal("230.4"),
          Decimal(231), Decimal("253.5"), Decimal(262)]  # fmt: skip
segment = st.tuples(
    st.integers(1, 90),  # readings
    st.integers(0, 4),  # missing readings after it
    st.tuples(*(st.sampled_from(LEVELS) for _ in range(3))),
)


def build(segments: list[tuple[int, int, tuple[Decimal | None, ...]]]) -> list[Sample]:
    rows: list[Sample] = []
    moment = T0
    for count, missing, volts in segments:
        for _ in range(count):
            rows.append((moment, volts[0], volts[1], volts[2]))
            moment += timedelta(seconds=10)
        moment += timedelta(seconds=10 * missing * missing * missing)  # up to 11 minutes
    return rows


def in_pieces(
    rows: list[Sample], cuts: list[int], until: datetime, method: Method
) -> tuple[list[Window], list[Event], QualityState]:
    state = QualityState()
    windows: list[Window] = []
    events: list[Event] = []
    bounds = sorted({min(c, len(rows)) for c in cuts})
    pieces = [rows[a:b] for a, b in zip([0, *bounds], [*bounds, len(rows)], strict=True)]
    for number, piece in enumerate(pieces):
        following = next((p for p in pieces[number + 1 :] if p), None)
        end = following[0][0] if following else until
        update = advance(state, piece, end, method)
        windows += update.windows
        events += update.events
        state = update.state
    return windows, events, state


def order(event: Event) -> tuple[datetime, str, tuple[int, ...]]:
    return (event.start, event.kind, event.phases)


@settings(max_examples=100, deadline=None)
@given(st.lists(segment, min_size=1, max_size=25), st.lists(st.integers(0, 2500), max_size=8))
def test_any_cut_gives_the_figures_of_one_pass(
    segments: list[tuple[int, int, tuple[Decimal | None, ...]]], cuts: list[int]
) -> None:
    rows = build(segments)
    method = Method()
    until = rows[-1][0] + timedelta(minutes=25)
    whole = analyse(rows, until, method)
    windows, events, state = in_pieces(rows, cuts, until, method)
    assert windows == list(whole.windows)
    assert sorted(events, key=order) + list(state.open_events) == list(whole.events)
    assert state == whole.state


def test_a_simulated_week_hour_by_hour_equals_one_pass() -> None:
    method = Method()
    rows = list(voltage_week())
    start = datetime(2026, 3, 2, tzinfo=TALLINN)
    until = start + timedelta(days=7)
    whole = analyse(rows, until, method)
    state = QualityState()
    weeks: tuple[WeekFigures, ...] = ()
    windows: list[Window] = []
    events: list[Event] = []
    for hour in range(7 * 24):
        begin, end = start + timedelta(hours=hour), start + timedelta(hours=hour + 1)
        update = advance(state, [r for r in rows if begin <= r[0] < end], end, method)
        windows += update.windows
        events += update.events
        weeks = merge_weeks(weeks, update.windows, method)
        state = update.state
    assert windows == list(whole.windows)
    assert sorted(events, key=order) == list(whole.events)
    assert weeks == whole.weeks
    assert state.open_events == ()
