"""Windows, events and the carried state round-trip exactly through rows and JSON."""

from __future__ import annotations

from datetime import datetime, timedelta

from hanport.quality import Method, advance
from hanport.quality.analysis import QualityState
from hanport.quality.scenarios import TALLINN, voltage_week
from hanport.quality.storage import (
    event_from_row,
    event_row,
    state_from_json,
    state_json,
    window_from_row,
    window_row,
)


def test_a_day_cut_mid_window_and_mid_event_round_trips_and_goes_on_identically() -> None:
    method = Method()
    rows = list(voltage_week())
    cut = datetime(2026, 3, 5, 13, 5, tzinfo=TALLINN)  # inside the PV day's overvoltage
    first = advance(QualityState(), [r for r in rows if r[0] < cut], cut, method)
    assert first.state.pending
    assert first.state.open_events
    restored = state_from_json(state_json(first.state))
    assert restored == first.state
    for window in first.windows:
        assert window_from_row(*window_row(window)) == window
    for event in (*first.events, *first.state.open_events):
        assert event_from_row(event_row(event)) == event
    end = cut + timedelta(days=4)
    rest = [r for r in rows if r[0] >= cut]
    assert advance(restored, rest, end, method) == advance(first.state, rest, end, method)
