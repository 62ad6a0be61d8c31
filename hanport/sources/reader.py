"""Read one meter around the clock: open the source, decode, publish, and recover from faults.

A watchdog reconnects (with exponential backoff) when no verified reading has arrived for three
push intervals, when the source fails, or when it ends. Every connection starts the decoder
afresh. The state (connected, stale, reconnecting, last error, counters, what the decoder found
out about the meter) is kept for the UI and logged on changes only, in the language chosen at
start: why frames are rejected (once per run of rejections, then their count when the reader
gives up on the connection), each backoff step, an unauthenticated meter, the energy scale.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hanport.backoff import Backoff
from hanport.codec.decoder import Decoder
from hanport.errors import HanError
from hanport.i18n import plural, reason, text
from hanport.i18n.catalogue import Message, plural_code
from hanport.model import Reading, Rejected
from hanport.sources.transport import Source, SourceError, open_stream

__all__ = ["ReaderState", "read_meter"]

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
    """Why the last frame was rejected (the decoder's reason, a `Message`), until a reading
    arrives."""
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


class _Stale(Exception):
    pass


_Problem = Message | HanError
"""Why the reader gives up on a connection: the source's error, or a `[reader]` sentence."""


@dataclass(frozen=True)
class _Clause:
    """A sentence to be continued after a semicolon, in the language of the one around it."""

    sentence: object

    def text(self, language: str) -> str:
        return _clause(reason(self.sentence, language))


class _Report:
    """Keeps the state's status and error, and logs each change once, in `language`."""

    def __init__(self, state: ReaderState, language: str) -> None:
        self.state = state
        self.language = language
        self._retrying: str | None = None

    def status(self, status: str) -> None:
        """connected or ended: the error of the last fault stays for the UI to show."""
        changed = status != self.state.status
        self.state.status = status
        self.state.retry_in_s = None
        self._retrying = None
        if changed:
            values = {"source": self.state.source, "readings": self.state.readings}
            line = plural(f"reader.{status}", self.language, self.state.readings, **values)
            log.info("%s", line)

    def retrying(self, status: str, problem: _Problem, delay_s: float, maximum_s: float) -> None:
        self.state.status = status
        self.state.last_error = problem.text("en")
        self.state.retry_in_s = delay_s
        key = "reader.retry_every" if delay_s >= maximum_s else "reader.retry"
        sentence = _clause(problem.text(self.language))
        line = text(key, self.language, problem=sentence, seconds=delay_s)
        if line != self._retrying:  # the same line again (at the longest backoff) is no news
            self._retrying = line
            log.warning("%s", line)

    def say(self, level: int, key: str, **values: object) -> None:
        log.log(level, "%s", text(key, self.language, **values))


async def read_meter(
    source: Source,
    decoder: Decoder,
    publish: Callable[[Reading], None],
    state: ReaderState,
    *,
    interval_s: float = 10.0,
    backoff: Backoff | None = None,
    language: str = "en",
) -> None:
    """Run until cancelled (or, for a replay or a counted simulation, until the source ends)."""
    backoff = backoff or Backoff()
    report = _Report(state, language)
    problem: _Problem
    while True:
        decoder.reset()  # a frame cut off by the fault must not swallow the first one after it
        try:
            if source.detect:
                from hanport.sources.detect import detect_line

                source = await detect_line(source, lambda: _fresh(decoder), language=language)
            await _read_until_fault(source, decoder, publish, report, interval_s * 3, backoff)
            if source.ends:
                report.status("ended")
                return
            status, problem = "reconnecting", Message("reader.closed", source=str(source))
        except SourceError as error:
            if source.kind == "file":
                raise  # a capture that cannot be read will not appear by waiting
            status, problem = "reconnecting", error
        except _Stale as stale:
            status, problem = "stale", stale.args[0]
        except OSError as error:  # includes pyserial's SerialException: a pulled cable
            from hanport.sources.line_errors import why

            failed = Message("reader.failed", source=str(source), why=why(error))
            status, problem = "reconnecting", failed
        state.reconnects += 1
        delay = backoff.next()
        report.retrying(status, problem, delay, backoff.maximum)
        await asyncio.sleep(delay)


def _fresh(decoder: Decoder) -> Decoder:
    """A decoder with the same keys and zone, for trying line settings."""
    return Decoder(key=decoder.key, auth_key=decoder.auth_key, zone=decoder.zone)


async def _read_until_fault(
    source: Source,
    decoder: Decoder,
    publish: Callable[[Reading], None],
    report: _Report,
    stale_after_s: float,
    backoff: Backoff,
) -> None:
    state = report.state
    received = 0
    rejected_before = state.rejected
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
                raise _Stale(_stale(state, stale_after_s, received, rejected_before)) from None
            state.bytes_read += len(chunk)
            received += len(chunk)
            if state.status not in ("connected", "stale"):
                report.status("connected")  # bytes arrive: the port is open
            items = decoder.feed(chunk, datetime.now(UTC))
            if not items:
                continue
            _learn(report, decoder)
            for item in items:
                if isinstance(item, Reading):
                    publish(item)
                    _note_reading(report, item)
                    last_verified = time.monotonic()
                    backoff.reset()
                    if state.status != "connected":
                        report.status("connected")
                else:
                    _note_rejection(report, item)
            if time.monotonic() - last_verified > stale_after_s:
                raise _Stale(_stale(state, stale_after_s, received, rejected_before))


def _note_reading(report: _Report, reading: Reading) -> None:
    state = report.state
    state.readings += 1
    state.last_reading_at = reading.received_at
    state.rejected_since_reading = 0
    state.last_rejection = None
    if not reading.verified and not state.unverified:  # said when it starts, not every 10 s
        report.say(logging.WARNING, "reader.unverified", source=state.source, format=state.format)
    state.unverified = not reading.verified


def _note_rejection(report: _Report, rejected: Rejected) -> None:
    state = report.state
    state.rejected += 1
    if state.rejected_since_reading == 0:  # the first of a run: say why, once
        report.say(logging.WARNING, "reader.rejected", reason=rejected)
    state.rejected_since_reading += 1
    state.last_rejection = rejected.reason


def _learn(report: _Report, decoder: Decoder) -> None:
    """Take what the decoder found out about the meter; say what is new, once."""
    state = report.state
    unauthenticated, scales = state.unauthenticated, state.energy_scales
    _note_decoder(state, decoder)
    if state.unauthenticated is not None and state.unauthenticated != unauthenticated:
        report.say(logging.WARNING, "reader.unauthenticated", title=state.unauthenticated)
    if state.energy_scales is not scales:  # replaced only when it changed
        for meter, scale in state.energy_scales.items():
            if scales.get(meter) != scale:
                key = "reader.energy_scale" if meter else "reader.energy_scale_no_id"
                report.say(logging.INFO, key, meter=meter, source=state.source, scale=scale)


def _note_decoder(state: ReaderState, decoder: Decoder) -> None:
    """Copy what the decoder has found out about the meter into the state."""
    state.format = decoder.format
    state.unauthenticated = decoder.stats.unauthenticated_sender
    if decoder.stats.energy_scales != state.energy_scales:
        state.energy_scales = dict(decoder.stats.energy_scales)


def _stale(state: ReaderState, after_s: float, received: int, rejected_before: int) -> _Problem:
    """Why no reading came on this connection: nothing, bytes without frames, or rejections."""
    source, seconds = state.source, after_s
    if state.rejected > rejected_before and state.last_rejection is not None:
        count = state.rejected_since_reading
        code = plural_code("reader.stale_rejected", count)
        why = _Clause(state.last_rejection)
        return Message(code, source=source, seconds=seconds, count=count, reason=why)
    if received:
        return Message("reader.stale_noise", source=source, seconds=seconds, bytes=received)
    return Message("reader.stale_silent", source=source, seconds=seconds)


def _clause(sentence: str) -> str:
    """A sentence to be continued after a semicolon: without its final full stop."""
    return sentence[:-1] if sentence.endswith(".") else sentence
