"""The server's fast payload parser (`hanport.upstream.wire_fast`) against the general one:
the same reading (every value of the same type and text) or the same error, on the usual
payloads, on every shape a gateway may send, and on hostile ones."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from upstream_gateway import meter_readings

import hanport
from hanport.model import READING_FIELDS, Reading, Register
from hanport.sim.home import HomeSimulator
from hanport.upstream.wire import WireError, parse_ack, parse_reading, reading_payload
from hanport.upstream.wire_fast import parse_reading_fast


def outcome(parse: Any, payload: bytes, meter_id: str | None) -> object:
    try:
        reading = parse(payload, meter_id)
    except WireError as error:
        return ("error", error.code, dict(error.params), str(error))
    assert isinstance(reading, Reading)
    return [(name, type(v), str(v), v) for name, v in reading.__dict__.items()]


def same(payload: bytes, meter_id: str | None = "site/m") -> object:
    fast = outcome(parse_reading_fast, payload, meter_id)
    assert fast == outcome(parse_reading, payload, meter_id), payload
    return fast


def test_the_usual_payloads_give_the_same_readings() -> None:
    readings = [*meter_readings(50), *hanport.decode(HomeSimulator(seed=4).next_telegram() * 3)]
    readings.append(
        replace(
            readings[0],
            meter_time=datetime(2026, 3, 29, 3, 30, 0, 5, tzinfo=timezone(timedelta(hours=3))),
            energy_export_wh=Decimal("812044.25"),
            voltage_l2_v=Decimal("1E+2"),
            power_factor=Decimal("-0.910"),
        )
    )
    for reading in readings:
        found = same(reading_payload(reading).encode())
        assert isinstance(found, list)
        same(reading_payload(reading).encode(), None)
    assert parse_reading_fast(reading_payload(readings[0]).encode()) == readings[0]


HOSTILE = [
    b"",
    b"[1]",
    b"{",
    b"null",
    b'"text"',
    b"{}",
    b"\xff\xfe{",
    b'{"meter_time": "2026-01-10T08:00:00+00:00"}',
    '{"meter_time": "2026-01-10T08:00:00+00:00"}'.encode("utf-16"),
    b'{"meter_time": "2026-01-10T08:00:00"}',
    b'{"meter_time": "2026-01-10"}',
    b'{"meter_time": "not a time"}',
    b'{"meter_time": 12}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "received_at": "2026-01-10T08:00:00"}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": "12"}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": true}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": 1.5}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": null}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "voltage_l1_v": 230}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "voltage_l1_v": 2.30e2}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "voltage_l1_v": false}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "voltage_l1_v": NaN}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "voltage_l1_v": -Infinity}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "voltage_l1_v": 1e999999}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "evil": 1}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "verified": true}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "verified": false}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "extra": {"x": 1}}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "extra": {"x": {"value": "1", "unit": "m3"}}}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "meter_id": 5}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "meter_model": null}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "meter_model": "' + b"x" * 201 + b'"}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "meter_model": "' + b"x" * 200 + b'"}',
    b'{"meter_time": "1999-01-10T08:00:00Z", "meter_time": "2026-01-10T08:00:00+02:00"}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "meter_time": "2026-01-10T08:00:00"}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": 12}  ',
    b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": 12} x',
    b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": 1' + b"0" * 5000 + b"}",
    b'{"meter_time": "2026-01-10T08:00:00Z", "\\u0000": 1}',
    b'{"meter_time": "2026-01-10T08:00:00\\ud800Z"}',
    b'{"meter_time": "\xff"}',
    b'{"meter_time": "2026-01-10T08:00:00Z", "meter_id": "\\ud800"}',
    b"[" * 100_000,
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_payloads_give_the_same_answer(payload: bytes) -> None:
    same(payload)


def test_json_nested_too_deep_is_one_sentence_not_a_crash() -> None:
    for parse in (parse_reading, parse_reading_fast, lambda p, _m: parse_ack(p)):
        with pytest.raises(WireError) as caught:
            parse(b"[" * 100_000, None)
        assert caught.value.code == "upstream.wire_json"


def test_the_fast_path_refuses_what_the_general_one_refuses() -> None:
    for payload in (b"[1]", b'{"meter_time": "2026-01-10T08:00:00"}', b'{"evil": 1}'):
        with pytest.raises(WireError):
            parse_reading_fast(payload)


NAMES = [*READING_FIELDS, "verified", "evil", "meter_time", "meter_time"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.decimals(allow_nan=False, allow_infinity=False).map(float)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "2026-01-10T08:00:00+02:00",
            "2026-01-10T08:00:00.123456Z",
            "2026-01-10T08:00:00",
            "2026-01-10",
            "2026-13-10T08:00:00Z",
            "x" * 201,
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES), json_values, max_size=8), st.booleans())
def test_arbitrary_objects_give_the_same_answer(data: dict[str, Any], timed: bool) -> None:
    if timed:
        data = {"meter_time": "2026-01-10T08:00:00+02:00", **data}
    same(json.dumps(data).encode())


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 10**15),
    st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=3),
    st.datetimes(timezones=st.just(UTC)),
)
def test_arbitrary_readings_give_the_same_reading(
    energy: int, voltage: Decimal, moment: datetime
) -> None:
    reading = Reading(
        meter_id="M1",
        meter_time=moment,
        energy_import_wh=energy,
        voltage_l1_v=voltage,
        extra={"1-0:1.6.0": Register(Decimal("1.5"), "kW")} if energy % 2 else {},
    )
    same(reading_payload(reading).encode())
