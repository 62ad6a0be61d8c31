"""Compact blocks of readings: exact round trips and the size that makes a meter-year small
(older formats: test_block_formats.py)."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_samples import samples_root_or_skip

import hanport
from hanport.model import Reading, Register
from hanport.sim.home import HomeSimulator
from hanport.store.blocks import BlockError, block_header, decode_block, encode_block


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
    # the budget is 150 MB for 3.15 M readings (47 bytes each, with SQLite and rollups); the
    # first format took 16.2 bytes a reading of this day
    assert per_reading < 12, per_reading


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


def test_every_sample_reading_round_trips() -> None:
    readings: list[Reading] = []
    for path in sorted(samples_root_or_skip().glob("*/*")):
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
    with pytest.raises(BlockError, match="written by a newer hanport"):
        decode_block(b"\x09" + block[1:])
    with pytest.raises(BlockError, match="damaged"):
        decode_block(block[:1] + zlib.compress(b"\x05garbage"))
    with pytest.raises(BlockError, match="damaged"):
        decode_block(block + b"\x00")
    with pytest.raises(BlockError, match="damaged"):
        decode_block(b"")
    assert BlockError("store.block_damaged", error="x").text("et").startswith("Üks salvestatud")


def test_a_field_of_a_newer_hanport_is_refused_not_dropped() -> None:
    import json as json_module

    block = encode_block(day_of_readings(count=3))
    header = block_header(block)
    header["f"][0][0] = "power_import_kvar"
    with pytest.raises(BlockError, match="a field this hanport does not know"):
        decode_block(with_header(block, json_module.dumps(header).encode()))


def with_header(block: bytes, header: bytes) -> bytes:
    """The block with another header (format 3: version, varint length, zlib header, rest)."""
    size, shift, pos = 0, 0, 1
    while True:
        byte = block[pos]
        pos += 1
        size |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            break
    head = zlib.compress(header)
    length = bytearray()
    value = len(head)
    while value >= 0x80:
        length.append(value & 0x7F | 0x80)
        value >>= 7
    length.append(value)
    return bytes([block[0]]) + bytes(length) + head + block[pos + size :]


# ------------------------------------------- Decimal power and energy; unverified readings

OLD_BLOCK = bytes.fromhex(
    "01789cdbcf58ad54a66465a8a394a76465a4a354959f975aac6455ad949b5a925a145f92999baa64151d9d"
    "579a93a363141baba354949a9c9a59969a129f58029488add5512a49ad2841d2929902d2a0e46de1eaae04"
    "d10211cfcd4f49cd41360ba815a8b32811acbc3a46c940d7c0cad24ccfd044cf20062866a403560822626b"
    "95740c6375203a0d4146162426672b5929152ad53232a08103feec2c1e6c0c0dd366a0cb6005e8faafb143"
    "6856a2740f3f801e1e1f3950c5ff4301bdec67097200d36cb4b29042000085784afa"
)
"""Two readings, as the block format before Decimal power and the verified flag wrote them."""


def test_blocks_written_before_still_decode() -> None:
    first, second = decode_block(OLD_BLOCK)
    assert first.power_import_w == 2006
    assert type(first.power_import_w) is int
    assert first.voltage_l1_v == Decimal("228.9")
    assert first.extra == {"0-0:96.14.0": Register(2)}
    assert second.energy_import_wh == 4215306
    assert first.verified
    assert second.verified
    assert decode_block(encode_block([first, second])) == [first, second]  # now in format 3


def test_decimal_power_and_energy_round_trip_exactly() -> None:
    readings = [
        Reading(power_import_w=Decimal("2124.86"), energy_import_wh=Decimal("12345678.9012")),
        Reading(power_import_w=2125, energy_import_wh=12345679),  # ints among Decimals
        Reading(power_import_w=Decimal("1234.0"), power_export_w=Decimal("-0.5")),
        Reading(power_import_w=None, energy_import_wh=Decimal("1E+3")),
    ]
    block = encode_block(readings)
    back = decode_block(block)
    assert back == readings
    for got, want in zip(back, readings, strict=True):
        for name in ("power_import_w", "power_export_w", "energy_import_wh"):
            assert type(getattr(got, name)) is type(getattr(want, name))
            assert str(getattr(got, name)) == str(getattr(want, name))
    assert block[0] == 3  # an older hanport refuses it instead of misreading the columns
    kinds = {entry[0]: entry[1] for entry in block_header(block)["f"]}
    assert kinds == {"power_import_w": "d", "power_export_w": "d", "energy_import_wh": "d"}


def test_unverified_readings_round_trip() -> None:
    readings = [Reading(power_import_w=1), Reading(power_import_w=2, verified=False)] * 3
    block = encode_block(readings)
    back = decode_block(block)
    assert [r.verified for r in back] == [True, False] * 3
    assert block_header(block)["ok"] == [[True, 1], [False, 1]] * 3
    assert "ok" not in block_header(encode_block([Reading(power_import_w=1)]))


decimal_power = (
    st.none()
    | st.integers(-(2**40), 2**40)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(decimal_power, decimal_power, st.booleans()), max_size=40))
def test_arbitrary_power_of_either_type_round_trips(
    rows: list[tuple[int | Decimal | None, int | Decimal | None, bool]],
) -> None:
    readings = [Reading(power_import_w=a, energy_import_wh=b, verified=v) for a, b, v in rows]
    back = decode_block(encode_block(readings))
    assert back == readings
    assert [(type(r.power_import_w), type(r.energy_import_wh)) for r in back] == [
        (type(r.power_import_w), type(r.energy_import_wh)) for r in readings
    ]
    assert [str(r.power_import_w) for r in back] == [str(r.power_import_w) for r in readings]
