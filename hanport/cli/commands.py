"""The long-running commands: `run` (read a source, show readings), `capture`, `simulate`.

`export` and `doctor` live in `hanport.cli.export` and `hanport.cli.doctor`; every handler takes
the parsed arguments and the language, and raises `HanError` for anything the user can fix.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import time
from collections.abc import Callable
from contextlib import aclosing
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from hanport.cli.doctor import doctor
from hanport.cli.export import export_command
from hanport.cli.flags import UsageError, not_negative, positive
from hanport.cli.progress import StatusLine
from hanport.codec.decoder import Decoder
from hanport.i18n import number, plural, text
from hanport.model import Reading
from hanport.plugins import build_sinks, load_settings
from hanport.runtime.wiring import run_runtime
from hanport.sim.home import HomeSimulator, grid_now
from hanport.sim.serve import open_pty, serve_pty, serve_tcp
from hanport.sources.transport import (
    SIMULATOR_INTERVAL_S,
    Source,
    SourceError,
    open_stream,
    parse_source,
    parse_start,
)
from hanport.store import open_store

__all__ = [
    "SourceError",
    "capture",
    "doctor",
    "export_command",
    "live_line",
    "run",
    "run_logging",
    "simulate",
]


_CHATTY = ("httpx", "httpcore")
"""Libraries that log each request at INFO, in English: hanport says what matters itself."""


def run_logging() -> None:
    """`hanport run`'s log: hanport's own lines at INFO on stderr, the chatty libraries' only
    from WARNING."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    for library in _CHATTY:
        logging.getLogger(library).setLevel(logging.WARNING)


def run(args: argparse.Namespace, language: str) -> int:
    """Read the source around the clock, keep and share every reading, print each one."""
    run_logging()
    positive(args.interval, "--interval")
    not_negative(args.count, "--count")
    overrides = {
        "source": args.source,
        "key": args.key,
        "auth_key": args.auth_key,
        "timezone": args.tz,
        "web.listen": args.listen,
        "web.port": args.port,
        "web.enabled": "false" if args.no_web else None,
        "energy_scale": args.energy_scale,
    }
    settings = load_settings(Path(args.config) if args.config else None, overrides=overrides)
    for note in settings.notes:
        print(note.text(language), file=sys.stderr, flush=True)
    if settings.source:
        source = parse_source(settings.source)
    else:
        source = Source("sim", speed=SIMULATOR_INTERVAL_S / args.interval, seed=args.seed)
        interval = number(Decimal(f"{args.interval:g}"), language)
        print(text("simulator.running", language, interval=interval), flush=True)
    decoder = Decoder(
        key=settings.key,
        auth_key=settings.auth_key,
        zone=settings.timezone,
        energy_scale=settings.energy_scale,
    )
    database = settings.database or ("hanport.db" if settings.source else "hanport-simulator.db")
    open_store(database, ZoneInfo(settings.timezone)).close()  # unusable, or to upgrade: now
    sinks = build_sinks(settings, database)
    for sink in sinks:
        announce = getattr(sink, "announcement", None)
        if callable(announce):
            print(announce(language), flush=True)
    show = lambda reading: print(live_line(reading, language), flush=True)  # noqa: E731
    running = run_runtime(source, decoder, settings, database, sinks, show, args.count, language)
    stopped_by = asyncio.run(running)
    if stopped_by is not None:  # SIGTERM or Ctrl-C: stopped cleanly
        print(text("cli.stopped", language), file=sys.stderr)
    return 130 if stopped_by == signal.SIGINT else 0


def capture(args: argparse.Namespace, language: str) -> int:
    """Record the raw bytes of a source to a file, e.g. for a bug report."""
    not_negative(args.count, "--count")
    not_negative(args.seconds, "--seconds")
    source = parse_source(args.source)
    try:
        output = open(args.file, "wb")  # noqa: SIM115  (closed below, after the async part)
    except OSError as error:
        from hanport.sources.line_errors import why

        raise UsageError("cli.cannot_write", path=args.file, why=why(error)) from None
    try:
        with output:
            frames, size = asyncio.run(_capture(source, output, args.count, args.seconds, language))
    except OSError as error:  # a full disk, a pulled USB stick
        from hanport.sources.line_errors import why

        raise UsageError("capture.write_failed", path=args.file, why=why(error)) from None
    values = {"size": number(size, language), "path": args.file, "frames": frames}
    print(plural("capture.captured", language, frames, **values))
    return 0


async def _capture(
    source: Source, output: BinaryIO, count: int, seconds: float, language: str
) -> tuple[int, int]:
    decoder = Decoder()
    frames = size = 0
    started = time.monotonic()
    line = StatusLine()
    try:
        async with aclosing(open_stream(source)) as chunks:
            async for chunk in chunks:
                output.write(chunk)
                output.flush()  # all that arrived is in the file, even if hanport is killed
                size += len(chunk)
                frames += sum(isinstance(item, Reading) for item in decoder.feed(chunk))
                elapsed = time.monotonic() - started
                line.show(
                    text("capture.progress", language, bytes=number(size, language), frames=frames)
                )
                if (count and frames >= count) or (seconds and elapsed >= seconds):
                    break
    finally:
        line.close()
    return frames, size


def simulate(args: argparse.Namespace, language: str) -> int:
    """Serve the simulated meter on a pseudo-terminal or a TCP port."""
    speed = _speed(args.speed)
    not_negative(args.count, "--count")
    start = parse_start(args.start, "--start ") if args.start else None

    def make() -> HomeSimulator:
        return HomeSimulator(
            seed=args.seed,
            format=args.format,
            start=start or grid_now(),
            scenario=getattr(args, "scenario", None) or "",
        )

    if args.tcp is not None:
        if not 0 < args.tcp < 65536:
            raise UsageError("cli.flag_port", flag="--tcp", value=args.tcp)
        return asyncio.run(_serve_tcp(args.tcp, make, speed, args.count, language))
    master, path = open_pty()
    print(text("simulator.pty", language, path=path), flush=True)
    asyncio.run(serve_pty(master, make(), speed, args.count))
    return 0


def _speed(value: str) -> float | None:
    if value == "max":
        return None
    try:
        speed = float(value)
    except ValueError:
        speed = 0.0
    if not 0 < speed < float("inf"):
        raise UsageError("cli.flag_speed", value=value)
    return speed


async def _serve_tcp(
    port: int,
    make: Callable[[], HomeSimulator],
    speed: float | None,
    count: int,
    language: str,
) -> int:
    try:
        server = await serve_tcp(port, make, speed, count=count)
    except OSError as error:
        from hanport.sources.line_errors import why

        raise UsageError("simulator.cannot_listen", port=port, why=why(error)) from None
    print(text("simulator.tcp", language, port=port), flush=True)
    async with server:
        await server.serve_forever()
    return 0


def live_line(reading: Reading, language: str) -> str:
    """One reading on one line; numbers with a decimal comma in Estonian."""
    stamp = reading.meter_time.strftime("%Y-%m-%d %H:%M:%S") if reading.meter_time else "—"
    values = {
        "imp": reading.power_import_w,
        "exp": reading.power_export_w,
        "v1": reading.voltage_l1_v,
        "v2": reading.voltage_l2_v,
        "v3": reading.voltage_l3_v,
        "i1": reading.current_l1_a,
        "i2": reading.current_l2_a,
        "i3": reading.current_l3_a,
        "ein": reading.energy_import_wh,
    }
    shown = {
        name: "—" if value is None else number(value, language) for name, value in values.items()
    }
    return text("cli.live", language, time=stamp, **shown)
