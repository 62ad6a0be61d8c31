"""OCPP smart-charging profiles for the live limit and the standing fallback. Pure.

A charger obeys the minimum across profile purposes, and within a purpose the valid profile
with the highest stack level. So the fallback and the live limit share a purpose:

- strategy `station_max` (the default): the fallback is a ChargePointMaxProfile
  (ChargingStationMaxProfile in 2.0.1) at stack level 0 on connector/EVSE 0, at `failsafe_a`,
  with no end; the live limit is the same purpose at stack level 1 with a `validTo` a short
  `ttl_s` ahead, refreshed before it lapses. While the controller lives, the live limit is in
  force; when it stops refreshing, the charger falls back to `failsafe_a` — never to
  unlimited charging.
- strategy `tx`, for chargers that refuse the station-wide purpose: the fallback is a
  TxDefaultProfile at stack level 0 on connector 0; the live limit is a TxProfile for the
  running transaction (it overrides TxDefault), or a TxDefaultProfile at stack level 1 while
  there is none.

The live profile is always sent before the fallback, so that a fallback at 0 A is never the only
profile in force while charging is allowed. `startSchedule` lies a minute in the past (no gap
while the charger's clock differs a little); limits have one decimal at most, rounded down.
`composite_limit_a` is the OCPP composition rule, for the tests and the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

__all__ = [
    "FALLBACK_ID",
    "LIVE_ID",
    "Profile",
    "Strategy",
    "composite_limit_a",
    "fallback_profile",
    "install",
    "live_profile",
    "one_decimal",
    "profiles_to_send",
    "v16_request",
    "v201_request",
]

Purpose = Literal["station_max", "tx_default", "tx"]
Strategy = Literal["station_max", "tx"]

FALLBACK_ID, LIVE_ID, TX_ID = 1, 2, 3
FALLBACK_STACK, LIVE_STACK = 0, 1
EARLY_S = 60
TTL_S = 90.0
"""How long a live limit stays valid unless refreshed; refreshed every third of it."""


@dataclass(frozen=True)
class Profile:
    """A charging profile in amperes with one period, independent of the OCPP version."""

    id: int
    stack_level: int
    purpose: Purpose
    connector: int
    limit_a: Decimal
    phases: int
    start: datetime
    valid_to: datetime | None = None
    transaction_id: int | str | None = None

    def in_force(self, moment: datetime) -> bool:
        return self.start <= moment and (self.valid_to is None or moment < self.valid_to)


def one_decimal(limit_a: Decimal) -> Decimal:
    return max(Decimal(0), limit_a.quantize(Decimal("0.1"), rounding=ROUND_FLOOR))


def fallback_profile(
    failsafe_a: Decimal, phases: int, now: datetime, strategy: Strategy = "station_max"
) -> Profile:
    purpose: Purpose = "station_max" if strategy == "station_max" else "tx_default"
    start = now - timedelta(seconds=EARLY_S)
    return Profile(FALLBACK_ID, FALLBACK_STACK, purpose, 0, one_decimal(failsafe_a), phases, start)


def live_profile(
    limit_a: Decimal,
    phases: int,
    now: datetime,
    strategy: Strategy = "station_max",
    ttl_s: float = TTL_S,
    transaction: tuple[int, int | str] | None = None,
) -> Profile:
    """The live limit; `transaction` is (connector or EVSE id, transaction id) when one runs."""
    start = now - timedelta(seconds=EARLY_S)
    until = now + timedelta(seconds=ttl_s)
    limit = one_decimal(limit_a)
    if strategy == "station_max":
        return Profile(LIVE_ID, LIVE_STACK, "station_max", 0, limit, phases, start, until)
    if transaction is None:
        return Profile(LIVE_ID, LIVE_STACK, "tx_default", 0, limit, phases, start, until)
    connector, transaction_id = transaction
    return Profile(TX_ID, LIVE_STACK, "tx", connector, limit, phases, start, until, transaction_id)


def profiles_to_send(
    limit_a: Decimal,
    phases: int,
    failsafe_a: Decimal,
    now: datetime,
    *,
    strategy: Strategy = "station_max",
    with_fallback: bool,
    transaction: tuple[int, int | str] | None = None,
    ttl_s: float = TTL_S,
) -> list[Profile]:
    """What to send, in order: the live limit first, then (on connect) the fallback."""
    sent = [live_profile(limit_a, phases, now, strategy, ttl_s, transaction)]
    if with_fallback:
        sent.append(fallback_profile(failsafe_a, phases, now, strategy))
    return sent


def composite_limit_a(
    installed: Sequence[Profile], moment: datetime, in_transaction: bool = True
) -> Decimal | None:
    """The limit a charger applies at `moment` (None: no profile, no limit at all).

    Within a purpose the profile in force with the highest stack level counts; a TxProfile
    overrides the TxDefaultProfile during a transaction; the result is the minimum of the
    station-wide limit and the transaction's.
    """
    best: dict[Purpose, Profile] = {}
    for profile in installed:
        if profile.in_force(moment) and (profile.purpose != "tx" or in_transaction):
            held = best.get(profile.purpose)
            if held is None or profile.stack_level > held.stack_level:
                best[profile.purpose] = profile
    limits = [
        p.limit_a
        for p in (best.get("station_max"), best.get("tx") or best.get("tx_default"))
        if p is not None
    ]
    return min(limits) if limits else None


def install(installed: Sequence[Profile], profile: Profile) -> list[Profile]:
    """The charger's profiles after `profile` is set: one with the same id, or the same stack
    level and purpose (on the same connector), is replaced."""
    kept = [
        p
        for p in installed
        if p.id != profile.id
        and not (
            p.stack_level == profile.stack_level
            and p.purpose == profile.purpose
            and p.connector == profile.connector
        )
    ]
    return [*kept, profile]


_V16_PURPOSE = {
    "station_max": "ChargePointMaxProfile",
    "tx_default": "TxDefaultProfile",
    "tx": "TxProfile",
}
_V201_PURPOSE = {
    "station_max": "ChargingStationMaxProfile",
    "tx_default": "TxDefaultProfile",
    "tx": "TxProfile",
}


def v16_request(profile: Profile) -> object:
    """`ocpp.v16.call.SetChargingProfile` for `profile`."""
    from ocpp.v16 import call, datatypes

    schedule = datatypes.ChargingSchedule(
        charging_rate_unit="A",
        start_schedule=_stamp(profile.start),
        charging_schedule_period=[
            datatypes.ChargingSchedulePeriod(
                start_period=0, limit=float(profile.limit_a), number_phases=profile.phases
            )
        ],
    )
    charging_profile = datatypes.ChargingProfile(
        charging_profile_id=profile.id,
        stack_level=profile.stack_level,
        charging_profile_purpose=_V16_PURPOSE[profile.purpose],
        charging_profile_kind="Absolute",
        charging_schedule=schedule,
        transaction_id=profile.transaction_id if profile.purpose == "tx" else None,
        valid_from=_stamp(profile.start),
        valid_to=None if profile.valid_to is None else _stamp(profile.valid_to),
    )
    return call.SetChargingProfile(
        connector_id=profile.connector, cs_charging_profiles=charging_profile
    )


def v201_request(profile: Profile) -> object:
    """`ocpp.v201.call.SetChargingProfile` for `profile`."""
    from ocpp.v201 import call, datatypes

    schedule = datatypes.ChargingScheduleType(
        id=profile.id,
        charging_rate_unit="A",
        start_schedule=_stamp(profile.start),
        charging_schedule_period=[
            datatypes.ChargingSchedulePeriodType(
                start_period=0, limit=float(profile.limit_a), number_phases=profile.phases
            )
        ],
    )
    charging_profile = datatypes.ChargingProfileType(
        id=profile.id,
        stack_level=profile.stack_level,
        charging_profile_purpose=_V201_PURPOSE[profile.purpose],
        charging_profile_kind="Absolute",
        charging_schedule=[schedule],
        valid_from=_stamp(profile.start),
        valid_to=None if profile.valid_to is None else _stamp(profile.valid_to),
        transaction_id=str(profile.transaction_id) if profile.purpose == "tx" else None,
    )
    return call.SetChargingProfile(evse_id=profile.connector, charging_profile=charging_profile)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
