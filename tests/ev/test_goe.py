"""go-e over its HTTP API v2, against a fake go-e on loopback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from hanport.ev.goe import GoeCharger, goe_report, set_query

from .fake_goe import FakeGoe
from .helpers import D, at


def test_the_status_becomes_a_report() -> None:
    report = goe_report("drive", FakeGoe().status, at(0))
    assert (report.online, report.vehicle, report.limit_a, report.phases) == (
        True,
        "charging",
        D(16),
        3,
    )
    assert report.current_a == (D("15.9"), D("16.0"), D("15.8"))
    assert (report.power_w, report.session_wh) == (D(10950), D("5321.5"))
    assert report.detail == "go-e go-eCharger_V4 firmware 056.2"
    assert goe_report("d", {"car": 1, "frc": 1, "amp": 10}, at(0)).limit_a == 0


def test_the_set_query() -> None:
    assert set_query(D("13.7"), 3, can_switch=False) == {"amp": "13", "frc": "2"}
    assert set_query(D(10), 1, can_switch=True) == {"amp": "10", "frc": "2", "psm": "1"}
    assert set_query(D(0), 3, can_switch=True) == {"frc": "1"}


async def until(check: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def run_with(
    scenario: Callable[[FakeGoe, GoeCharger], Awaitable[None]], **options: float
) -> FakeGoe:
    fake = FakeGoe()

    async def main() -> None:
        await fake.start()
        charger = GoeCharger("drive", f"127.0.0.1:{fake.port}", can_switch=True, **options)  # type: ignore[arg-type]
        task = asyncio.create_task(charger.run())
        try:
            await scenario(fake, charger)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await fake.stop()

    asyncio.run(main())
    return fake


def test_limits_are_sent_at_once_and_refreshed_as_a_heartbeat() -> None:
    async def scenario(fake: FakeGoe, charger: GoeCharger) -> None:
        await until(lambda: charger.report().online)
        charger.set_limit(D(10), 3, datetime.now(UTC))
        await until(lambda: len(fake.sets) == 1)
        assert fake.sets[0] == {"amp": "10", "frc": "2", "psm": "2"}
        fake.status["amp"] = 32  # someone changed it in the go-e app
        for _ in range(30):  # the controller keeps confirming the same limit
            charger.set_limit(D(10), 3, datetime.now(UTC))
            await asyncio.sleep(0.02)
        await until(lambda: len(fake.sets) >= 2)
        assert fake.status["amp"] == 10
        charger.set_limit(D(0), 3, datetime.now(UTC))
        await until(lambda: fake.sets[-1] == {"frc": "1"})
        await until(lambda: charger.report().limit_a == 0)

    run_with(scenario, poll_s=0.05, refresh_s=0.3)


def test_a_charger_that_stops_answering_goes_offline_and_is_said_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario(fake: FakeGoe, charger: GoeCharger) -> None:
        await until(lambda: charger.report().online)
        fake.down = True
        await until(lambda: not charger.report().online)
        fake.down = False
        await until(lambda: charger.report().online)

    with caplog.at_level(logging.INFO, logger="hanport.ev.goe"):
        run_with(scenario, poll_s=0.05, offline_after_s=0.2)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "does not answer" in warnings[0].getMessage()
    assert "check its address and that its HTTP API v2 is enabled" in warnings[0].getMessage()
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_a_limit_arriving_with_the_stop_does_not_keep_the_charger_running() -> None:
    """asyncio.wait_for in 3.11 swallows a cancel that comes with its event: run() must end."""

    async def main() -> None:
        fake = FakeGoe()
        await fake.start()
        charger = GoeCharger("drive", f"127.0.0.1:{fake.port}", poll_s=5.0)
        task = asyncio.create_task(charger.run())
        await until(lambda: fake.polls >= 1)
        await asyncio.sleep(0.05)  # idle, waiting for a limit or the next poll
        charger.set_limit(D(10), 3, datetime.now(UTC))
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=2)
        await fake.stop()
        assert done

    asyncio.run(main())
