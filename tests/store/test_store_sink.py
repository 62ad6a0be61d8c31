"""The storage sink: batched commits, nothing lost at shutdown, a failing disk survived."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import hanport
from hanport.cli.main import main
from hanport.model import Reading
from hanport.runtime.hub import Hub
from hanport.sim.home import HomeSimulator, serial_number
from hanport.store.sink import run_store_sink
from hanport.store.sqlite import SqliteStore

FOREVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
METER = "91234567"  # one meter, whichever seed simulates its household


def simulated(count: int, seed: int = 6) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=datetime(2026, 1, 10, tzinfo=UTC), meter_id=METER)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(count)))


class FlakyStore:
    """Refuses the first `failures` writes like a full disk, then accepts."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.written: list[Reading] = []
        self.attempts: list[int] = []

    def write(self, readings: Sequence[Reading]) -> None:
        self.attempts.append(len(readings))
        if self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database or disk is full")
        self.written += readings


async def feed_and_stop(
    store: object,
    readings: list[Reading],
    settled: Callable[[], bool] = lambda: True,
    language: str = "en",
    **options: int | float,
) -> None:
    hub = Hub(language)
    sink = asyncio.create_task(
        run_store_sink(hub.subscribe("storage"), store, commit_every_s=0.02, **options)  # type: ignore[arg-type]
    )
    for reading in readings:
        hub.publish(reading)
        await asyncio.sleep(0.001)
    await asyncio.sleep(0.1)
    for _ in range(500):  # a loaded machine commits later than planned
        if settled():
            break
        await asyncio.sleep(0.01)
    later = HomeSimulator(seed=9, start=datetime(2026, 2, 1, tzinfo=UTC), meter_id=METER)
    hub_tail = hanport.decode(b"".join(later.next_telegram() for _ in range(3)))
    for reading in hub_tail:  # published right before shutdown: still stored
        hub.publish(reading)
    sink.cancel()
    await asyncio.gather(sink, return_exceptions=True)


def test_everything_is_stored_including_what_arrived_last(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db", ZoneInfo("Europe/Tallinn"))
    readings = simulated(40)
    asyncio.run(feed_and_stop(store, readings))
    stored = store.readings(METER, *FOREVER)
    assert len(stored) == 43
    assert readings[0] in stored
    assert readings[-1] in stored
    store.close()


def test_a_full_disk_is_said_once_and_nothing_is_lost(caplog: pytest.LogCaptureFixture) -> None:
    store = FlakyStore(failures=3)
    readings = simulated(30)
    with caplog.at_level(logging.INFO, logger="hanport.store.sink"):
        asyncio.run(feed_and_stop(store, readings, lambda: len(store.written) >= 30))
    assert store.written[:30] == readings
    assert len(store.written) == 33
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "Cannot write to the database (database or disk is full)" in errors[0].getMessage()
    assert any("accepts writes again" in r.getMessage() for r in caplog.records)


def test_the_sink_speaks_the_language_of_its_subscription(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = FlakyStore(failures=2)
    readings = simulated(10)
    with caplog.at_level(logging.INFO, logger="hanport.store.sink"):
        asyncio.run(feed_and_stop(store, readings, lambda: len(store.written) >= 10, "et"))
    said = [r.getMessage() for r in caplog.records]
    assert said[0].startswith("Andmebaasi ei saa kirjutada (database or disk is full);")
    assert any(line.startswith("Andmebaas võtab kirjutamisi jälle vastu;") for line in said)


def test_the_memory_buffer_is_bounded() -> None:
    store = FlakyStore(failures=1000)
    asyncio.run(feed_and_stop(store, simulated(30), max_buffered=10))
    assert store.written == []  # still failing at shutdown
    assert store.attempts
    assert max(store.attempts) == 10  # never more than the bound held in memory


def test_run_keeps_every_reading_in_the_database(tmp_path: Path) -> None:
    database = tmp_path / "run.db"
    os.environ["HANPORT_DATABASE"] = str(database)  # restored by the autouse fixture
    source = "sim://?speed=max&seed=2&start=2026-01-10T02:00%2B02:00"
    assert main(["run", "--source", source, "--count", "5"]) == 0
    store = SqliteStore(database, ZoneInfo("Europe/Tallinn"))
    stored = store.readings(serial_number(2), *FOREVER)
    assert len(stored) >= 5
    simulator = HomeSimulator(seed=2, start=datetime(2026, 1, 10, tzinfo=UTC))
    expected = hanport.decode(b"".join(simulator.next_telegram() for _ in range(5)))
    assert [replace_received(r) for r in stored[:5]] == expected
    store.close()


def replace_received(reading: Reading) -> Reading:
    from dataclasses import replace

    return replace(reading, received_at=None)


def test_old_readings_are_pruned_from_the_sink() -> None:
    calls: list[int] = []

    async def scenario() -> None:
        hub = Hub()
        sink = asyncio.create_task(
            run_store_sink(
                hub.subscribe("storage"),
                FlakyStore(0),
                commit_every_s=0.01,
                prune=lambda: calls.append(1),
            )
        )
        hub.publish(simulated(1)[0])
        for _ in range(500):
            if calls:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # many commits later: still only the first prune
        sink.cancel()
        await asyncio.gather(sink, return_exceptions=True)

    asyncio.run(scenario())
    assert calls == [1]  # once at start, then hourly


def test_a_really_full_database_buffers_and_recovers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite itself says 'database or disk is full' (page limit), then gets room again."""
    store = SqliteStore(tmp_path / "full.db", ZoneInfo("Europe/Tallinn"))
    store.write(simulated(5, seed=1))
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    later = HomeSimulator(seed=2, start=datetime(2026, 3, 1, tzinfo=UTC), meter_id=METER)
    readings = hanport.decode(b"".join(later.next_telegram() for _ in range(2000)))

    async def scenario() -> None:
        hub = Hub()
        sink = asyncio.create_task(
            run_store_sink(hub.subscribe("storage", 5000), store, commit_every_s=0.02)
        )
        for reading in readings:
            hub.publish(reading)
        for _ in range(500):  # commits fail: the disk is full
            if "Cannot write to the database" in caplog.text:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # and fail again, said only once
        store._db.execute("PRAGMA max_page_count = 1073741823")  # room again
        for _ in range(500):
            if "accepts writes again" in caplog.text:
                break
            await asyncio.sleep(0.01)
        sink.cancel()
        await asyncio.gather(sink, return_exceptions=True)

    with caplog.at_level(logging.INFO, logger="hanport.store.sink"):
        asyncio.run(scenario())
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "database or disk is full" in errors[0]
    window = (datetime(2026, 2, 28, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC))
    assert store.readings(METER, *window) == readings
    store.close()
