"""The figures kept in the database (records `quality_*`): caught up from the stored readings,
hour by hour or all at once, equal to the figures computed from scratch."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hanport.quality import Analysis, Method, analyse
from hanport.quality.keeper import catch_up
from hanport.quality.records import load_events, load_state, load_weeks, load_windows
from hanport.store import RecordStore, Store
from quality.voltage_readings import MONDAY, hours_of, voltage_readings

END = MONDAY + timedelta(days=7)
ALL = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
METHOD = Method()


def _scratch() -> Analysis:
    readings = voltage_readings()
    rows = [
        (r.meter_time, r.voltage_l1_v, r.voltage_l2_v, r.voltage_l3_v,
         r.current_l1_a, r.current_l2_a, r.current_l3_a)
        for r in readings
    ]  # fmt: skip
    return analyse(rows, END, METHOD)  # type: ignore[arg-type]


def _meter() -> str:
    return voltage_readings()[0].meter_id or ""


def test_a_week_caught_up_at_once_is_the_week_from_scratch(store: Store) -> None:
    assert isinstance(store, RecordStore)
    store.write(list(voltage_readings()))
    progress = catch_up(store, _meter(), METHOD, END)
    scratch = _scratch()
    assert len(progress.windows) == 1008
    assert load_windows(store, _meter(), *ALL) == list(scratch.windows)
    assert load_weeks(store, _meter()) == list(scratch.weeks)
    assert load_events(store, _meter(), *ALL) == list(scratch.events)
    again = catch_up(store, _meter(), METHOD, END)  # nothing new: nothing counted twice
    assert again.windows == ()
    assert load_weeks(store, _meter()) == list(scratch.weeks)


def test_hour_by_hour_gives_the_same_records(store: Store) -> None:
    assert isinstance(store, RecordStore)
    hours = hours_of(voltage_readings(), MONDAY)
    ongoing_seen = False
    for number, hour in enumerate(hours):
        store.write(hour)
        catch_up(store, _meter(), METHOD, MONDAY + timedelta(hours=number + 1))
        state = load_state(store, _meter())
        assert state is not None
        ongoing_seen |= any(e.kind == "overvoltage" for e in state.open_events)
    scratch = _scratch()
    assert ongoing_seen  # the PV day's overvoltage ran across hours, kept open in the state
    assert load_windows(store, _meter(), *ALL) == list(scratch.windows)
    assert load_weeks(store, _meter()) == list(scratch.weeks)
    assert load_events(store, _meter(), *ALL) == list(scratch.events)


def test_a_meter_without_readings_is_left_alone(store: Store) -> None:
    progress = catch_up(store, "nobody", METHOD, END)
    assert progress.windows == ()
    assert isinstance(store, RecordStore)
    assert load_state(store, "nobody") is None  # nothing stored for it


def test_a_phase_loss_reads_the_currents_too(store: Store) -> None:
    """Only the voltages are read, except where a phase is lost: its current says whether the
    supply is gone (0 A) or only the measurement."""
    assert isinstance(store, RecordStore)
    day = voltage_readings(MONDAY, 6)
    lost = MONDAY + timedelta(hours=2)
    readings = [
        replace(r, voltage_l2_v=Decimal(0), current_l2_a=Decimal("0.0"))
        if r.meter_time is not None and lost <= r.meter_time < lost + timedelta(minutes=30)
        else r
        for r in day
    ]
    store.write(readings)
    catch_up(store, _meter(), METHOD, MONDAY + timedelta(hours=6))
    (loss,) = [e for e in load_events(store, _meter(), *ALL) if e.kind == "phase_loss"]
    assert loss.phases == (2,)
    assert (loss.start, loss.end) == (lost, lost + timedelta(minutes=30))
    assert loss.current_a == Decimal("0.0")
