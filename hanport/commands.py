"""The long-running commands: `run` (read a source, show readings), `capture`, `simulate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack, aclosing
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hanport.codec.decoder import Decoder
from hanport.config import Settings, load_settings
from hanport.export import export, terminal_progress
from hanport.i18n import text
from hanport.model import Reading
from hanport.runtime import run_runtime
from hanport.serve import open_pty, serve_pty, serve_tcp
from hanport.simulator import HomeSimulator
from hanport.store.sqlite import SqliteStore
from hanport.transport import SIMULATOR_INTERVAL_S, Source, SourceError, open_stream, parse_source

__all__ = ["SourceError", "capture", "doctor", "export_command", "live_line", "run", "simulate"]


def run(args: argparse.Namespace, language: str) -> int:
    """Read the source around the clock, keep and share every reading, print each one."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    overrides = {
        "source": args.source,
        "key": args.key,
        "auth_key": args.auth_key,
        "timezone": args.tz,
        "web.listen": args.listen,
        "web.port": args.port,
        "web.enabled": "false" if args.no_web else None,
    }
    settings = load_settings(Path(args.config) if args.config else None, overrides=overrides)
    if settings.source:
        source = parse_source(settings.source)
    else:
        speed = None if args.interval <= 0 else SIMULATOR_INTERVAL_S / args.interval
        source = Source("sim", speed=speed, seed=args.seed)
        print(text("simulator", language, interval=f"{args.interval:g}"), flush=True)
    decoder = Decoder(key=settings.key, auth_key=settings.auth_key, zone=settings.timezone)
    database = settings.database or ("hanport.db" if settings.source else "hanport-simulator.db")
    store = SqliteStore(database, ZoneInfo(settings.timezone))
    listener = None
    if settings.web.enabled:
        from hanport.web.server import bind

        listener = bind(settings, database)
    try:
        show = lambda reading: print(live_line(reading, language), flush=True)  # noqa: E731
        started = _announce(settings, listener, database, language) if listener else None
        running = run_runtime(source, decoder, store, settings, show, args.count, started, listener)
        return asyncio.run(running)
    except asyncio.CancelledError:  # SIGTERM: stopped cleanly
        print(text("stopped", language), file=sys.stderr)
        return 0
    finally:
        store.close()


def _announce(
    settings: Settings, listener: socket.socket, database: str, language: str
) -> Callable[[], None]:
    from hanport.web.accounts import Accounts
    from hanport.web.server import setup_code

    port = listener.getsockname()[1]  # the port given, or the free one found for port 0
    url = settings.web.url.rsplit(":", 1)[0] + f":{port}"
    accounts = Accounts(database)
    key = "app_at" if accounts.count() else "app_setup"
    accounts.close()
    code = setup_code(listener) if key == "app_setup" else None
    key = "app_setup_code" if code else key
    return lambda: print(text(key, language, url=url, code=code), flush=True)


def export_command(args: argparse.Namespace, language: str) -> int:
    """Write a period's readings (or rollups with --step) from the database as CSV or JSON."""
    settings = load_settings(
        Path(args.config) if args.config else None, overrides={"database": args.database}
    )
    zone = ZoneInfo(settings.timezone)
    database = Path(settings.database or "hanport.db")
    if not database.exists():
        raise SourceError(
            f"There is no database {database}; run hanport run first, or pass --database."
        )
    start, end = _moment(args.start, zone, "--from"), _moment(args.end, zone, "--to")
    if end <= start:
        raise SourceError("--to must come after --from.")
    store = SqliteStore(database, zone)
    try:
        meter = _pick_meter(store, args.meter)
        with ExitStack() as files:
            out = (
                files.enter_context(open(args.output, "w", newline="", encoding="utf-8"))
                if args.output
                else sys.stdout
            )
            rows = export(
                store, meter, start, end, args.step, args.format, out, terminal_progress()
            )
    finally:
        store.close()
    print(text("exported", language, rows=rows), file=sys.stderr)
    return 0


def _moment(value: str, zone: ZoneInfo, flag: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SourceError(
            f"{flag} {value!r} is not a date or time like 2026-06-01 or 2026-06-01T12:00."
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _pick_meter(store: SqliteStore, wanted: str | None) -> str:
    meters = store.meters()
    known = ", ".join(map(repr, meters)) or "none"
    if wanted is not None:
        if wanted not in meters:
            raise SourceError(f"The database has no meter {wanted!r}; it has {known}.")
        return wanted
    if len(meters) != 1:
        raise SourceError(
            f"The database has {len(meters)} meters; choose one with --meter ({known})."
        )
    return meters[0]


def doctor(args: argparse.Namespace, language: str) -> int:
    """Diagnose a connection; exit 0 when verified readings arrived, 1 otherwise."""
    from hanport.doctor import diagnose, report

    source = parse_source(args.source)
    decoder = Decoder(key=args.key, auth_key=args.auth_key)
    found = asyncio.run(diagnose(source, args.seconds, decoder))
    print("\n".join(report(found)))
    return 0 if found.readings else 1


def capture(args: argparse.Namespace, language: str) -> int:
    """Record the raw bytes of a source to a file, e.g. for a bug report."""
    source = parse_source(args.source)
    return asyncio.run(_capture(source, args.file, args.count, args.seconds, language))


async def _capture(source: Source, path: str, count: int, seconds: float, language: str) -> int:
    decoder = Decoder()
    frames = size = 0
    deadline = time.monotonic() + seconds if seconds else None
    with open(path, "wb") as output:
        async with aclosing(open_stream(source)) as chunks:
            async for chunk in chunks:
                output.write(chunk)
                output.flush()
                size += len(chunk)
                frames += sum(isinstance(item, Reading) for item in decoder.feed(chunk))
                done_by_time = deadline is not None and time.monotonic() >= deadline
                if (count and frames >= count) or done_by_time:
                    break
    print(text("captured", language, size=size, path=path, frames=frames), flush=True)
    return 0


def simulate(args: argparse.Namespace, language: str) -> int:
    """Serve the simulated meter on a pseudo-terminal or a TCP port."""
    speed = None if args.speed == "max" else float(args.speed)
    if args.tcp:
        return asyncio.run(_serve_tcp(args.tcp, args.seed, args.format, speed, language))
    master, path = open_pty()
    print(text("pty", language, path=path), flush=True)
    asyncio.run(
        serve_pty(master, HomeSimulator(seed=args.seed, format=args.format), speed, args.count)
    )
    return 0


async def _serve_tcp(port: int, seed: int, form: str, speed: float | None, language: str) -> int:
    server = await serve_tcp(port, lambda: HomeSimulator(seed=seed, format=form), speed)
    print(text("tcp", language, port=port), flush=True)
    async with server:
        await server.serve_forever()
    return 0


def live_line(reading: Reading, language: str) -> str:
    stamp = reading.meter_time.strftime("%Y-%m-%d %H:%M:%S") if reading.meter_time else "—"
    return text(
        "live",
        language,
        time=stamp,
        imp=reading.power_import_w,
        exp=reading.power_export_w,
        v1=reading.voltage_l1_v,
        v2=reading.voltage_l2_v,
        v3=reading.voltage_l3_v,
        i1=reading.current_l1_a,
        i2=reading.current_l2_a,
        i3=reading.current_l3_a,
        ein=reading.energy_import_wh,
    )
