"""The meter watchdog on the receive clock."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hanport.ev.failsafe import Freshness, observe, tick

from .helpers import at


def test_stale_from_the_start_until_the_first_reading() -> None:
    state, change = tick(Freshness(), at(0))
    assert state.stale
    assert change is None
    state, change = tick(observe(state, at(1), at(1)), at(1))
    assert (state.stale, change) == (False, None)  # the start is no recovery


def test_goes_stale_after_stale_s_and_recovers_with_the_next_reading() -> None:
    state, _ = tick(observe(Freshness(25), at(0), at(0)), at(0))
    state, change = tick(state, at(25))
    assert (state.stale, change) == (False, None)  # 25 s old is still fresh
    state, change = tick(state, at(25.5))
    assert (state.stale, change, state.stale_since) == (True, "went_stale", at(25.5))
    state, change = tick(state, at(40))
    assert (state.stale, change) == (True, None)
    state, change = tick(observe(state, at(41), at(41)), at(41))
    assert (state.stale, change) == (False, "recovered")


def test_a_late_old_reading_does_not_make_the_data_fresh() -> None:
    state, _ = tick(observe(Freshness(25), at(100), at(100)), at(100))
    state = observe(state, at(50), at(130))
    assert tick(state, at(130))[0].stale


@given(gaps=st.lists(st.floats(0.5, 60), min_size=1, max_size=30), probe=st.floats(0, 60))
def test_stale_exactly_when_the_latest_reading_is_older_than_stale_s(
    gaps: list[float], probe: float
) -> None:
    state, t = Freshness(25), 0.0
    for gap in gaps:
        t += gap
        state, _ = tick(observe(state, at(t), at(t)), at(t))
    state, _ = tick(state, at(t + probe))
    assert state.stale == (probe > 25)
