"""`sim://?scenario=voltage`: the simulator's telegrams, decoded, give the hand-computed 10-min
means and weekly percentages of the scenario (a sag, an overvoltage day from PV, a broken
neutral, a gap)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from hanport import decode
from hanport.model import Reading
from hanport.quality import Analysis, Method, analyse
from hanport.sim.voltage import TALLINN
from hanport.sources.transport import SourceError, open_stream, parse_source

MONDAY = datetime(2026, 3, 2, tzinfo=TALLINN)
WEEK = "sim://?scenario=voltage&start=2026-03-02T00:00&speed=max&count=60480"


async def _bytes(url: str) -> bytes:
    chunks = []
    async with contextlib.aclosing(open_stream(parse_source(url))) as stream:
        async for chunk in stream:
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture(scope="module")
def readings() -> list[Reading]:
    return decode(asyncio.run(_bytes(WEEK)))


@pytest.fixture(scope="module")
def week(readings: list[Reading]) -> Analysis:
    samples = [(r.meter_time, r.voltage_l1_v, r.voltage_l2_v, r.voltage_l3_v) for r in readings]
    return analyse(samples, MONDAY + timedelta(days=7), Method())  # type: ignore[arg-type]


def test_the_meter_sends_nothing_in_the_gap(readings: list[Reading]) -> None:
    assert len(readings) == 60480 - 20  # Wednesday 03:00:00–03:03:10
    gap = [r for r in readings if r.meter_time is not None
           and MONDAY + timedelta(days=2, hours=3) <= r.meter_time
           < MONDAY + timedelta(days=2, hours=3, minutes=10)]  # fmt: skip
    assert len(gap) == 40


def _mean(week: Analysis, day: int, clock: str, phase: int) -> Decimal | None:
    hour, minute = map(int, clock.split(":"))
    start = (MONDAY + timedelta(days=day)).replace(hour=hour, minute=minute)
    (window,) = [w for w in week.windows if w.start == start]
    return window.phases[phase - 1].mean_v


@pytest.mark.parametrize(
    ("day", "clock", "phase", "mean"),
    [
        (0, "12:00", 1, "231.00"),  # the base: the ripple sums to zero over six readings
        (1, "18:10", 2, "200.00"),  # the sag
        (1, "18:30", 2, "193.00"),  # below 195.5 V
        (3, "12:00", 1, "255.00"),  # the PV day
        (5, "20:00", 1, "236.00"),  # broken neutral: (12 × 268 + 48 × 228) / 60
        (5, "20:00", 3, "219.20"),  # (12 × 188 + 48 × 227) / 60
    ],
)
def test_ten_minute_means_are_the_hand_computed_ones(
    week: Analysis, day: int, clock: str, phase: int, mean: str
) -> None:
    assert _mean(week, day, clock, phase) == Decimal(mean)


def test_weekly_percentages_are_the_hand_computed_ones(week: Analysis) -> None:
    (figures,) = week.weeks
    l1, l2, l3 = figures.phases
    assert (l1.complete, l1.incomplete) == (1007, 1)  # the gap's window has 40 of 60
    assert l1.within_band == 1007 - 24  # Thursday 11:00–15:00 at 255 V
    assert l1.within_wide == 1007 - 24
    assert l1.band_pct == Decimal("97.61")  # 983 / 1007 = 97.617 %, rounded down
    assert l1.at_trip == 24 * 60 + 12  # those four hours, and the broken neutral's 268 V
    assert l2.within_band == 1007 - 4  # three means at 200 V, one at 193 V
    assert l2.within_wide == 1007 - 1
    assert l2.band_pct == Decimal("99.60")  # 1003 / 1007 = 99.602 %
    assert l3.within_band == l3.within_wide == 1007
    settings = Method().settings
    assert figures.verdict(1, settings) == "fail"  # 97.6 % ≥ 95 %, but 24 means above 253 V
    assert figures.verdict(2, settings) == "fail"  # 99.6 % ≥ 95 %, but one below 195.5 V
    assert figures.verdict(3, settings) == "pass"


def test_the_events_of_the_week(week: Analysis) -> None:
    kinds = {(e.kind, e.phases) for e in week.events}
    assert ("undervoltage", (2,)) in kinds
    assert ("overvoltage", (1,)) in kinds
    assert ("broken_neutral", (1, 3)) in kinds
    (neutral,) = [e for e in week.events if e.kind == "broken_neutral"]
    assert neutral.start == MONDAY + timedelta(days=5, hours=20)
    assert neutral.count == 12


def test_an_unknown_scenario_is_one_sentence() -> None:
    with pytest.raises(SourceError) as raised:
        parse_source("sim://?scenario=storm")
    assert "storm" in str(raised.value)
    assert "voltage" in str(raised.value)


def test_hanport_simulate_serves_the_scenario() -> None:
    import socket
    import subprocess
    import sys

    from hanport.sources.transport import Source

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "hanport", "simulate", "--tcp", str(port), "--speed", "max",
               "--start", "2026-03-05T12:00", "--scenario", "voltage", "--count", "6"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert f"tcp://127.0.0.1:{port}" in process.stdout.readline()

        async def six() -> bytes:
            data = b""
            async with contextlib.aclosing(open_stream(Source("tcp", "127.0.0.1", port))) as s:
                async for chunk in s:
                    data += chunk
            return data

        readings = decode(asyncio.run(six()))
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
    assert len(readings) == 6
    assert {r.voltage_l1_v for r in readings} >= {Decimal("255.3"), Decimal("254.7")}  # PV day
