"""Compact blocks of readings: exact round trips and the size that makes a meter-year small."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hanport
from hanport.model import Reading, Register
from hanport.simulator import HomeSimulator
from hanport.store.blocks import BlockError, decode_block, encode_block

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


def day_of_readings(seed: int = 1, count: int = 8640) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=datetime(2026, 6, 10, tzinfo=UTC))
    decoder = hanport.Decoder()
    received = datetime(2026, 6, 10, 0, 0, 1, tzinfo=UTC)
    readings: list[Reading] = []
    for index in range(count):
        stamp = received + timedelta(seconds=10 * index, microseconds=index * 7)
        readings += [
            item
            for item in decoder.feed(simulator.next_telegram(), stamp)
            if isinstance(item, Reading)
        ]
    return readings


def test_a_day_round_trips_exactly_in_a_few_bytes_a_reading() -> None:
    readings = day_of_readings()
    size = 0
    for hour in range(0, len(readings), 360):
        part = readings[hour : hour + 360]
        block = encode_block(part)
        size += len(block)
        assert decode_block(block) == part
    per_reading = size / len(readings)
    # the budget is 150 MB for 3.15 M readings (47 bytes each, with SQLite and rollups)
    assert per_reading < 24, per_reading


def test_exponents_zones_and_offsets_are_kept() -> None:
    tallinn = hanport.decode(HomeSimulator(seed=2).next_telegram())[0]
    fixed = Reading(
        meter_time=datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=3))),
        voltage_l1_v=Decimal("230.10"),
        current_l1_a=Decimal("0E-3"),
        power_factor=Decimal("-0.910"),
        energy_import_wh=10**15,
        power_export_w=-5,
    )
    back = decode_block(encode_block([tallinn, fixed]))
    assert back == [tallinn, fixed]
    assert str(back[1].voltage_l1_v) == "230.10"
    assert str(back[1].current_l1_a) == "0.000"
    assert back[0].meter_time is not None
    assert tallinn.meter_time is not None
    assert back[0].meter_time.tzinfo == tallinn.meter_time.tzinfo
    assert back[1].meter_time is not None
    assert back[1].meter_time.utcoffset() == timedelta(hours=3)


def test_every_extra_register_shape_is_kept() -> None:
    extra = MappingProxyType(
        {
            "0-0:96.14.0": Register(2),
            "0-0:96.13.0": Register("hello"),
            "0-1:24.2.1": Register(
                Decimal("00981.443"), "m3", datetime(2016, 11, 29, 20, tzinfo=UTC)
            ),
            "1-0:99.97.0": Register(
                (Register(3), Register(None, None, datetime(2019, 3, 26, tzinfo=UTC)))
            ),
            "9-9:9.9.9": Register(b"\x00\xff"),
            "1-0:1.6.0": Register(None),
        }
    )
    reading = Reading(meter_id="K8EG", extra=extra)
    assert decode_block(encode_block([reading, Reading()])) == [reading, Reading()]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared samples are not next to the repo")
def test_every_sample_reading_round_trips() -> None:
    readings: list[Reading] = []
    for path in sorted(SAMPLES.glob("*/*")):
        data = path.read_bytes()
        if path.suffix == ".hex":
            data = bytes.fromhex(re.sub(rb"\s", b"", data).decode())
        readings += hanport.decode(data, zone="Europe/Stockholm")
    assert len(readings) > 25
    assert decode_block(encode_block(readings)) == readings


numbers = st.none() | st.integers(-(2**62), 2**62)
decimals = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
    lambda d: d.normalize() if d == 0 else d
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(numbers, numbers, decimals, st.none() | st.text(max_size=8)), max_size=40)
)
def test_arbitrary_values_round_trip(
    rows: list[tuple[int | None, int | None, Decimal | None, str | None]],
) -> None:
    readings = [
        Reading(power_import_w=a, energy_export_wh=b, current_l2_a=c, meter_id=t)
        for a, b, c, t in rows
    ]
    assert decode_block(encode_block(readings)) == readings


def test_a_damaged_block_is_refused() -> None:
    block = encode_block(day_of_readings(count=10))
    with pytest.raises(BlockError, match="damaged"):
        decode_block(block[:1] + block[1:-5])
    with pytest.raises(BlockError, match="another version"):
        decode_block(b"\x09" + block[1:])
    with pytest.raises(BlockError, match="damaged"):
        decode_block(block[:1] + zlib.compress(b"\x05garbage"))
