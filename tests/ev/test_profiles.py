"""OCPP profiles: valid frames, and a lost controller never means unlimited (or 0 A) charging."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ocpp.charge_point import remove_nones, serialize_as_dict, snake_to_camel_case
from ocpp.messages import Call, _validate_payload

from hanport.ev.profiles import (
    TTL_S,
    Profile,
    Strategy,
    composite_limit_a,
    install,
    profiles_to_send,
    v16_request,
    v201_request,
)

from .helpers import D, at


def frame(request: object) -> dict[str, object]:
    payload = snake_to_camel_case(serialize_as_dict(request))
    result: dict[str, object] = remove_nones(payload)
    return result


@pytest.mark.parametrize("strategy", ["station_max", "tx"])
def test_the_frames_pass_the_ocpp_schemas(strategy: Strategy) -> None:
    sent = profiles_to_send(
        D("13.27"), 3, D(0), at(0), strategy=strategy, with_fallback=True, transaction=(1, 42)
    )
    for profile in sent:
        for version, build in (("1.6", v16_request), ("2.0.1", v201_request)):
            payload = frame(build(profile))
            _validate_payload(Call("1", "SetChargingProfile", payload), version)


def test_the_standing_fallback_and_the_live_limit_in_1_6() -> None:
    live, fallback = profiles_to_send(D("13.27"), 3, D(0), at(0), with_fallback=True)
    assert frame(v16_request(fallback)) == {
        "connectorId": 0,
        "csChargingProfiles": {
            "chargingProfileId": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": "ChargePointMaxProfile",
            "chargingProfileKind": "Absolute",
            "validFrom": "2026-01-15T17:59:00+00:00",
            "chargingSchedule": {
                "chargingRateUnit": "A",
                "startSchedule": "2026-01-15T17:59:00+00:00",  # a minute in the past
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 0.0, "numberPhases": 3}],
            },
        },
    }
    profile = frame(v16_request(live))["csChargingProfiles"]
    assert isinstance(profile, dict)
    assert (profile["stackLevel"], profile["validTo"]) == (1, "2026-01-15T18:01:30+00:00")
    assert profile["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"] == 13.2


def test_2_0_1_uses_the_charging_station_and_tx_purposes() -> None:
    live, fallback = profiles_to_send(
        D(10), 1, D(6), at(0), strategy="tx", with_fallback=True, transaction=(1, "tx-9")
    )
    assert frame(v201_request(fallback))["chargingProfile"]["chargingProfilePurpose"] == (  # type: ignore[index]
        "TxDefaultProfile"
    )
    request = frame(v201_request(live))
    assert request["evseId"] == 1
    assert request["chargingProfile"]["transactionId"] == "tx-9"  # type: ignore[index]
    (station,) = profiles_to_send(D(10), 3, D(6), at(0), with_fallback=False)
    profile = frame(v201_request(station))["chargingProfile"]
    assert profile["chargingProfilePurpose"] == "ChargingStationMaxProfile"  # type: ignore[index]


commands = st.lists(
    st.tuples(st.integers(1, 40), st.one_of(st.just(D(0)), st.decimals(6, 32, places=2))),
    min_size=1,
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(
    steps=commands,
    failsafe=st.sampled_from([D(0), D(6)]),
    strategy=st.sampled_from(["station_max", "tx"]),
    transaction=st.booleans(),
)
def test_the_live_limit_is_in_force_until_the_controller_stops_then_the_fallback(
    steps: list[tuple[int, Decimal]], failsafe: Decimal, strategy: Strategy, transaction: bool
) -> None:
    """A charger that installs every profile it is sent, in order; the controller sends the
    limit on every change and refreshes it every TTL/3 (the fallback on connect only)."""
    installed: list[Profile] = []
    tx = (1, 7) if transaction else None
    t, limit, sent_at = 0, D(0), -1_000
    for index, (gap, new) in enumerate(steps):
        for second in range(t, t + gap):
            if (new != limit and second == t) or second - sent_at >= TTL_S / 3:
                limit = new if second == t else limit
                batch = profiles_to_send(
                    limit,
                    3,
                    failsafe,
                    at(second),
                    strategy=strategy,
                    with_fallback=index == 0 and second == 0,
                    transaction=tx,
                )
                for profile in batch:
                    installed = install(installed, profile)
                    in_force = composite_limit_a(installed, at(second), transaction)
                    assert in_force == limit.quantize(D("0.1"), rounding="ROUND_FLOOR")
                sent_at = second
            assert composite_limit_a(installed, at(second), transaction) is not None
        t += gap
    stopped = sent_at
    for second in range(stopped, stopped + int(TTL_S) + 5):
        in_force = composite_limit_a(installed, at(second), transaction)
        assert in_force is not None  # never unlimited
        if second >= stopped + TTL_S:
            assert in_force == failsafe
