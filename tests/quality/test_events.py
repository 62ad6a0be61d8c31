"""Voltage events: excursions, unbalance, phase loss, broken neutral, PV trip level."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hanport.quality import Event, Method, QualitySettings, Sample, advance, analyse
from hanport.quality.analysis import QualityState

D = Decimal
T0 = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
Volts = tuple[Decimal | None, Decimal | None, Decimal | None]


def readings(seconds: int, volts: Callable[[int], Volts], start: datetime = T0) -> list[Sample]:
    return [(start + timedelta(seconds=s), *volts(s)) for s in range(0, seconds, 10)]


def normal(_: int) -> Volts:
    return (D(230), D(230), D(230))


def kinds(events: tuple[Event, ...]) -> list[tuple[str, tuple[int, ...]]]:
    return [(e.kind, e.phases) for e in events]


def test_an_overvoltage_runs_over_consecutive_windows_and_across_hours() -> None:
    def volts(s: int) -> Volts:
        return (D(256) if 2400 <= s < 4800 else D(230), D(230), D(230))  # 10:40–11:20

    events = analyse(readings(7200, volts), T0 + timedelta(hours=2), Method()).events
    (over,) = [e for e in events if e.kind == "overvoltage"]
    assert (over.start, over.end, over.count) == (
        T0 + timedelta(minutes=40),
        T0 + timedelta(minutes=80),
        4,
    )
    assert (over.min_v, over.max_v, over.mean_v) == (D(256), D(256), D("256.00"))
    assert not over.ongoing


def test_an_incomplete_window_ends_an_excursion() -> None:
    def volts(s: int) -> Volts:
        low = D(200) if s < 1800 else D(230)
        return (low, D(230), D(230))

    rows = [r for r in readings(2400, volts) if not 600 <= (r[0] - T0).total_seconds() < 720]
    events = analyse(rows, T0 + timedelta(minutes=40), Method()).events
    under = [e for e in events if e.kind == "undervoltage"]
    assert [(e.start, e.count) for e in under] == [(T0, 1), (T0 + timedelta(minutes=20), 1)]


def test_magnitude_unbalance_over_the_threshold() -> None:
    def volts(_: int) -> Volts:
        return (D(236), D(230), D(224))  # 6 / 230 = 2.61 %

    events = analyse(readings(1200, volts), T0 + timedelta(minutes=20), Method()).events
    assert kinds(events) == [("unbalance", (1, 2, 3))]
    assert events[0].unbalance_pct == D("2.61")
    calm = analyse(readings(1200, volts), T0 + timedelta(minutes=20),
                   Method(QualitySettings(unbalance_pct=D(3))))  # fmt: skip
    assert calm.events == ()


def test_a_lost_phase_with_its_current() -> None:
    def row(s: int) -> Sample:
        lost = 100 <= s < 160
        return (T0 + timedelta(seconds=s), D(230), D("0.4") if lost else D(230), D(231),
                D(5), D(0) if lost else D(3), D(4))  # fmt: skip

    rows = [row(s) for s in range(0, 600, 10)]
    events = analyse(rows, T0 + timedelta(minutes=10), Method()).events
    (loss,) = [e for e in events if e.kind == "phase_loss"]
    assert (loss.phases, loss.start, loss.count, loss.duration_s) == (
        (2,),
        T0 + timedelta(seconds=100),
        6,
        60,
    )
    assert (loss.min_v, loss.current_a) == (D("0.4"), D(0))


def test_a_missing_phase_value_is_a_lost_phase_when_the_others_are_there() -> None:
    def volts(s: int) -> Volts:
        return (D(230), None if s >= 300 else D(230), D(230))

    events = analyse(readings(600, volts), T0 + timedelta(minutes=10), Method()).events
    (loss,) = [e for e in events if e.kind == "phase_loss"]
    assert (loss.phases, loss.count, loss.min_v) == ((2,), 30, None)


def test_broken_neutral_needs_high_and_low_at_the_same_moment() -> None:
    def volts(s: int) -> Volts:
        if s < 60:  # high and low in the same readings
            return (D(262), D(231), D(195))
        if s < 120:  # high, then low, never together
            return (D(262), D(230), D(230)) if s < 90 else (D(230), D(230), D(195))
        return normal(s)

    events = analyse(readings(600, volts), T0 + timedelta(minutes=10), Method()).events
    (neutral,) = [e for e in events if e.kind == "broken_neutral"]
    assert (neutral.phases, neutral.count, neutral.min_v, neutral.max_v) == (
        (1, 3),
        6,
        D(195),
        D(262),
    )


def test_readings_far_apart_do_not_join_one_event() -> None:
    high = (D(254), D(230), D(230))
    rows: list[Sample] = [
        (T0, *high),
        (T0 + timedelta(seconds=30), *high),  # 30 s: three pushes, joined
        (T0 + timedelta(seconds=70), *high),  # 40 s later: a new event
    ]
    events = analyse(rows, T0 + timedelta(minutes=10), Method()).events
    trips = [e for e in events if e.kind == "pv_trip"]
    assert [(t.count, t.duration_s) for t in trips] == [(2, 40), (1, 10)]


def test_an_event_open_at_the_end_of_the_data_is_ongoing_and_continues() -> None:
    def volts(_: int) -> Volts:
        return (D(256), D(230), D(230))

    method = Method(QualitySettings(unbalance_pct=D(10)))
    first = advance(QualityState(), readings(3600, volts), T0 + timedelta(hours=1), method)
    assert [e.kind for e in first.events] == []
    assert {e.kind for e in first.state.open_events} == {"overvoltage", "pv_trip"}
    assert all(e.ongoing for e in first.state.open_events)
    later = T0 + timedelta(hours=1)
    second = advance(first.state, readings(3600, normal, later), T0 + timedelta(hours=2), method)
    over = [e for e in second.events if e.kind == "overvoltage"]
    assert [(e.start, e.end, e.count) for e in over] == [(T0, later, 6)]
    assert second.state.open_events == ()


def test_an_event_ends_when_the_data_stops_for_good() -> None:
    def volts(_: int) -> Volts:
        return (D(256), D(230), D(230))

    method = Method(QualitySettings(unbalance_pct=D(10)))
    update = advance(QualityState(), readings(1200, volts), T0 + timedelta(minutes=20), method)
    assert update.state.open_events
    quiet = advance(update.state, [], T0 + timedelta(hours=1), method)
    assert {e.kind for e in quiet.events} == {"overvoltage", "pv_trip"}
    assert quiet.state.open_events == ()


def test_a_single_phase_site_has_no_phase_loss_or_neutral_events() -> None:
    def volts(_: int) -> Volts:
        return (D(0), D(270), D(180))

    events = analyse(readings(600, volts), T0 + timedelta(minutes=10), Method(phases=1)).events
    assert {e.kind for e in events} == {"undervoltage"}


def test_an_hour_given_twice_is_taken_once() -> None:
    method = Method()
    rows = readings(3600, normal)
    first = advance(QualityState(), rows, T0 + timedelta(hours=1), method)
    again = advance(first.state, rows, T0 + timedelta(hours=1), method)
    assert len(first.windows) == 6
    assert again.windows == ()
