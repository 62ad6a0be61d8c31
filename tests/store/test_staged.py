"""The open hour's staged rows (`hanport.store.staged`): every reading back exactly as a block
gives it back, what a block refuses refused when written, damage reported as a block's."""

from __future__ import annotations

import json
import re
import zlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_samples import samples_root_or_skip

import hanport
from hanport.model import Reading, Register
from hanport.sim.home import HomeSimulator
from hanport.store.blocks import BlockError, decode_block, encode_block
from hanport.store.staged import is_staged, readings_of, stage, unstage
from store.test_blocks import day_of_readings


def same(got: list[Reading], want: list[Reading]) -> None:
    """Equal, and every value of the same type with the same text (exponents, zones)."""
    assert got == want
    for a, b in zip(got, want, strict=True):
        for name, value in a.__dict__.items():
            other = b.__dict__[name]
            assert type(value) is type(other), name
            assert str(value) == str(other), name
            if isinstance(value, datetime):
                assert value.tzinfo == other.tzinfo, name
                assert value.fold == other.fold, name


def test_a_day_comes_back_as_from_a_block() -> None:
    readings = day_of_readings(count=1200)
    data = stage(readings)
    assert data[:1] == b"Z"  # compressed: 1,200 readings
    assert len(data) < len(readings) * 40
    assert stage(readings[:1])[:1] == b"["
    assert is_staged(data)
    assert not is_staged(encode_block(readings))
    same(unstage(data), readings)
    same(unstage(data), decode_block(encode_block(readings)))
    same(readings_of(data), readings_of(encode_block(readings)))


def test_zones_offsets_exponents_extra_and_unverified_readings_are_kept() -> None:
    tallinn = hanport.decode(HomeSimulator(seed=2).next_telegram())[0]
    autumn = datetime(2026, 10, 25, 0, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/Tallinn"))
    extra = MappingProxyType(
        {
            "0-0:96.13.0": Register("hello"),
            "0-1:24.2.1": Register(Decimal("00981.443"), "m3", datetime(2016, 11, 29, tzinfo=UTC)),
            "1-0:99.97.0": Register((Register(3), Register(None, None, autumn))),
            "9-9:9.9.9": Register(b"\x00\xff"),
        }
    )
    readings = [
        tallinn,
        Reading(
            meter_id='K8EG/ä"\\',
            meter_time=datetime(2026, 3, 29, 3, 30, 0, 17, tzinfo=timezone(timedelta(hours=3))),
            received_at=autumn + timedelta(hours=1),  # the second 03:30 (fold 1)
            voltage_l1_v=Decimal("230.10"),
            current_l1_a=Decimal("0E-3"),
            power_factor=Decimal("-0.910"),
            power_import_w=Decimal("1E+3"),
            energy_import_wh=10**30,
            power_export_w=-5,
            extra=extra,
            verified=False,
        ),
        Reading(),
    ]
    same(unstage(stage(readings)), readings)
    same(unstage(stage(readings)), decode_block(encode_block(readings)))


def test_every_sample_reading_comes_back() -> None:
    readings: list[Reading] = []
    for path in sorted(samples_root_or_skip().glob("*/*")):
        data = path.read_bytes()
        if path.suffix == ".hex":
            data = bytes.fromhex(re.sub(rb"\s", b"", data).decode())
        readings += hanport.decode(data, zone="Europe/Stockholm")
    assert len(readings) > 25
    same(unstage(stage(readings)), decode_block(encode_block(readings)))


values = (
    st.none()
    | st.integers(-(2**70), 2**70)
    | st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: d if d else Decimal(0))
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(values, values, values, st.none() | st.text(max_size=8)), max_size=30))
def test_arbitrary_values_come_back_as_from_a_block(
    rows: list[tuple[int | Decimal | None, int | Decimal | None, Decimal | None, str | None]],
) -> None:
    readings = [
        Reading(power_import_w=a, energy_export_wh=b, current_l2_a=c, meter_model=t)
        for a, b, c, t in rows
    ]
    same(unstage(stage(readings)), readings)
    same(unstage(stage(readings)), decode_block(encode_block(readings)))


def test_what_a_block_refuses_is_refused_when_staged() -> None:
    for bad in (Decimal("NaN"), Decimal("Infinity"), Decimal("sNaN")):
        with pytest.raises(ValueError, match="not a number that can be stored"):
            encode_block([Reading(power_import_w=bad)])
        with pytest.raises(ValueError, match="not a number that can be stored"):
            stage([Reading(power_import_w=bad)])
    naive = Reading(meter_time=datetime(2026, 1, 1))
    with pytest.raises(TypeError):
        encode_block([naive])
    with pytest.raises(TypeError):
        stage([naive])


def test_a_damaged_staged_row_is_a_damaged_block() -> None:
    good = json.loads(stage(day_of_readings(count=3)))
    damaged = [
        b"[",
        b"[]",
        b'["s9"]',
        b"Z" + zlib.compress(b'["s1"')[:-2],
        json.dumps([*good[:2], good[2][:-1]]).encode(),
        json.dumps([good[0], [[1, 2, 3], *good[1][1:]]]).encode(),
        json.dumps([good[0], [*good[1][:5], "12x", *good[1][6:]]]).encode(),
    ]
    for data in damaged:
        with pytest.raises(BlockError, match="damaged"):
            readings_of(data)
    assert len(readings_of(json.dumps(good).encode())) == 3
