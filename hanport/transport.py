"""Where the bytes come from: one URL per source, read as an async stream of chunks.

    /dev/ttyUSB0                                   serial port, 115200 8N1
    serial:///dev/ttyUSB0?baud=2400&parity=E      serial port with line settings
    tcp://192.0.2.10:8888                          network HAN dongle, ser2net
    file://capture.bin?speed=1                     replay a raw or hex capture (speed=max: at once)
    sim://?seed=1&speed=1                          the built-in meter simulator

This is the I/O edge: the decoder never sees anything but the chunks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from hanport.errors import HanError

__all__ = ["SIMULATOR_INTERVAL_S", "Source", "SourceError", "open_stream", "parse_source"]

SIMULATOR_INTERVAL_S = 10.0
_CHUNK = 4096
_PARITIES = {"N": "N", "E": "E", "O": "O"}


class SourceError(HanError):
    """The source URL is wrong, or the source cannot be opened or read."""


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

    def __str__(self) -> str:
        if self.kind == "serial":
            return (
                f"serial {self.target} {self.baudrate} {self.bytesize}{self.parity}{self.stopbits}"
            )
        if self.kind == "tcp":
            return f"tcp {self.target}:{self.port}"
        return f"{self.kind} {self.target}".rstrip()


def parse_source(url: str) -> Source:
    """Parse a source URL; raises SourceError with what to write instead."""
    if url.startswith(("/", "COM")):
        return Source("serial", url, detect=True)
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "serial":
        return _serial(parts.path or parts.netloc, options)
    if parts.scheme == "tcp":
        if not parts.hostname or parts.port is None:
            raise SourceError(f"{url!r} needs a host and a port, e.g. tcp://192.0.2.10:8888.")
        return Source("tcp", parts.hostname, parts.port)
    if parts.scheme == "file":
        path = (parts.netloc + parts.path) if parts.netloc else parts.path
        return Source("file", path, speed=_speed(options))
    if parts.scheme == "sim":
        form = options.get("format", "p1")
        if form not in ("p1", "hdlc"):
            raise SourceError(f"format={form!r} must be p1 or hdlc.")
        return Source("sim", speed=_speed(options), seed=_int(options, "seed", 1), format=form)
    raise SourceError(
        f"Unknown source {url!r}; use /dev/ttyUSB0, serial://…, tcp://host:port, "
        "file://capture.bin or sim://."
    )


def _serial(path: str, options: dict[str, str]) -> Source:
    parity = options.get("parity", "N").upper()
    if parity not in _PARITIES:
        raise SourceError(f"Parity {parity!r} is not N, E or O.")
    return Source(
        "serial",
        path,
        detect="baud" not in options,
        baudrate=_int(options, "baud", 115200),
        parity=parity,
        bytesize=_int(options, "bits", 8),
        stopbits=_int(options, "stop", 1),
    )


def _speed(options: dict[str, str]) -> float | None:
    text = options.get("speed", "1")
    if text == "max":
        return None
    try:
        speed = float(text)
    except ValueError:
        speed = 0.0
    if speed <= 0:
        raise SourceError(f"speed={text!r} must be a positive number or 'max'.")
    return speed


def _int(options: dict[str, str], name: str, default: int) -> int:
    text = options.get(name)
    if text is None:
        return default
    if not text.isdigit():
        raise SourceError(f"{name}={text!r} must be a whole number.")
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
        raise SourceError(
            f"Cannot open the serial port {source.target}: {_why(error)}; check that the cable "
            "is plugged in and that you may use the port (group dialout)."
        ) from None


async def _open_tcp(source: Source) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    try:
        return await asyncio.open_connection(source.target, source.port)
    except OSError as error:
        raise SourceError(
            f"Cannot connect to {source.target}:{source.port}: {_why(error)}; check the "
            "dongle's address and that it is on."
        ) from None


async def _replay(source: Source) -> AsyncIterator[bytes]:
    """A capture, frame by frame, with the meter's 10 s between frames divided by `speed`."""
    from hanport.codec.decoder import Decoder
    from hanport.hexdump import unhex_if_hex

    try:
        data = unhex_if_hex(Path(source.target).read_bytes())
    except OSError as error:
        raise SourceError(f"Cannot read the capture {source.target}: {_why(error)}.") from None
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
    from hanport.simulator import HomeSimulator

    simulator = HomeSimulator(
        seed=source.seed, interval_s=int(SIMULATOR_INTERVAL_S), format=source.format
    )
    while True:
        yield simulator.next_telegram()
        await asyncio.sleep(0 if source.speed is None else SIMULATOR_INTERVAL_S / source.speed)


def _why(error: BaseException) -> str:
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return text[0].lower() + text[1:] if text else type(error).__name__
