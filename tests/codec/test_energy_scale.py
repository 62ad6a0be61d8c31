"""Kamstrup energy: Wh in Sweden, 10 Wh in Norway, the same list. The multiplier is learnt per
meter from the power the lists report; until then the registers are in no field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from encoder import (
    LLC,
    cosem_clock,
    data_notification,
    double_long_unsigned,
    hdlc_frame,
    mbus_frames,
    obis,
    octet_string,
    structure,
    visible_string,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hanport
from hanport.codec.energy_scale import MIN_EVIDENCE_WH
from hanport.model import Reading, Register, Rejected
from hanport.store.rollups import rollups

START = datetime(2024, 1, 15, 10, 0, 0, tzinfo=UTC)
METER = "5706567000000000"


def kamstrup_list(
    moment: datetime,
    watts: int,
    energy: int | None = None,
    *,
    meter: str = METER,
    clock: bool = True,
) -> bytes:
    """A Kamstrup_V0001 push: power always, energy registers (raw, no scaler) when given."""
    items = [
        visible_string("Kamstrup_V0001"),
        obis("1-1:0.0.5"),
        octet_string(meter.encode()),
        obis("1-1:1.7.0"),
        double_long_unsigned(watts),
        obis("1-1:2.7.0"),
        double_long_unsigned(0),
    ]
    if energy is not None:
        items += [
            obis("1-1:1.8.0"),
            double_long_unsigned(energy),
            obis("1-1:2.8.0"),
            double_long_unsigned(0),
        ]
    stamp = None
    if clock:
        local = (moment + timedelta(hours=1)).replace(tzinfo=None)  # CET, deviation −60
        stamp = cosem_clock(local, deviation=-60, status=0)
    return data_notification(structure(items), clock=stamp)


class Meter:
    """A meter drawing `watts` (a function of the list number), counting true energy exactly
    (the trapezoids between 10-s lists) and showing it in registers of `scale` Wh."""

    def __init__(self, scale: int, initial_wh: int = 12_345_678) -> None:
        self.scale = scale
        self.true_wh = Decimal(initial_wh)
        self.registers: list[int | None] = []
        """The raw energy register each list sent (None: a list without energy)."""

    def lists(self, watts: list[int], energy_every: int, *, step_s: int = 10) -> list[bytes]:
        frames = []
        for number, power in enumerate(watts):
            if number:
                self.true_wh += Decimal(watts[number - 1] + power) * step_s / 2 / 3600
            moment = START + timedelta(seconds=step_s * number)
            energy = int(self.true_wh // self.scale) if number % energy_every == 0 else None
            self.registers.append(energy)
            frames.append(mbus_frames(kamstrup_list(moment, power, energy)))
        return frames

    def check(self, found: list[Reading]) -> None:
        """Each reading has its list's register times the true scale, or keeps it raw."""
        assert len(found) == len(self.registers)
        for reading, register in zip(found, self.registers, strict=True):
            if register is None:
                assert reading.energy_import_wh is None
                assert "1-1:1.8.0" not in reading.extra
            elif reading.energy_import_wh is None:
                assert reading.extra["1-1:1.8.0"] == Register(register, None)
            else:
                assert reading.energy_import_wh == register * self.scale
                assert "1-1:1.8.0" not in reading.extra


def decode_stream(frames: list[bytes]) -> tuple[hanport.Decoder, list[Reading]]:
    decoder = hanport.Decoder(zone="Europe/Oslo")
    found = [item for frame in frames for item in decoder.feed(frame)] + decoder.flush()
    assert all(isinstance(item, Reading) for item in found), found
    return decoder, [item for item in found if isinstance(item, Reading)]


def energy_readings(found: list[Reading]) -> list[Reading]:
    return [r for r in found if "1-1:1.8.0" in r.extra or r.energy_import_wh is not None]


@pytest.mark.parametrize("scale", [1, 10])
def test_hourly_energy_lists_teach_the_scale(scale: int) -> None:
    """Norwegian style: power every 10 s, energy once an hour (1 kW: 1000 Wh between them)."""
    meter = Meter(scale)
    decoder, found = decode_stream(meter.lists([1000] * 721, energy_every=360))
    meter.check(found)
    first, second, third = energy_readings(found)
    assert first.energy_import_wh is None  # one list alone cannot tell
    assert second.energy_import_wh is not None  # the hour's power integral decided
    assert third.energy_import_wh is not None
    assert third.energy_import_wh - second.energy_import_wh == pytest.approx(1000, abs=scale)
    assert decoder.stats.energy_scales == {METER: scale}


@pytest.mark.parametrize("scale", [1, 10])
def test_energy_in_every_list_teaches_the_scale(scale: int) -> None:
    """Danish style: energy in every 10-s list; 3 kW gives 100 Wh after two minutes."""
    meter = Meter(scale)
    decoder, found = decode_stream(meter.lists([3000] * 60, energy_every=1))
    meter.check(found)
    unknown = [r for r in found if r.energy_import_wh is None]
    assert 12 <= len(unknown) <= 20  # until about MIN_EVIDENCE_WH had passed
    assert all(r.energy_import_wh is not None for r in found[len(unknown) :])
    assert decoder.stats.energy_scales == {METER: scale}


def test_too_little_energy_decides_nothing_yet() -> None:
    frames = Meter(10).lists([30] * 2161, energy_every=360)
    decoder, found = decode_stream(frames[:721])
    assert all(r.energy_import_wh is None for r in found)  # 60 Wh in two hours: too little
    assert decoder.stats.energy_scales == {}
    for frame in frames[721:]:  # hours 2–6: the evidence adds up over the hours
        decoder.feed(frame)
    assert decoder.stats.energy_scales == {METER: 10}


def test_a_gap_in_the_power_lists_is_no_evidence() -> None:
    """100 s without lists: the integral over that hour would miss energy, so only the next
    hour, seen whole, decides."""
    meter = Meter(10)
    frames = meter.lists([2000] * 721, energy_every=360)
    del frames[100:110], meter.registers[100:110]
    decoder, found = decode_stream(frames)
    meter.check(found)
    first, second, third = energy_readings(found)
    assert first.energy_import_wh is None
    assert second.energy_import_wh is None
    assert third.energy_import_wh is not None
    assert decoder.stats.energy_scales == {METER: 10}


def test_energy_that_fits_neither_scale_decides_nothing() -> None:
    """The register grew by 3× the power integral: neither 1 nor 10 fits within 30 %."""
    frames = [
        mbus_frames(kamstrup_list(START + timedelta(seconds=10 * n), 1000, energy))
        for n, energy in ((0, 1000), *((n, None) for n in range(1, 360)), (360, 4000))
    ]
    decoder, found = decode_stream(frames)
    assert all(r.energy_import_wh is None for r in found)
    assert decoder.stats.energy_scales == {}


def test_without_a_clock_nothing_is_learnt() -> None:
    frames = [
        mbus_frames(kamstrup_list(START, 3000, 1000 + n, clock=False)) for n in range(0, 400, 10)
    ]
    decoder, found = decode_stream(frames)
    assert all(r.energy_import_wh is None for r in found)
    assert decoder.stats.energy_scales == {}


def test_the_time_received_serves_when_the_list_has_no_clock() -> None:
    decoder = hanport.Decoder(zone="Europe/Oslo")
    true_wh = Decimal(500_000)
    for n in range(40):
        if n:
            true_wh += Decimal(3000) * 10 / 3600
        frame = mbus_frames(kamstrup_list(START, 3000, int(true_wh // 10), clock=False))
        decoder.feed(frame, received_at=START + timedelta(seconds=10 * n))
    assert decoder.stats.energy_scales == {METER: 10}


def test_configured_scale_is_used_at_once() -> None:
    decoder = hanport.Decoder(zone="Europe/Oslo", energy_scale=10)
    (reading,) = decoder.feed(mbus_frames(kamstrup_list(START, 1000, 8582328)))
    assert isinstance(reading, Reading)
    assert reading.energy_import_wh == 85823280
    assert decoder.stats.energy_scales == {METER: 10}


def test_the_scale_is_kept_per_meter_and_across_a_reconnect() -> None:
    meter = Meter(10)
    decoder, _ = decode_stream(meter.lists([3000] * 60, energy_every=1))
    assert decoder.stats.energy_scales == {METER: 10}
    decoder.reset()
    (known,) = decoder.feed(mbus_frames(kamstrup_list(START, 1, 100)))
    assert isinstance(known, Reading)
    assert known.energy_import_wh == 1000
    (other,) = decoder.feed(mbus_frames(kamstrup_list(START, 1, 100, meter="5706567000000001")))
    assert isinstance(other, Reading)
    assert other.energy_import_wh is None
    assert other.extra["1-1:1.8.0"] == Register(100, None)


def test_lists_without_energy_have_nothing_to_learn() -> None:
    decoder = hanport.Decoder()
    (item,) = decoder.feed(hdlc_frame(LLC + kamstrup_list(START, 1, None)))
    assert isinstance(item, Reading)
    assert item.power_import_w == 1
    assert decoder.stats.energy_scales == {}


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    scale=st.sampled_from([1, 10]),
    base=st.integers(300, 9000),
    swings=st.lists(st.integers(-250, 250), min_size=40, max_size=40),
    every=st.sampled_from([1, 3, 6, 30]),
    initial=st.integers(0, 10**8),
)
def test_synthetic_kamstrup_streams_are_never_mis_scaled(
    scale: int, base: int, swings: list[int], every: int, initial: int
) -> None:
    """Any load, either scale, energy in every list or only in some: an energy value is either
    absent (the register kept raw) or exactly the register times the meter's true scale; the
    scale is found once enough energy has passed; rollups never see a tenfold jump."""
    watts = [max(0, base + swings[n % len(swings)] * (base // 1000 + 1)) for n in range(720)]
    meter = Meter(scale, initial)
    decoder, found = decode_stream(meter.lists(watts, energy_every=every))
    meter.check(found)
    integrated = sum(watts) * 10 / 3600
    if integrated > 3 * MIN_EVIDENCE_WH + max(watts) * 10 * every / 3600:
        assert decoder.stats.energy_scales == {METER: scale}
    step = max(watts) * 10 * every / 3600 + scale + 1
    values = [r.energy_import_wh for r in found if r.energy_import_wh is not None]
    assert all(0 <= b - a <= step for a, b in pairwise(values))
    total = sum(rollup.energy_import_wh for rollup in rollups(found, "1h", UTC))
    assert total <= integrated + 2 * scale


def test_a_rejected_list_does_not_count() -> None:
    decoder = hanport.Decoder(zone="Europe/Oslo")
    bad = bytearray(mbus_frames(kamstrup_list(START, 1000, 100)))
    bad[-2] ^= 0xFF
    (item,) = decoder.feed(bytes(bad))
    assert isinstance(item, Rejected)
