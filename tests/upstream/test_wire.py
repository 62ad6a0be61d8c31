"""The wire format, version 1: a reading survives the trip exactly; anything else is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from upstream_gateway import meter_readings

from hanport.model import Register
from hanport.upstream.wire import (
    WireError,
    ack_payload,
    ack_topic,
    parse_ack,
    parse_reading,
    reading_payload,
    reading_topic,
    split_subject,
)


def test_a_reading_comes_back_exactly() -> None:
    reading = meter_readings(3)[2]
    extra = {"0-0:96.14.0": Register(2, None), "1-0:99.97.0": Register("log", None)}
    reading = replace(reading, extra=extra, energy_export_wh=Decimal("812044.25"))
    back = parse_reading(reading_payload(reading).encode())
    assert back == reading
    assert isinstance(back.voltage_l1_v, Decimal)
    assert back.energy_export_wh == Decimal("812044.25")


def test_a_meter_without_a_clock_sends_its_received_time() -> None:
    reading = replace(meter_readings(1)[0], meter_time=None)
    assert parse_reading(reading_payload(reading).encode()).meter_time == reading.received_at


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"[1]", "upstream.wire_json"),
        (b"{", "upstream.wire_json"),
        (b'{"power_import_w": 1}', "upstream.wire_meter_time"),
        (b'{"meter_time": "2026-01-10T08:00:00"}', "upstream.wire_value"),
        (b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": "12"}', "upstream.wire_value"),
        (b'{"meter_time": "2026-01-10T08:00:00Z", "power_import_w": true}', "upstream.wire_value"),
        (b'{"meter_time": "2026-01-10T08:00:00Z", "voltage_l1_v": NaN}', "upstream.wire_json"),
        (b'{"meter_time": "2026-01-10T08:00:00Z", "evil": 1}', "upstream.wire_field"),
        (b'{"meter_time": "2026-01-10T08:00:00Z", "verified": true}', "upstream.wire_value"),
        (b'{"meter_time": "2026-01-10T08:00:00Z", "extra": {"x": 1}}', "upstream.wire_value"),
    ],
)
def test_a_bad_payload_is_one_sentence(payload: bytes, code: str) -> None:
    with pytest.raises(WireError) as caught:
        parse_reading(payload)
    assert caught.value.code == code
    assert str(caught.value).endswith(".")


def test_topics_and_subjects() -> None:
    assert reading_topic("home-1", "LGF_1") == "hanport/v1/home-1/LGF_1/reading"
    assert ack_topic("home-1") == "hanport/v1/home-1/ack"
    assert split_subject("hanport.v1.home-1.LGF_1.reading") == ("home-1", "LGF_1")
    for bad in ("hanport.v1.home.reading", "hanport.v2.a.b.reading", "hanport.v1.a.b.state"):
        with pytest.raises(WireError):
            split_subject(bad)


def test_an_ack_names_each_meter_s_watermark() -> None:
    moment = datetime(2026, 1, 10, 6, 0, 10, tzinfo=UTC)
    assert parse_ack(ack_payload({"m1": moment})) == {"m1": moment}
    for bad in (b'{"v": 2, "meters": {}}', b'{"v": 1}', b'{"v": 1, "meters": {"m": 5}}', b"x"):
        with pytest.raises(WireError):
            parse_ack(bad)
