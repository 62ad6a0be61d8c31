"""Sources at the I/O edge: URLs, a real pseudo-terminal, TCP, replay, capture and the CLI."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import aclosing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import hanport
from hanport.backoff import Backoff
from hanport.cli.main import main
from hanport.model import Reading
from hanport.runtime.hub import Hub
from hanport.sim.home import HomeSimulator, serial_number
from hanport.sim.serve import open_pty, serve_pty, serve_tcp
from hanport.sources.reader import ReaderState, read_meter
from hanport.sources.transport import Source, SourceError, open_stream, parse_source

START = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
"""Where the simulators of a test start, so that two of them send the same telegrams."""


def expected(seed: int, count: int) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=START)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(count)))


async def read_readings(source: Source, count: int) -> list[Reading]:
    decoder = hanport.Decoder()
    readings: list[Reading] = []
    async with aclosing(open_stream(source)) as chunks:
        async for chunk in chunks:
            readings += [item for item in decoder.feed(chunk) if isinstance(item, Reading)]
            if len(readings) >= count:
                break
    return readings[:count]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("/dev/ttyUSB0", Source("serial", "/dev/ttyUSB0", detect=True)),
        (
            "serial:///dev/ttyAMA0?baud=2400&parity=e",
            Source("serial", "/dev/ttyAMA0", baudrate=2400, parity="E"),
        ),
        (
            "serial:///dev/ttyAMA0?parity=E",
            Source("serial", "/dev/ttyAMA0", parity="E", detect=True),
        ),
        ("tcp://192.0.2.10:8888", Source("tcp", "192.0.2.10", 8888)),
        ("file://capture.bin?speed=max", Source("file", "capture.bin", speed=None)),
        ("file:///tmp/c.hex?speed=60", Source("file", "/tmp/c.hex", speed=60.0)),
        ("sim://?seed=7&speed=100", Source("sim", speed=100.0, seed=7)),
    ],
)
def test_source_urls(url: str, source: Source) -> None:
    assert parse_source(url) == source


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://meter", "Unknown source"),
        ("tcp://meter", "needs a host and a port"),
        ("serial:///dev/ttyUSB0?parity=X", "not N, E or O"),
        ("serial:///dev/ttyUSB0?baud=fast", "whole number"),
        ("file://c.bin?speed=-2", "positive number"),
    ],
)
def test_bad_source_urls_say_what_is_wrong(url: str, words: str) -> None:
    with pytest.raises(SourceError, match=words):
        parse_source(url)


def test_a_real_pseudo_terminal_carries_the_simulator() -> None:
    master, path = open_pty()

    async def scenario() -> list[Reading]:
        async def write_once_the_reader_is_open() -> None:
            await asyncio.sleep(0.5)  # opening a serial port discards what waited before
            await serve_pty(master, HomeSimulator(seed=2, start=START), None, 3)

        writer = asyncio.create_task(write_once_the_reader_is_open())
        readings = await asyncio.wait_for(read_readings(parse_source(path), 3), 10)
        await writer
        return readings

    try:
        readings = asyncio.run(scenario())
    finally:
        os.close(master)
    assert readings == expected(2, 3)
    assert str(parse_source(path)) == f"serial {path} 115200 8N1"


def test_tcp_serves_each_client() -> None:
    async def scenario() -> list[Reading]:
        server = await serve_tcp(0, lambda: HomeSimulator(seed=4, start=START), None)
        port = server.sockets[0].getsockname()[1]
        async with server:
            return await asyncio.wait_for(read_readings(Source("tcp", "127.0.0.1", port), 2), 10)

    assert asyncio.run(scenario()) == expected(4, 2)


def test_replay_at_max_speed_and_paced(tmp_path: Path) -> None:
    simulator = HomeSimulator(seed=5, start=START)
    capture = tmp_path / "capture.bin"
    capture.write_bytes(b"".join(simulator.next_telegram() for _ in range(3)))
    fast = asyncio.run(read_readings(parse_source(f"file://{capture}?speed=max"), 3))
    assert fast == expected(5, 3)
    started = time.monotonic()
    paced = asyncio.run(read_readings(parse_source(f"file://{capture}?speed=200"), 3))
    assert paced == fast
    assert time.monotonic() - started >= 2 * 10 / 200


def test_replay_of_a_hex_capture(tmp_path: Path) -> None:
    capture = tmp_path / "capture.hex"
    capture.write_text(HomeSimulator(seed=6, start=START).next_telegram().hex(" ").upper())
    readings = asyncio.run(read_readings(parse_source(f"file://{capture}?speed=max"), 1))
    assert readings == expected(6, 1)


def test_capture_writes_the_raw_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bug-report.bin"
    capture = "sim://?speed=max&seed=3&start=2026-01-10T08:00"
    assert main(["capture", capture, str(out), "--count", "4"]) == 0
    assert hanport.decode(out.read_bytes()) == expected(3, 4)
    assert "(4 verified frames)" in capsys.readouterr().out


def test_run_reads_a_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capture = tmp_path / "capture.bin"
    simulator = HomeSimulator(seed=8, start=START)
    capture.write_bytes(b"".join(simulator.next_telegram() for _ in range(3)))
    command = ["run", "--source", f"file://{capture}?speed=max", "--count", "2", "--no-web"]
    assert main(command) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert f"import {expected(8, 1)[0].power_import_w} W" in lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]  # nothing listens there once the probe is closed
    return port


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (f"tcp://127.0.0.1:{free_port()}", "Cannot connect to 127.0.0.1"),
        ("/dev/hanport-no-such-port", "The serial port /dev/hanport-no-such-port does not exist"),
    ],
)
def test_a_source_that_fails_is_retried_with_a_plain_reason(url: str, words: str) -> None:
    state = ReaderState(url)

    async def scenario() -> None:
        task = asyncio.create_task(
            read_meter(
                parse_source(url), hanport.Decoder(), Hub().publish, state, backoff=Backoff(0.01)
            )
        )
        for _ in range(500):  # a loaded machine may take a while; three tries are enough
            if state.reconnects >= 3:
                break
            await asyncio.sleep(0.01)
        assert not task.done()  # it keeps trying: a dongle may come up later
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(scenario())
    assert state.status == "reconnecting"
    assert state.last_error is not None
    assert words in state.last_error
    assert state.reconnects >= 3


def test_a_missing_capture_stops_with_a_plain_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--source", "file:///no/such/capture.bin"]) == 2
    assert "Cannot read the capture" in capsys.readouterr().err


def test_simulate_tcp_command() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "hanport", "simulate", "--tcp", str(port), "--speed", "max"]
    command += ["--start", "2026-01-10T08:00"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert f"tcp://127.0.0.1:{port}" in process.stdout.readline()
        readings = asyncio.run(read_readings(Source("tcp", "127.0.0.1", port), 2))
        assert readings == expected(1, 2)
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def test_run_stops_cleanly_on_sigterm() -> None:
    command = [sys.executable, "-m", "hanport", "run", "--interval", "0.05", "--no-web"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert "simulator" in process.stdout.readline()
        assert "import" in process.stdout.readline()  # a reading arrived: it is running
        process.terminate()
        _, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Stopped." in err
    assert "Traceback" not in err
    from zoneinfo import ZoneInfo

    from hanport.store.sqlite import SqliteStore

    store = SqliteStore(os.environ["HANPORT_DATABASE"], ZoneInfo("Europe/Tallinn"))
    far = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    assert (
        len(store.readings(serial_number(1), *far)) >= 1
    )  # what it had accepted was stored before exit
    store.close()


def test_simulated_hdlc_source() -> None:
    source = parse_source("sim://?format=hdlc&speed=max&seed=3&start=2026-01-10T08:00")
    readings = asyncio.run(read_readings(source, 2))
    assert [r.power_import_w for r in readings] == [r.power_import_w for r in expected(3, 2)]
    with pytest.raises(SourceError, match="p1 or hdlc"):
        parse_source("sim://?format=mbus")


def test_a_replugged_serial_cable_is_read_again(tmp_path: Path) -> None:
    """The port is a by-id style link; unplugging removes its device, plugging makes a new one."""
    link = tmp_path / "usb-P1_Cable-if00"
    first_master, first_path = open_pty()
    link.symlink_to(first_path)
    state = ReaderState(str(link))

    async def scenario() -> None:
        hub = Hub()
        subscription = hub.subscribe("test")
        source = parse_source(f"serial://{link}?baud=115200")
        task = asyncio.create_task(
            read_meter(source, hanport.Decoder(), hub.publish, state, backoff=Backoff(0.05))
        )
        await asyncio.sleep(0.3)
        writer = asyncio.create_task(
            serve_pty(first_master, HomeSimulator(seed=2, start=START), 20.0, 0)
        )
        await asyncio.wait_for(subscription.get(), 10)
        writer.cancel()
        os.close(first_master)  # unplugged
        await asyncio.sleep(0.3)
        second_master, second_path = open_pty()  # plugged in again: a new device
        link.unlink()
        link.symlink_to(second_path)
        await asyncio.sleep(0.5)
        subscription.drain()  # what the first device sent before it was unplugged
        writer = asyncio.create_task(
            serve_pty(second_master, HomeSimulator(seed=5, start=START), 20.0, 0)
        )
        again = await asyncio.wait_for(subscription.get(), 10)
        from_the_new_device = {(r.power_import_w, r.voltage_l1_v) for r in expected(5, 20)}
        assert (again.power_import_w, again.voltage_l1_v) in from_the_new_device
        writer.cancel()
        task.cancel()
        await asyncio.gather(task, writer, return_exceptions=True)
        os.close(second_master)

    asyncio.run(scenario())
    assert state.reconnects >= 1
    assert state.readings >= 2


def test_a_simulator_start_without_an_offset_is_tallinn_time() -> None:
    from zoneinfo import ZoneInfo

    source = parse_source("sim://?start=2026-03-28T00:00&speed=max&count=5")
    assert source.start == datetime(2026, 3, 28, tzinfo=ZoneInfo("Europe/Tallinn"))
    assert (source.count, source.speed, source.ends) == (5, None, True)
    offset = parse_source("sim://?start=2026-03-28T00:00+03:00")  # a + stays a +
    assert offset.start == datetime(2026, 3, 27, 21, tzinfo=UTC)
    assert not offset.ends
    assert parse_source("sim://?start=2026-03-28T00:00%2B03:00").start == offset.start
    with pytest.raises(SourceError, match="start='tomorrow' must be a date and time"):
        parse_source("sim://?start=tomorrow")
    with pytest.raises(SourceError, match="count='-1' must be a whole number"):
        parse_source("sim://?count=-1")


def test_a_counted_simulator_ends_after_its_telegrams() -> None:
    source = parse_source("sim://?start=2026-01-10T08:00&speed=max&count=4&seed=3")

    async def everything() -> list[bytes]:
        async with aclosing(open_stream(source)) as chunks:
            return [chunk async for chunk in chunks]

    telegrams = asyncio.run(asyncio.wait_for(everything(), 30))
    assert len(telegrams) == 4
    assert hanport.decode(b"".join(telegrams)) == expected(3, 4)


def test_the_simulator_starts_now_by_default() -> None:
    source = parse_source("sim://?speed=max&count=1")
    before = datetime.now(UTC)

    async def first() -> bytes:
        async with aclosing(open_stream(source)) as chunks:
            return await anext(chunks)

    (reading,) = hanport.decode(asyncio.run(first()))
    assert reading.meter_time is not None
    assert before.replace(microsecond=0) - reading.meter_time < timedelta(seconds=10)
    assert reading.meter_id == serial_number(1)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("tcp://127.0.0.1:99999", "The port in 'tcp://127.0.0.1:99999' must be a number from 1"),
        ("tcp://127.0.0.1:0", "must be a number from 1 to 65535"),
        ("tcp://127.0.0.1:port", "must be a number from 1 to 65535"),
        ("sim://?speed=inf", "positive number or 'max'"),
    ],
)
def test_impossible_ports_and_speeds_are_one_sentence(url: str, words: str) -> None:
    with pytest.raises(SourceError, match=re.escape(words)):
        parse_source(url)


def test_a_capture_is_not_taken_for_a_serial_port(tmp_path: Path) -> None:
    capture = tmp_path / "capture.bin"
    capture.write_bytes(b"\x7e")
    for url in (str(capture), f"serial://{capture}", "capture.bin"):
        cwd = os.getcwd()
        os.chdir(tmp_path)
        try:
            with pytest.raises(
                SourceError, match=r"is a file, not a serial port; to replay it use"
            ):
                parse_source(url)
        finally:
            os.chdir(cwd)
    assert parse_source("/dev/ttyUSB-not-plugged-in").kind == "serial"  # may appear later


def test_serial_errors_name_the_port_once() -> None:
    url = "/dev/hanport-no-such-port"
    state = ReaderState(url)

    async def scenario() -> None:
        task = asyncio.create_task(
            read_meter(
                parse_source(url), hanport.Decoder(), Hub().publish, state, backoff=Backoff(0.01)
            )
        )
        for _ in range(500):
            if state.reconnects >= 1:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(scenario())
    assert state.last_error is not None
    assert state.last_error.count(url) == 1, state.last_error
    assert "[Errno" not in state.last_error


def test_pyserials_repetitions_are_reduced_to_the_reason() -> None:
    from hanport.sources.line_errors import serial_error, why

    repeated = OSError(
        2, "could not open port /dev/x: [Errno 2] No such file or directory: '/dev/x'"
    )
    assert why(repeated) == "no such file or directory"
    assert serial_error("/dev/x", repeated) == ("sources.serial_missing", {"port": "/dev/x"})
    ioctl = OSError("Could not configure port: (25, 'Inappropriate ioctl for device')")
    assert serial_error("/dev/x", ioctl) == ("sources.serial_not_a_port", {"port": "/dev/x"})
    denied = OSError(13, "could not open port /dev/x: [Errno 13] Permission denied: '/dev/x'")
    assert serial_error("/dev/x", denied)[0] == "sources.serial_denied"


def test_devices_that_publish_telegrams_are_sources_too() -> None:
    homewizard = parse_source("homewizard://192.0.2.20")
    assert (homewizard.kind, str(homewizard)) == ("telegrams", "homewizard 192.0.2.20:80")
    tasmota = parse_source("mqtt+tasmota://ha:s3cret@192.0.2.2:1883/tele/p1/RESULT")
    assert tasmota.telegrams is not None
    assert "s3cret" not in str(tasmota)
    assert str(tasmota) == "tasmota mqtt://192.0.2.2:1883/tele/p1/RESULT"
    with pytest.raises(SourceError, match="needs the broker and the topic"):
        parse_source("mqtt+esphome://192.0.2.2")
