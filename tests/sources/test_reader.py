"""The reader around the clock: fan-out, watchdog, reconnects after faults, garbage on the line."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

import hanport
from hanport.backoff import Backoff
from hanport.model import Reading
from hanport.runtime.hub import Hub
from hanport.sim.home import HomeSimulator
from hanport.sim.serve import open_pty, serve_pty
from hanport.sources.reader import ReaderState, read_meter
from hanport.sources.transport import Source, parse_source

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

    with caplog.at_level(logging.INFO, logger="hanport.runtime.hub"):
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
            source,
            hanport.Decoder(),
            hub.publish,
            state,
            interval_s=interval_s,
            backoff=Backoff(0.05),
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
            read_meter(source, hanport.Decoder(), hub.publish, state, backoff=Backoff(0.05))
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


def test_a_message_cut_off_by_a_reconnect_is_never_glued_to_the_next() -> None:
    """The first connection ends after the first segment of a segmented HDLC message; the next
    one begins with the last segment of another message (its first was sent while the cable was
    out). Glued, the two would make one valid-looking reading with the power of one message and
    the voltage of the other; the decoder starts afresh on each connection, so it never is."""
    from encoder import LLC, hdlc_frame, hdlc_frames, simple_apdu

    first, second, third = (
        LLC + simple_apdu(w, v) for w, v in ((1000, 2300), (2000, 2400), (3000, 2350))
    )
    cut = (
        first.index((1000).to_bytes(4, "big")) + 4
    )  # the power in one segment, the voltage in the other
    connections = 0

    async def handler(client: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        if connections == 1:
            writer.write(hdlc_frame(first[:cut], segmented=True))  # and the cable is pulled
            await writer.drain()
            writer.close()
            return
        writer.write(hdlc_frame(second[cut:]) + hdlc_frames(third, cut))
        await writer.drain()
        await client.read()  # until the reader hangs up
        writer.close()

    state = ReaderState("test")

    async def scenario() -> list[Reading]:
        server, source = await serve(handler)
        async with server:
            return await collect(source, state, 1)

    (reading,) = asyncio.run(scenario())
    assert (reading.power_import_w, reading.voltage_l1_v) == (3000, Decimal("235.0"))
    assert state.readings == 1  # and no reading of 1000 W at 240.0 V
    assert state.rejected == 1  # the last segment alone cannot be read
    assert state.format == "hdlc"


def encrypted_frames(count: int) -> list[bytes]:
    from encoder import LLC, glo_ciphering, hdlc_frame, simple_apdu

    key, auth_key = bytes(range(16)), bytes(range(16, 32))
    return [
        hdlc_frame(
            LLC
            + glo_ciphering(simple_apdu(1000 + n), key=key, auth_key=auth_key, frame_counter=n + 1)
        )
        for n in range(count)
    ]


def read_encrypted(
    decoder: hanport.Decoder, caplog: pytest.LogCaptureFixture, language: str = "en"
) -> ReaderState:
    """An encrypted meter pushing every 0.02 s, read for two watchdog periods (0.3 s each)."""
    frames = encrypted_frames(200)

    async def handler(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            for frame in frames:
                writer.write(frame)
                await writer.drain()
                await asyncio.sleep(0.02)
        except ConnectionError:
            pass  # the reader gave up on this connection
        finally:
            writer.close()

    state = ReaderState("test")

    async def scenario() -> None:
        server, source = await serve(handler)
        async with server:
            task = asyncio.create_task(
                read_meter(
                    source,
                    decoder,
                    Hub().publish,
                    state,
                    interval_s=0.1,
                    backoff=Backoff(0.01),
                    language=language,
                )
            )
            for _ in range(1000):
                if state.reconnects >= 2:
                    break
                await asyncio.sleep(0.01)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    with caplog.at_level(logging.INFO, logger="hanport.sources.reader"):
        asyncio.run(scenario())
    return state


def test_a_wrong_key_is_said_once_then_counted(caplog: pytest.LogCaptureFixture) -> None:
    state = read_encrypted(hanport.Decoder(key=bytes(16), auth_key=bytes(16)), caplog)
    lines = [record.getMessage() for record in caplog.records]
    said = [line for line in lines if line.startswith("Frame rejected: Wrong key")]
    assert len(said) == 1, lines  # once, however many frames follow
    stale = [line for line in lines if line.startswith("No verified reading from test for 0.3 s")]
    assert len(stale) >= 2, lines
    assert re.search(r": \d+ frames rejected since the last reading \(Wrong key: ", stale[0])
    assert stale[0].endswith("; retrying in 0.01 s.")
    first, second = (int(re.findall(r": (\d+) frames rejected", line)[0]) for line in stale[:2])
    assert second > first  # the count goes on across reconnects: still no reading
    assert state.readings == 0
    assert state.rejected_since_reading == state.rejected > 0
    assert state.last_rejection is not None
    assert state.last_rejection.startswith("Wrong key")
    assert state.last_error is not None
    assert "frames rejected since the last reading (Wrong key" in state.last_error


def test_no_key_names_the_system_title_in_estonian_too(caplog: pytest.LogCaptureFixture) -> None:
    state = read_encrypted(hanport.Decoder(), caplog, language="et")
    lines = [record.getMessage() for record in caplog.records]
    said = [line for line in lines if line.startswith("Kaader jäeti kõrvale: ")]
    assert len(said) == 1, lines
    assert "(süsteemitiitel LGZ" in said[0]
    assert "--key" in said[0]
    assert any("kaadrit (Arvesti saadab krüpteeritud kaadreid" in line for line in lines), lines
    assert any("proovin uuesti" in line for line in lines), lines
    assert state.last_rejection is not None
    assert "system title LGZ" in state.last_rejection  # the state stays English for the API


def test_a_reading_ends_the_run_of_rejections(caplog: pytest.LogCaptureFixture) -> None:
    bad = telegrams(7, 1)[0].replace(b"*kW)", b"*kW )", 1)  # damaged: its CRC fails
    frames = [bad, bad, *telegrams(7, 2), bad]

    async def handler(client: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"".join(frames))
        await writer.drain()
        await client.read()  # until the reader hangs up
        writer.close()

    state = ReaderState("test")

    async def scenario() -> list[Reading]:
        server, source = await serve(handler)
        async with server:
            got = await collect(source, state, 2)
            for _ in range(200):
                if state.rejected == 3:
                    break
                await asyncio.sleep(0.01)
            return got

    with caplog.at_level(logging.WARNING, logger="hanport.sources.reader"):
        assert len(asyncio.run(scenario())) == 2
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Frame rejected")]
    assert len(said) == 2  # the run before the readings, and the one after them
    assert state.rejected == 3
    assert state.rejected_since_reading == 1
    assert state.last_rejection is not None
    assert state.last_rejection.startswith("Checksum mismatch")


def test_each_backoff_step_says_when_it_retries(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the probe is closed
    state = ReaderState(f"tcp 127.0.0.1:{port}")

    async def scenario() -> None:
        source = Source("tcp", "127.0.0.1", port)
        backoff = Backoff(0.01, 0.04)
        task = asyncio.create_task(
            read_meter(source, hanport.Decoder(), Hub().publish, state, backoff=backoff)
        )
        for _ in range(500):
            if state.reconnects >= 6:
                break
            await asyncio.sleep(0.01)
        assert state.retry_in_s == 0.04
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    with caplog.at_level(logging.INFO, logger="hanport.sources.reader"):
        asyncio.run(scenario())
    lines = [record.getMessage() for record in caplog.records]
    assert [line.rsplit("; ", 1)[1] for line in lines] == [
        "retrying in 0.01 s.",
        "retrying in 0.02 s.",
        "retrying every 0.04 s.",  # and then quiet: the same line again is news to no one
    ]
    assert lines[0] == (
        f"Cannot connect to 127.0.0.1:{port}: nothing accepts connections there; check the "
        "dongle's address and port, and that it is on; retrying in 0.01 s."
    )
    assert state.last_error == (
        f"Cannot connect to 127.0.0.1:{port}: nothing accepts connections there; check the "
        "dongle's address and port, and that it is on."
    )


def test_a_counted_simulation_ends_like_a_replay(caplog: pytest.LogCaptureFixture) -> None:
    source = parse_source("sim://?speed=max&count=3&start=2026-01-10T08:00")
    state = ReaderState(str(source))
    hub = Hub()
    subscription = hub.subscribe("test")
    with caplog.at_level(logging.INFO, logger="hanport.sources.reader"):
        asyncio.run(asyncio.wait_for(read_meter(source, hanport.Decoder(), hub.publish, state), 30))
    assert state.status == "ended"
    assert [r.meter_time for r in subscription.drain()] == [r.meter_time for r in telegrams_read(3)]
    assert caplog.records[-1].getMessage() == "The source sim has ended (3 readings)."


def telegrams_read(count: int) -> list[Reading]:
    return hanport.decode(b"".join(telegrams(1, count)))


def test_what_the_decoder_finds_out_is_said_once(caplog: pytest.LogCaptureFixture) -> None:
    """The logging side, with the decoder's findings set by hand."""
    from types import SimpleNamespace
    from typing import cast

    from hanport.sources.reader import _learn, _Report

    state = ReaderState("tcp 192.0.2.1:8888")
    report = _Report(state, "en")
    stats = SimpleNamespace(unauthenticated_sender=None, energy_scales={})
    decoder = cast(hanport.Decoder, SimpleNamespace(format="hdlc+encrypted", stats=stats))
    with caplog.at_level(logging.INFO, logger="hanport.sources.reader"):
        _learn(report, decoder)
        stats.unauthenticated_sender = "KFM0102030405"
        stats.energy_scales["6970631401234567"] = 10
        _learn(report, decoder)
        _learn(report, decoder)  # nothing new: nothing said
        stats.energy_scales[""] = 1
        _learn(report, decoder)
    assert [record.getMessage() for record in caplog.records] == [
        "The meter KFM0102030405 encrypts its frames but does not authenticate them; a damaged "
        "frame could pass unnoticed.",
        "The meter 6970631401234567 counts energy in steps of 10 Wh (its list carries no scaler; "
        "meter.energy_scale sets it).",
        "The meter on tcp 192.0.2.1:8888 counts energy in steps of 1 Wh (its list carries no "
        "scaler; meter.energy_scale sets it).",
    ]
    assert state.format == "hdlc+encrypted"
    assert state.unauthenticated == "KFM0102030405"
    assert state.energy_scales == {"6970631401234567": 10, "": 1}
    assert state.energy_scales is not stats.energy_scales  # a copy: the decoder keeps its own


# The next two need the decoder of the codec branch (issue 9): Decoder(energy_scale=),
# DecoderStats.unauthenticated_sender and .energy_scales, Reading.verified.


def test_note_decoder_copies_the_decoders_findings() -> None:
    from encoder import LLC, glo_ciphering, hdlc_frame, simple_apdu

    from hanport.sources.reader import _note_decoder

    key = bytes(range(16))
    frame = hdlc_frame(LLC + glo_ciphering(simple_apdu(), key=key, security_control=0x20))
    decoder = hanport.Decoder(key=key, energy_scale=10)
    (reading,) = decoder.feed(frame)
    assert isinstance(reading, Reading)
    state = ReaderState("test")
    _note_decoder(state, decoder)
    assert state.format == "hdlc+encrypted"
    assert state.unauthenticated == "LGZ0102030405"
    assert state.energy_scales == decoder.stats.energy_scales


def test_readings_without_a_checksum_are_said_once(caplog: pytest.LogCaptureFixture) -> None:
    from encoder import p1_telegram

    lines = ["0-0:1.0.0(240115120000W)", "1-0:1.7.0(0001.011*kW)"]
    unchecked = p1_telegram(lines, header="ISk5\\2MT382-1000", crc="none")

    async def handler(client: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for _ in range(3):
            writer.write(unchecked)
            await writer.drain()
        await client.read()  # until the reader hangs up
        writer.close()

    state = ReaderState("test")

    async def scenario() -> list[Reading]:
        server, source = await serve(handler)
        async with server:
            return await collect(source, state, 2)  # the last waits: more lines may follow

    with caplog.at_level(logging.WARNING, logger="hanport.sources.reader"):
        readings = asyncio.run(scenario())
    assert [reading.verified for reading in readings] == [False, False]
    said = [r.getMessage() for r in caplog.records if "carry no checksum" in r.getMessage()]
    assert said == [
        "The readings from test carry no checksum (p1): a value damaged on the line cannot be "
        "detected, so they are kept marked unverified."
    ]
    assert state.unverified


def test_amounts_are_grouped_in_estonian_but_ports_are_not() -> None:
    from hanport.i18n.catalogue import Message

    stale = Message("reader.stale_noise", source="tcp 192.0.2.1:8888", seconds=30, bytes=12345)
    assert "saabus 12 345 baiti" in stale.text("et")
    assert "12345 bytes arrived" in stale.text("en")
    refused = Message("sources.tcp_refused", host="192.0.2.1", port=8888)
    assert refused.text("et").startswith("Ühendus aadressiga 192.0.2.1:8888 ebaõnnestus")
