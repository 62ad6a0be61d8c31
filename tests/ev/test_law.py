"""The control law: cuts, raises, the minimum, sharing, the modes, phase switching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hanport.ev.law import decide
from hanport.ev.model import ChargerSpec, ChargerState
from hanport.ev.policy import Cheapest, Fixed, Guard, Mode, Policy, Slot, Surplus
from hanport.ev.wording import reason_text
from hanport.grid import Site

from .helpers import D, at, charging, measured

SITE, POLICY = Site(), Policy()


def one(
    state: ChargerState,
    currents: Sequence[object],
    seconds: float = 0,
    mode: Mode | None = None,
    net_w: object = None,
) -> tuple[Decimal | int, str, ChargerState]:
    """Decide for one charger; returns the limit, the reason code and the next state."""
    (decision,) = decide(
        SITE, POLICY, mode or Guard(), measured(currents, seconds, net_w), [state], at(seconds)
    )
    return decision.limit_a, decision.reason.code, replace(state, held=decision.held)


def test_the_oven_coming_on_cuts_at_once_and_says_why() -> None:
    car = charging(limit_a=16)  # house 7 A on L1 + car 16 A = 23 A: room for 17
    limit, code, car = one(car, [23, 19, 19])
    assert (limit, code) == (16, "charger_max")
    limit, code, car = one(car, [34, 19, 19], seconds=10)  # the oven: +11 A on L1
    assert limit == D(6)  # 25 − 1 − (34 − 16) = 6, cut on the same reading
    assert code == "phase_limit"
    assert reason_text(car.held.reason) == (
        "L1 at 34 A; the house draws 18 A without the car (fuse 25 A, margin 1 A)."
    )
    assert reason_text(car.held.reason, "et").startswith("Faasil L1 on 34 A; maja tarbib")


def test_below_the_minimum_the_fuse_guard_pauses_at_once() -> None:
    limit, code, car = one(charging(limit_a=10), [30, 12, 12])  # house 20 A on L1: room 4 A
    assert (limit, code) == (0, "no_room")
    assert car.held.reason.params == {"phase": 1, "room_a": D("4.0"), "min_a": D(6)}


def test_raises_wait_30_s_and_close_half_the_gap() -> None:
    car = charging(limit_a=6, changed_s=-5)  # changed 5 s ago; room for 16 now
    limit, code, car = one(car, [13, 13, 13])
    assert (limit, code) == (6, "raising")  # the car had not settled when this was measured
    limit, _, car = one(car, [13, 13, 13], seconds=10)
    assert limit == 11  # 6 + (16 − 6) / 2, the first raise
    limit, code, car = one(car, [18, 18, 18], seconds=20)
    assert (limit, code) == (11, "raising")  # 30 s between raises
    limit, _, car = one(car, [18, 18, 18], seconds=40)
    assert limit == D("13.5")
    limit, _, car = one(car, [20.5, 20.5, 20.5], seconds=70)
    assert limit == D("14.7")  # 13.5 + max(1, 2.5 / 2) = 14.75, floored to 0.1 A
    limit, code, _ = one(car, [21.7, 21.7, 21.7], seconds=100)
    assert (limit, code) == (D("15.7"), "raising")  # a gap of 1.3 A: at least the hysteresis


def test_a_gap_below_the_hysteresis_is_left_alone() -> None:
    limit, code, _ = one(charging(limit_a=D("15.5")), [20, 20, 20])  # room 16: gap 0.5 A
    assert limit == D("15.5")
    assert code == "charger_max"


def test_a_paused_car_resumes_with_the_minimum_plus_the_hysteresis() -> None:
    paused = charging(limit_a=0)
    assert one(paused, [17.5, 5, 5])[:2] == (0, "resume_wait")  # room 6.5 A < 7 A
    limit, code, _ = one(paused, [17, 5, 5])  # room 7 A
    assert (limit, code) == (6, "raising")  # the minimum, then up by the usual steps


def test_the_cars_own_current_comes_from_the_charger_when_it_measured_at_the_reading() -> None:
    car = replace(charging(limit_a=16), measured_a=(D(10), D(10), D(10)), measured_at=at(-2))
    limit, _, _ = one(car, [27, 17, 17])  # the car draws 10 of its 16: the house 17 A on L1
    assert limit == 7
    later = replace(car, measured_at=at(5))  # taken after the reading: not used
    assert one(later, [27, 17, 17])[0] == 13  # 25 − 1 − (27 − 16)


def test_a_reading_taken_while_the_car_settled_is_read_against_the_old_limit() -> None:
    car = charging(limit_a=8, changed_s=-3)
    car = replace(car, held=replace(car.held, previous_limit_a=D(16)))
    limit, _, _ = one(car, [30, 20, 20])  # still drawing 16: the house is 14 A on L1
    assert limit == 8  # not a second cut to 24 − (30 − 8) = 2 → pause


def test_a_car_that_is_not_drawing_is_not_counted() -> None:
    limit, code, _ = one(charging(limit_a=16, vehicle="absent"), [10, 10, 10])
    assert (limit, code) == (6, "no_vehicle")  # the minimum kept ready; 10 A is the house
    assert one(charging(limit_a=6, vehicle="absent"), [21, 3, 3])[0] == 0  # room 3 A


@settings(max_examples=300, deadline=None)
@given(
    house=st.lists(st.decimals(-30, 40, places=1), min_size=3, max_size=3),
    held=st.one_of(st.just(D(0)), st.decimals(6, 32, places=1)),
    max_a=st.integers(6, 32),
    phases=st.sampled_from([1, 3]),
    changed=st.floats(-120, 0),
    mode=st.sampled_from([Guard(), Fixed(D(10)), Surplus()]),
)
def test_no_limit_ever_leaves_the_fuse_short(
    house: list[Decimal], held: Decimal, max_a: int, phases: int, changed: float, mode: Mode
) -> None:
    """Whatever the house draws, the new limit plus the house stays within fuse − margin on
    every phase the car uses, and it is 0 or between the charger's minimum and maximum."""
    spec = ChargerSpec("car", max_a=D(max_a), wiring=(1, 2, 3)[:phases])
    car = charging(limit_a=held, phases=phases, changed_s=changed - 30, spec=spec)
    grid = [h + (held if p < phases else 0) for p, h in enumerate(house)]
    net = sum(grid) * 230
    limit, _, after = one(car, grid, mode=mode, net_w=net)
    if limit > 0:
        assert spec.min_a <= limit <= spec.max_a
        assert all(limit + house[p] <= SITE.fuse_a - POLICY.margin_a for p in range(phases))
    assert limit <= held or after.held.raised_at == at(0)


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.decimals(0, 30, places=1), st.integers(10, 40)), min_size=2, max_size=25
    )
)
def test_raises_are_30_s_apart_and_cuts_come_at_once(steps: list[tuple[Decimal, int]]) -> None:
    car, t, last_raise = charging(limit_a=6), 0.0, None
    for house, gap_s in steps:
        t += gap_s
        before = car.held.limit_a
        grid = [house + before] * 3
        limit, _, car = one(car, grid, seconds=t)
        room = 24 - house
        if before > room:
            assert limit <= max(room, D(0))  # the cut is on this reading
        if limit > before:
            assert last_raise is None or t - last_raise >= 30
            assert limit <= before + max(D(1), (room - before) / 2) or before == 0
            last_raise = t


def test_two_chargers_share_a_phase_equally() -> None:
    a, b = charging("a", limit_a=12), charging("b", limit_a=12)
    decisions = decide(SITE, POLICY, Guard(), measured([28, 28, 28]), [a, b], at(0))
    assert [d.limit_a for d in decisions] == [D(10), D(10)]  # room (24 − 4) / 2 each
    assert decisions[0].reason.code == "shared"
    assert "shared fairly among 2 chargers" in reason_text(decisions[0].reason)


def test_when_both_cannot_have_the_minimum_the_lower_priority_pauses() -> None:
    a = charging("a", limit_a=12, spec=ChargerSpec("a", priority=0))
    b = charging("b", limit_a=12, spec=ChargerSpec("b", priority=1))
    decisions = decide(SITE, POLICY, Guard(), measured([38, 38, 38]), [a, b], at(0))
    assert [d.limit_a for d in decisions] == [D(10), D(0)]  # room 10: not 5 + 5, but 10 + 0
    assert decisions[1].reason.code == "no_room"


def test_a_single_phase_charger_on_l2_uses_the_room_of_l2() -> None:
    spec = ChargerSpec("car", max_a=D(32), wiring=(2,))
    limit, code, _ = one(charging(limit_a=20, phases=1, spec=spec), [24, 30, 2])
    assert (limit, code) == (14, "phase_limit")  # L1 at 24 A does not matter


def test_fixed_mode_asks_for_its_current_within_the_fuse() -> None:
    assert one(charging(limit_a=10), [12, 12, 12], mode=Fixed(D(10)))[:2] == (10, "fixed")
    assert one(charging(limit_a=10), [28, 12, 12], mode=Fixed(D(10)))[0] == 6


def test_cheapest_mode_charges_in_its_slots_only() -> None:
    slots = (Slot(at(-60), at(60)), Slot(at(3600), at(7200)))
    inside = Cheapest(slots, departure=at(9000))
    assert one(charging(limit_a=16), [20, 20, 20], mode=inside)[:2] == (16, "cheap_slot")
    limit, code, car = one(charging(limit_a=16), [20, 20, 20], seconds=120, mode=inside)
    assert (limit, code) == (0, "waiting_for_slot")
    assert car.held.reason.params == {"start": at(3600).isoformat()}
    assert one(car, [4, 4, 4], seconds=9500, mode=inside)[1] == "no_slot"


def test_surplus_mode_pauses_and_resumes_after_its_delays() -> None:
    car = charging(limit_a=6, changed_s=-300)
    export = -2000  # 2 kW exported with the car at 6 A × 3: 6.1 kW for the car
    limit, code, car = one(car, [8, 8, 8], mode=Surplus(), net_w=export)
    assert (limit, code) == (D("7.4"), "raising")  # 6 + 0.5 × (8.8 − 6) = 7.4
    assert car.held.reason.params["target_a"] == D("8.8")
    importing = 3000  # a cloud: the car's 5.1 kW no longer covered
    t = 0
    for t in range(10, 180, 10):
        limit, code, car = one(car, [12, 12, 12], seconds=t, mode=Surplus(), net_w=importing)
        assert (limit, code) == (6, "surplus_low")  # the minimum, until 3 min have passed
    limit, code, car = one(car, [12, 12, 12], seconds=190, mode=Surplus(), net_w=importing)
    assert (limit, code) == (0, "surplus_paused")
    for t in range(200, 260, 10):
        limit, code, car = one(car, [-10, -10, -10], seconds=t, mode=Surplus(), net_w=-6900)
        assert (limit, code) == (0, "surplus_waiting")
    limit, code, car = one(car, [-10, -10, -10], seconds=260, mode=Surplus(), net_w=-6900)
    assert (limit, code) == (6, "raising")  # after 1 min of enough: the minimum, towards 10 A
    assert car.held.reason.params["target_a"] == 10


def test_phase_switching_only_where_supported_and_after_settling() -> None:
    house = [5, 21, 21]  # L2 and L3 have room for 3 A only; L1 for 19 A
    fixed = ChargerSpec("car", max_a=D(16))
    assert one(charging(limit_a=0, spec=fixed), house)[:2] == (0, "no_room")
    spec = ChargerSpec("car", max_a=D(16), can_switch_phases=True)
    car = charging(limit_a=0, spec=spec)
    for t in range(0, 60, 10):
        limit, _, car = one(car, house, seconds=t)
        assert limit == 0
        assert car.held.wish_phases == 1
    limit, code, car = one(car, house, seconds=60)
    assert (limit, code, car.held.phases) == (D(8), "phase_switch", 1)  # ramped from 0 to 16


def test_a_phase_without_a_measured_current_pauses_and_says_so() -> None:
    loads = measured([10, 10, 10])
    blind = replace(
        loads, loads=(loads.loads[0], replace(loads.loads[1], current_a=None), loads.loads[2])
    )
    (decision,) = decide(SITE, POLICY, Guard(), blind, [charging(limit_a=10)], at(0))
    assert (decision.limit_a, decision.reason.code) == (D(0), "phase_unmeasured")
    assert reason_text(decision.reason) == "Paused: the meter sends no current for L2."
