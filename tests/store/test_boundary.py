"""The DSO's slot energy rule: register at the slot's end minus register at its start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hanport.store.boundary import slot_energies

T0 = datetime(2026, 1, 14, 12, tzinfo=UTC)
S10 = timedelta(seconds=10)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_reading_on_the_boundary_closes_the_slot_before_it() -> None:
    samples = [
        (at(0), (100,)),
        (at(5), (150,)),
        (at(10), (190,)),
        (at(15), (200,)),
        (at(20), (260,)),
        (at(25), (270,)),
        (at(30), (300,)),
    ]
    slots = list(slot_energies(samples, timedelta(minutes=5)))
    assert [(s.start, s.growth_wh, s.gap) for s in slots] == [
        (at(0), (100,), False),  # 12:00–12:15 ends with the 12:15:00 reading (200)
        (at(15), (100,), False),
    ]


def test_between_readings_the_register_is_interpolated_and_floored() -> None:
    samples = [
        (at(0), (0,)),
        (at(15) - S10 * 3, (997,)),
        (at(15) + S10 * 3, (1003,)),
        (at(30), (2000,)),
    ]
    slots = list(slot_energies(samples, timedelta(minutes=15)))
    # at 12:15 the register is 997 + 6 × 30 / 60 = 1000 exactly
    assert [s.growth_wh for s in slots] == [(1000,), (1000,)]
    odd = [(at(0), (0,)), (at(14), (10,)), (at(16), (13,)), (at(30), (20,))]
    # at 12:15: 10 + 3 × 1/2 = 11.5 → 11 Wh; the half Wh goes to the next slot
    assert [s.growth_wh for s in slot_energies(odd, timedelta(minutes=15))] == [(11,), (9,)]


def test_a_gap_longer_than_the_limit_marks_the_slots_it_touches() -> None:
    samples = [(at(0), (0,)), (at(10), (50,)), (at(50), (400,)), (at(60), (450,)), (at(75), (500,))]
    slots = list(slot_energies(samples, timedelta(minutes=15)))
    assert [(s.start, s.growth_wh, s.gap) for s in slots] == [
        (at(0), (50,), True),  # growth seen before the gap only
        (at(15), (0,), True),
        (at(30), (0,), True),
        (at(45), (50,), True),  # 12:45–13:00 starts inside the gap
        (at(60), (50,), False),
    ]


def test_a_register_going_backwards_breaks_the_chain() -> None:
    samples = [(at(0), (1000,)), (at(5), (1010,)), (at(10), (3,)), (at(15), (8,)), (at(30), (20,))]
    slots = list(slot_energies(samples, timedelta(minutes=15)))
    assert [(s.growth_wh, s.gap) for s in slots] == [((15,), True), ((12,), False)]


@given(
    steps=st.lists(st.tuples(st.integers(1, 400), st.integers(0, 5000)), min_size=1, max_size=300),
    start_wh=st.integers(0, 10**9),
)
def test_slots_add_up_to_the_register_growth_between_boundaries(
    steps: list[tuple[int, int]], start_wh: int
) -> None:
    """Readings every 1–400 s (never further apart than the limit), registers growing; the
    first and last readings on boundaries: the slots add up exactly to the growth, none is
    negative and none is a gap."""
    samples = [(T0, (start_wh,))]
    moment, register = T0, start_wh
    for seconds, growth in steps:
        moment += timedelta(seconds=seconds)
        register += growth
        samples.append((moment, (register,)))
    end = T0 + timedelta(minutes=15) * (int((moment - T0) / timedelta(minutes=15)) + 1)
    samples.append((end, (register + 7,)))
    slots = list(slot_energies(samples, timedelta(minutes=15)))
    assert len(slots) == (end - T0) / timedelta(minutes=15)
    assert sum(s.growth_wh[0] for s in slots) == register + 7 - start_wh
    assert all(s.growth_wh[0] >= 0 and not s.gap for s in slots)
