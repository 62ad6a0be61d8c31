"""The wiring: every sink gets every reading, a failing sink stops only itself, and at the
end each sink gets the rest of its readings and returns, the store having written them all."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hanport.codec.decoder import Decoder
from hanport.model import Reading
from hanport.runtime.hub import Subscription
from hanport.runtime.sink import RuntimeView, Sink
from hanport.runtime.wiring import run_runtime
from hanport.settings.loader import Settings
from hanport.sources.transport import parse_source
from hanport.store.sqlite import SqliteStore

COUNT = 40
SOURCE = f"sim://?start=2026-03-28T00:00&speed=max&count={COUNT}"


class Collecting:
    """A sink that keeps what it gets, and notes that it saw the end."""

    name = "collecting"
    queue_size = 1000

    def __init__(self) -> None:
        self.readings: list[Reading] = []
        self.ended = False
        self.latest_seen: Reading | None = None

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        async for reading in readings:
            self.readings.append(reading)
            self.latest_seen = view.latest
        self.ended = True


class Failing:
    name = "failing"
    queue_size = 10

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        await readings.get()
        raise RuntimeError("a bug in this sink")


def _run(database: Path, sinks: list[Sink], source: str = SOURCE) -> int | None:
    return asyncio.run(
        run_runtime(parse_source(source), Decoder(), Settings(), str(database), sinks, print)
    )


def test_every_sink_gets_every_reading_and_the_store_has_them_all(tmp_path: Path) -> None:
    database = tmp_path / "hanport.db"
    collecting = Collecting()
    assert _run(database, [collecting]) is None  # the source ended: no signal
    assert len(collecting.readings) == COUNT
    assert collecting.ended
    assert collecting.latest_seen is not None
    store = SqliteStore(database, ZoneInfo("Europe/Tallinn"))
    try:
        (info,) = store.meters()
        meter = info.id
        first, last = collecting.readings[0].meter_time, collecting.readings[-1].meter_time
        assert first is not None
        assert last is not None
        stored = store.readings(meter, first, last)
    finally:
        store.close()
    assert len(stored) == COUNT - 1  # [first, last): the end is exclusive


def test_a_failing_sink_is_said_once_and_stops_only_itself(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    collecting = Collecting()
    with caplog.at_level(logging.ERROR):
        _run(tmp_path / "hanport.db", [Failing(), collecting])
    assert len(collecting.readings) == COUNT
    failures = [r.message for r in caplog.records if "failing" in r.message]
    assert len(failures) == 1
    assert "a bug in this sink" in failures[0]


def test_a_signal_stops_it_in_order_and_says_which(tmp_path: Path) -> None:
    collecting = Collecting()

    async def scenario() -> int | None:
        running = asyncio.create_task(
            run_runtime(
                parse_source("sim://?speed=50"),
                Decoder(),
                Settings(),
                str(tmp_path / "hanport.db"),
                [collecting],
                print,
            )
        )
        while not collecting.readings:
            await asyncio.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)
        return await asyncio.wait_for(running, 10)

    assert asyncio.run(scenario()) == signal.SIGTERM
    assert collecting.ended
