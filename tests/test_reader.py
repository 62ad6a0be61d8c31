"""The reader around the clock: fan-out, watchdog, reconnects after faults, garbage on the line."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

import hanport
from hanport.hub import Hub
from hanport.model import Reading
from hanport.reader import Backoff, ReaderState, read_meter
from hanport.serve import open_pty, serve_pty
from hanport.simulator import HomeSimulator
from hanport.transport import Source, parse_source

START = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def telegrams(seed: int, count: int) -> list[bytes]:
    simulator = HomeSimulator(seed=seed, start=START)
    return [simulator.next_telegram() for _ in range(count)]


def reading(index: int, seed: int = 1) -> Reading:
    return hanport.decode(b"".join(telegrams(seed, index + 1)))[index]


def test_hub_gives_every_sink_every_reading_and_drops_only_for_a_slow_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = Hub()
    fast = hub.subscribe("fast")
    slow = hub.subscribe("slow", size=3)
    items = [reading(i) for i in range(6)]

    async def scenario() -> tuple[list[Reading], list[Reading]]:
        for item in items:
            hub.publish(item)
        got_fast = [await fast.get() for _ in range(6)]
        got_slow = [await slow.get() for _ in range(3)]
        return got_fast, got_slow

    with caplog.at_level(logging.INFO, logger="hanport.hub"):
        got_fast, got_slow = asyncio.run(scenario())
    assert got_fast == items
    assert got_slow == items[3:]
    assert slow.dropped == 3
    assert fast.dropped == 0
    assert hub.latest == items[-1]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "slow sink is not keeping up" in warnings[0].getMessage()
    assert any("caught up (3 readings dropped)" in r.getMessage() for r in caplog.records)


def test_backoff_doubles_up_to_a_bound_and_resets() -> None:
    backoff = Backoff(1, 8)
    assert [backoff.next() for _ in range(6)] == [1, 2, 4, 8, 8, 8]
    backoff.reset()
    assert backoff.next() == 1


async def serve(handler: Handler) -> tuple[asyncio.Server, Source]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    return server, Source("tcp", "127.0.0.1", server.sockets[0].getsockname()[1])


async def collect(
    source: Source, state: ReaderState, count: int, interval_s: float = 10.0
) -> list[Reading]:
    hub = Hub()
    subscription = hub.subscribe("test")
    task = asyncio.create_task(
        read_meter(
            source, hanport.Decoder(), hub, state, interval_s=interval_s, backoff=Backoff(0.05)
        )
    )
    try:
        got = [await asyncio.wait_for(subscription.get(), 10) for _ in range(count)]
        assert all(item.received_at is not None for item in got)  # stamped at the I/O edge
        return [replace(item, received_at=None) for item in got]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def test_reconnects_when_the_connection_drops() -> None:
    """Each connection sends two telegrams and hangs up: a cable pulled and plugged back."""
    frames = telegrams(9, 6)
    connections = 0

    async def handler(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        start = 2 * connections
        connections += 1
        writer.write(b"".join(frames[start : start + 2]))
        await writer.drain()
        writer.close()

    state = ReaderState("test")

    async def scenario() -> list[Reading]:
        server, source = await serve(handler)
        async with server:
            return await collect(source, state, 6)

    got = asyncio.run(scenario())
    assert got == hanport.decode(b"".join(frames))
    assert state.reconnects >= 2
    assert state.readings == 6
    assert state.last_error is not None
    assert "closed the connection" in state.last_error


def test_watchdog_reconnects_a_silent_source() -> None:
    """The first connection stays silent; the watchdog gives up on it after 3 intervals."""
    connections = 0

    async def handler(client: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        if connections > 1:
            writer.write(telegrams(3, 1)[0])
            await writer.drain()
        await client.read()  # until the reader hangs up
        writer.close()

    state = ReaderState("test")

    async def scenario() -> list[Reading]:
        server, source = await serve(handler)
        async with server:
            return await collect(source, state, 1, interval_s=0.1)

    assert asyncio.run(scenario()) == [reading(0, seed=3)]
    assert connections >= 2
    assert state.reconnects >= 1
    assert state.last_error is not None
    assert "No verified reading" in state.last_error


def test_garbage_and_half_telegrams_lose_nothing_verified() -> None:
    frames = telegrams(4, 3)
    line = b"\x00\xffnoise" + frames[0][:300] + b"\r\n" + frames[1] + b"garbage" + frames[2]

    async def handler(client: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for start in range(0, len(line), 97):
            writer.write(line[start : start + 97])
            await writer.drain()
        await client.read()  # until the reader hangs up
        writer.close()

    state = ReaderState("test")

    async def scenario() -> list[Reading]:
        server, source = await serve(handler)
        async with server:
            return await collect(source, state, 2)

    assert asyncio.run(scenario()) == hanport.decode(frames[1] + frames[2])
    assert state.readings == 2


def test_a_pulled_serial_cable_is_reported_not_fatal(tmp_path: Path) -> None:
    master, pty_path = open_pty()
    path = str(tmp_path / "ttyUSB-meter")  # a stable name, as /dev/serial/by-id gives
    os.symlink(pty_path, path)
    state = ReaderState(path)

    async def scenario() -> None:
        hub = Hub()
        subscription = hub.subscribe("test")
        source = parse_source(path)
        task = asyncio.create_task(
            read_meter(source, hanport.Decoder(), hub, state, backoff=Backoff(0.05))
        )
        await asyncio.sleep(0.5)
        writer = asyncio.create_task(serve_pty(master, HomeSimulator(seed=2), 20.0, 0))
        await asyncio.wait_for(subscription.get(), 10)
        writer.cancel()
        os.close(master)  # the cable is pulled; its link goes, so a reused pty number is not found
        os.unlink(path)
        for _ in range(500):
            if state.status != "connected":
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # and it keeps trying
        assert not task.done()
        task.cancel()
        await asyncio.gather(task, writer, return_exceptions=True)

    asyncio.run(scenario())
    assert state.readings >= 1
    assert state.status in ("reconnecting", "stale")
    assert state.last_error is not None
    assert path in state.last_error
