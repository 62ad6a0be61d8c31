"""Read one meter around the clock: open the source, decode, publish, and recover from faults.

A watchdog reconnects (with exponential backoff) when no verified reading has arrived for three
push intervals, when the source fails, or when it ends. The state (connected, stale,
reconnecting, last error, counters) is kept for the UI and logged on changes only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hanport.codec.decoder import Decoder
from hanport.hub import Hub
from hanport.model import Reading
from hanport.transport import Source, SourceError, open_stream

__all__ = ["Backoff", "ReaderState", "read_meter"]

log = logging.getLogger(__name__)


@dataclass
class ReaderState:
    """What the reader is doing, for the status API, the UI and `hanport doctor`."""

    source: str
    status: str = "starting"
    """starting, connected, stale, reconnecting or ended."""
    last_error: str | None = None
    last_reading_at: datetime | None = None
    readings: int = 0
    rejected: int = 0
    reconnects: int = 0
    bytes_read: int = 0
    format: str | None = None
    """The decoder's format of the last verified frame (p1, hdlc, mbus, dlms, +encrypted)."""
    last_rejection: str | None = None
    """Why the last frame was rejected (the decoder's sentence), until a reading arrives."""
    rejected_since_reading: int = 0
    """Frames rejected since the last verified reading."""
    unauthenticated: str | None = None
    """System title of a meter whose frames are encrypted but not authenticated (SC 0x20)."""
    energy_scales: dict[str, int] = field(default_factory=dict)
    """Meter id → detected energy multiplier (1 or 10) for lists that carry no scaler."""
    unverified: bool = False
    """The latest reading came from a format without a checksum (stored marked unverified)."""
    retry_in_s: float | None = None
    """While reconnecting: seconds until the next attempt."""


class Backoff:
    """1, 2, 4 … seconds up to `maximum`; back to the start after a verified reading."""

    def __init__(self, initial: float = 1.0, maximum: float = 60.0) -> None:
        self.initial = initial
        self.maximum = maximum
        self._next = initial

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self.maximum)
        return delay

    def reset(self) -> None:
        self._next = self.initial


class _Stale(Exception):
    pass


async def read_meter(
    source: Source,
    decoder: Decoder,
    hub: Hub,
    state: ReaderState,
    *,
    interval_s: float = 10.0,
    backoff: Backoff | None = None,
) -> None:
    """Run until cancelled (or, for a replay, until the capture ends)."""
    backoff = backoff or Backoff()
    while True:
        try:
            if source.detect:
                from hanport.detect import detect_line

                source = await detect_line(
                    source,
                    lambda: Decoder(key=decoder.key, auth_key=decoder.auth_key, zone=decoder.zone),
                )
            await _read_until_fault(source, decoder, hub, state, interval_s * 3, backoff)
            if source.kind == "file":
                _set(state, "ended", None)
                return
            _set(state, "reconnecting", f"The source {source} closed the connection.")
        except SourceError as error:
            if source.kind == "file":
                raise  # a capture that cannot be read will not appear by waiting
            _set(state, "reconnecting", str(error))
        except _Stale:
            _set(
                state,
                "stale",
                f"No verified reading from {source} for {interval_s * 3:g} s; reconnecting.",
            )
        except OSError as error:  # includes pyserial's SerialException: a pulled cable
            _set(state, "reconnecting", f"Reading {source} failed: {error}; reconnecting.")
        state.reconnects += 1
        await asyncio.sleep(backoff.next())


async def _read_until_fault(
    source: Source,
    decoder: Decoder,
    hub: Hub,
    state: ReaderState,
    stale_after_s: float,
    backoff: Backoff,
) -> None:
    async with aclosing(open_stream(source)) as chunks:
        last_verified = time.monotonic()
        while True:
            remaining = last_verified + stale_after_s - time.monotonic()
            try:
                async with asyncio.timeout(max(remaining, 0.001)):  # never swallows a cancel
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise _Stale from None
            state.bytes_read += len(chunk)
            if state.status not in ("connected", "stale"):
                _set(state, "connected", None)  # bytes arrive: the port is open
            for item in decoder.feed(chunk, datetime.now(UTC)):
                if isinstance(item, Reading):
                    hub.publish(item)
                    state.readings += 1
                    state.last_reading_at = item.received_at
                    last_verified = time.monotonic()
                    backoff.reset()
                    if state.status != "connected":
                        _set(state, "connected", None)
                else:
                    state.rejected += 1
                    log.debug("Rejected: %s", item.reason)
            if time.monotonic() - last_verified > stale_after_s:
                raise _Stale


def _set(state: ReaderState, status: str, error: str | None) -> None:
    changed = status != state.status or error != state.last_error
    state.status = status
    if error is not None:
        state.last_error = error
    if not changed:
        return
    if error is None:
        log.info("Reading %s: %s.", state.source, status)
    else:
        log.warning("%s", error)
