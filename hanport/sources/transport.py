"""Where the bytes come from: one URL per source, read as an async stream of chunks.

    /dev/ttyUSB0                                   serial port, 115200 8N1
    serial:///dev/ttyUSB0?baud=2400&parity=E      serial port with line settings
    tcp://192.0.2.10:8888                          network HAN dongle, ser2net
    file://capture.bin?speed=1                     replay a raw or hex capture (speed=max: at once)
    sim://?seed=1&speed=1                          the built-in meter simulator, from now on
    sim://?start=2026-03-28T00:00&speed=max&count=360   a repeatable simulated hour
    sim://?scenario=voltage&start=2026-03-02T00:00&speed=max&count=60480   a week of excursions

This is the I/O edge: the decoder never sees anything but the chunks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from hanport.sim.home import SIMULATOR_INTERVAL_S
from hanport.sources.errors import SourceError
from hanport.sources.line_errors import serial_error, tcp_error
from hanport.sources.telegrams import open_telegram_stream
from hanport.sources.urls import SCHEMES, TelegramSource, parse_telegram_source

__all__ = [
    "SIMULATOR_INTERVAL_S",
    "SIMULATOR_ZONE",
    "Source",
    "SourceError",
    "open_stream",
    "parse_source",
    "parse_start",
]

SIMULATOR_ZONE = "Europe/Tallinn"
"""Where a simulator start without an offset is: the E360's home."""
CONNECT_TIMEOUT_S = 15.0
_CHUNK = 4096
_PARITIES = {"N": "N", "E": "E", "O": "O"}


@dataclass(frozen=True)
class Source:
    """A parsed source URL. `speed` None means as fast as possible (replay and simulator)."""

    kind: str
    target: str = ""
    port: int = 0
    baudrate: int = 115200
    parity: str = "N"
    bytesize: int = 8
    stopbits: int = 1
    speed: float | None = 1.0
    seed: int = 1
    format: str = "p1"
    """Simulator only: p1 or hdlc."""
    detect: bool = False
    """Serial port given without line settings: find them (see `detect_line`)."""
    start: datetime | None = None
    """Simulator only: the meter clock's first time; None: now."""
    count: int = 0
    """Simulator only: end after this many pushes (0: never)."""
    scenario: str = ""
    """Simulator only: "voltage" (`hanport.sim.voltage`), or "" for the plain household."""
    telegrams: TelegramSource | None = None
    """kind "telegrams": a device that publishes whole telegrams (HomeWizard, Tasmota, ESPHome)."""

    @property
    def ends(self) -> bool:
        """A replay, or a simulator with a count: it ends by itself, not by a fault."""
        return self.kind == "file" or (self.kind == "sim" and self.count > 0)

    def __str__(self) -> str:
        if self.kind == "serial":
            return (
                f"serial {self.target} {self.baudrate} {self.bytesize}{self.parity}{self.stopbits}"
            )
        if self.kind == "tcp":
            return f"tcp {self.target}:{self.port}"
        if self.telegrams is not None:
            return str(self.telegrams)  # never a password
        return f"{self.kind} {self.target}".rstrip()


def parse_source(url: str) -> Source:
    """Parse a source URL; raises SourceError with what to write instead."""
    if url.startswith(("/", "COM")):
        _not_a_file(url)
        return Source("serial", url, detect=True)
    parts = urlsplit(url)
    query = parts.query.replace("+", "%2B")  # a `+` is an offset's sign here, not a space
    options = {key: values[-1] for key, values in parse_qs(query).items()}
    if parts.scheme == "serial":
        return _serial(parts.path or parts.netloc, options)
    if parts.scheme == "tcp":
        return _tcp(url, parts.hostname)
    if parts.scheme == "file":
        path = (parts.netloc + parts.path) if parts.netloc else parts.path
        return Source("file", path, speed=_speed(options))
    if parts.scheme == "sim":
        return _simulator(options)
    if parts.scheme in SCHEMES:
        return Source("telegrams", telegrams=parse_telegram_source(url))
    if not parts.scheme and Path(url).is_file():
        raise SourceError("sources.is_file", path=url, url=f"file://{Path(url).resolve()}")
    raise SourceError("sources.unknown", url=url)


def _not_a_file(path: str) -> None:
    """A capture given as a serial port: say how to replay it instead."""
    if Path(path).is_file():
        raise SourceError("sources.is_file", path=path, url=f"file://{path}")


def _tcp(url: str, host: str | None) -> Source:
    try:
        port = urlsplit(url).port
    except ValueError:  # not a number, or beyond 65535
        raise SourceError("sources.tcp_port", url=url) from None
    if not host or port is None:
        raise SourceError("sources.tcp_address", url=url)
    if port == 0:
        raise SourceError("sources.tcp_port", url=url)
    return Source("tcp", host, port)


def _serial(path: str, options: dict[str, str]) -> Source:
    parity = options.get("parity", "N").upper()
    if parity not in _PARITIES:
        raise SourceError("sources.parity", parity=parity)
    _not_a_file(path)
    return Source(
        "serial",
        path,
        detect="baud" not in options,
        baudrate=_int(options, "baud", 115200),
        parity=parity,
        bytesize=_int(options, "bits", 8),
        stopbits=_int(options, "stop", 1),
    )


def _simulator(options: dict[str, str]) -> Source:
    form = options.get("format", "p1")
    if form not in ("p1", "hdlc"):
        raise SourceError("sources.format", format=form)
    start = options.get("start")
    return Source(
        "sim",
        speed=_speed(options),
        seed=_int(options, "seed", 1),
        format=form,
        start=None if start is None else parse_start(start, "start="),
        count=_int(options, "count", 0),
        scenario=_scenario(options),
    )


def _scenario(options: dict[str, str]) -> str:
    from hanport.sim.voltage import SCENARIOS

    name = options.get("scenario", "")
    if name and name not in SCENARIOS:
        raise SourceError("sources.scenario", scenario=name)
    return name


def parse_start(text: str, name: str) -> datetime:
    """A simulator start: ISO 8601; without an offset it is Tallinn time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise SourceError("sources.start", name=name, value=text) from None
    if moment.tzinfo is None:
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo(SIMULATOR_ZONE))
    return moment


def _speed(options: dict[str, str]) -> float | None:
    text = options.get("speed", "1")
    if text == "max":
        return None
    try:
        speed = float(text)
    except ValueError:
        speed = 0.0
    if not 0 < speed < float("inf"):
        raise SourceError("sources.speed", value=text)
    return speed


def _int(options: dict[str, str], name: str, default: int) -> int:
    text = options.get(name)
    if text is None:
        return default
    if not text.isdigit():
        raise SourceError("sources.whole", name=name, value=text)
    return int(text)


async def open_stream(source: Source) -> AsyncGenerator[bytes, None]:
    """Yield chunks of bytes from the source until it ends (EOF, end of file).

    Consume it inside `contextlib.aclosing(...)` so the port is closed as soon as you stop.
    """
    if source.kind == "serial":
        reader, writer = await _open_serial(source)
    elif source.kind == "tcp":
        reader, writer = await _open_tcp(source)
    elif source.kind == "file":
        async for chunk in _replay(source):
            yield chunk
        return
    elif source.telegrams is not None:
        async for chunk in open_telegram_stream(source.telegrams):
            yield chunk
        return
    else:
        async for chunk in _simulate(source):
            yield chunk
        return
    try:
        while True:
            chunk = await reader.read(_CHUNK)
            if not chunk:
                return
            yield chunk
    finally:
        writer.close()


async def _open_serial(source: Source) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    import serial_asyncio_fast

    try:
        return await serial_asyncio_fast.open_serial_connection(
            url=source.target,
            baudrate=source.baudrate,
            parity=source.parity,
            bytesize=source.bytesize,
            stopbits=source.stopbits,
        )
    except OSError as error:  # pyserial's SerialException is an OSError
        key, values = serial_error(source.target, error)
        raise SourceError(key, **values) from None


async def _open_tcp(source: Source) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            return await asyncio.open_connection(source.target, source.port)
    except (OSError, TimeoutError) as error:
        key, values = tcp_error(source.target, source.port, error, CONNECT_TIMEOUT_S)
        raise SourceError(key, **values) from None


async def _replay(source: Source) -> AsyncIterator[bytes]:
    """A capture, frame by frame, with the meter's 10 s between frames divided by `speed`."""
    from hanport.codec.decoder import Decoder
    from hanport.codec.hexdump import unhex_if_hex
    from hanport.sources.line_errors import why

    try:
        data = unhex_if_hex(Path(source.target).read_bytes())
    except OSError as error:
        raise SourceError("sources.capture", path=source.target, why=why(error)) from None
    if source.speed is None:
        yield data
        return
    scout = Decoder()
    sent = 0
    for end in range(64, len(data) + 64, 64):
        if scout.feed(data[end - 64 : end]):
            yield data[sent:end]
            sent = end
            await asyncio.sleep(SIMULATOR_INTERVAL_S / source.speed)
    if sent < len(data):
        yield data[sent:]


async def _simulate(source: Source) -> AsyncIterator[bytes]:
    from hanport.sim.home import HomeSimulator, grid_now

    simulator = HomeSimulator(
        seed=source.seed,
        start=source.start or grid_now(),
        interval_s=int(SIMULATOR_INTERVAL_S),
        format=source.format,
        scenario=source.scenario,
    )
    sent = 0
    while True:
        telegram = simulator.next_telegram()
        if telegram:  # b"": the scenario's meter sends nothing this push
            yield telegram
        sent += 1
        if sent == source.count:
            return  # as a replay ends: the reader reports "ended"
        await asyncio.sleep(0 if source.speed is None else SIMULATOR_INTERVAL_S / source.speed)
