"""The closed loop over a simulated day (issue 12's targets), with the real controller."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanport.ev.controller import Controller
from hanport.ev.model import ChargerSpec
from hanport.ev.policy import Guard, Policy
from hanport.ev.simulation import Household, SimResult, SimulatedEv, simulate
from hanport.grid import Site

SETTLE_S, INTERVAL_S = 5, 10


def evening_and_night(t: int) -> bool:
    return not 8 * 3600 <= t % 86_400 < 16 * 3600


def guard(failsafe_a: Decimal = Decimal(0)) -> Controller:
    return Controller(
        Site(), Policy(), Guard(), failsafe_a=failsafe_a, chargers=[ChargerSpec("car")]
    )


@pytest.fixture(scope="module")
def day() -> SimResult:
    ev = SimulatedEv(settle_s=SETTLE_S, plugged=evening_and_night)
    return simulate(guard(), Household(seed=1), ev, interval_s=INTERVAL_S)


def test_the_house_alone_never_trips_the_fuse_in_this_model(day: SimResult) -> None:
    assert day.house_over_s == 0  # so every excursion is the controller's to answer for


def test_no_excursion_outlasts_one_meter_interval_plus_the_settle_time(day: SimResult) -> None:
    assert day.excursions_s  # the oven, the hob and the sauna do catch it out now and then
    assert day.longest_excursion_s <= INTERVAL_S + SETTLE_S


def test_the_car_gets_at_least_95_percent_of_what_the_headroom_allowed(day: SimResult) -> None:
    assert day.ratio >= 0.95
    assert day.delivered_kwh > 100  # 16 h plugged, mostly at 11 kW


@pytest.mark.parametrize("failsafe_a", [Decimal(0), Decimal(6)])
def test_a_stopped_meter_brings_the_fail_safe_limit_within_30_s(failsafe_a: Decimal) -> None:
    ev = SimulatedEv(settle_s=SETTLE_S)
    result = simulate(
        guard(failsafe_a),
        Household(seed=2),
        ev,
        seconds=600,
        start_s=11 * 3600,
        meter_stops_s=11 * 3600 + 300,
        failsafe_a=float(failsafe_a),
    )
    assert result.failsafe_after_s is not None
    assert result.failsafe_after_s <= 30
    assert ev.limit_at(11 * 3600 + 599)[0] == float(failsafe_a)  # and it stays there
