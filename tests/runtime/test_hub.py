"""The hub: every subscription gets every reading in order, drops its own oldest when it falls
behind, and ends after the readings it holds when the hub closes."""

from __future__ import annotations

import asyncio

import pytest

from hanport.model import Reading
from hanport.runtime.hub import EndOfReadings, Hub


def _reading(n: int) -> Reading:
    return Reading(power_import_w=n)


def test_each_subscription_gets_each_reading_in_order() -> None:
    hub = Hub()
    first, second = hub.subscribe("a"), hub.subscribe("b")
    for n in range(3):
        hub.publish(_reading(n))
    assert [r.power_import_w for r in first.drain()] == [0, 1, 2]
    assert [r.power_import_w for r in second.drain()] == [0, 1, 2]
    assert hub.latest == _reading(2)


def test_a_slow_subscription_drops_its_own_oldest_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = Hub()
    slow, other = hub.subscribe("slow", 2), hub.subscribe("other", 10)
    for n in range(5):
        hub.publish(_reading(n))
    assert [r.power_import_w for r in slow.drain()] == [3, 4]
    assert slow.dropped == 3
    assert len(other.drain()) == 5
    assert sum("not keeping up" in record.message for record in caplog.records) == 1


def test_closing_ends_each_subscription_after_what_it_holds() -> None:
    async def scenario() -> list[object]:
        hub = Hub()
        readings = hub.subscribe("sink")
        hub.publish(_reading(1))
        hub.publish(_reading(2))
        hub.close()
        hub.publish(_reading(3))  # after the close: for nobody
        got: list[object] = [r.power_import_w async for r in readings]
        with pytest.raises(EndOfReadings):
            await readings.get()
        assert readings.pending() == 0
        assert readings.closed
        return got

    assert asyncio.run(scenario()) == [1, 2]


def test_a_waiting_sink_wakes_up_at_the_close() -> None:
    async def scenario() -> bool:
        hub = Hub()
        readings = hub.subscribe("sink")
        waiting = asyncio.create_task(readings.get())
        await asyncio.sleep(0)
        hub.close()
        with pytest.raises(EndOfReadings):
            await asyncio.wait_for(waiting, 2)
        return True

    assert asyncio.run(scenario())
