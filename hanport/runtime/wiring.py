"""`hanport run` assembled: the reader publishes to the hub, and every sink runs in one
`asyncio.TaskGroup` on its own bounded subscription (storage always; the app, MQTT and the
other subsystems as `hanport.plugins` builds them from the settings).

A slow or failing sink never holds up the reader or the others: its queue drops its own oldest
readings, and an error that escapes it is said once and ends only that sink. The stop (SIGTERM,
Ctrl-C, `count` readings shown, a replay that ended) goes in order: the reader stops, the hub
closes, and each sink gets what it still holds and returns (the store writes all it accepted,
MQTT says offline, the app closes its streams); one that takes longer than `FINISH_S` is
cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from hanport.codec.decoder import Decoder
from hanport.i18n import text
from hanport.model import Reading
from hanport.runtime.hub import Hub, Subscription
from hanport.runtime.sink import RuntimeView, Sink
from hanport.runtime.storage import StorageSink
from hanport.runtime.view import Runtime
from hanport.settings.loader import Settings
from hanport.sources.reader import ReaderState, read_meter
from hanport.sources.transport import Source
from hanport.store import open_store

__all__ = ["FINISH_S", "run_runtime"]

log = logging.getLogger(__name__)

FINISH_S = 5.0
"""At the stop, how long the sinks may take to finish what they hold."""


async def run_runtime(
    source: Source,
    decoder: Decoder,
    settings: Settings,
    database: str,
    sinks: Sequence[Sink],
    show: Callable[[Reading], None],
    count: int = 0,
    language: str = "en",
) -> int | None:
    """Read until stopped; the signal that stopped it (None: `count`, or the source's end).

    `language`: of the lines the reader, the hub and the sinks log.
    """
    zone = ZoneInfo(settings.timezone)
    writing = open_store(database, zone)
    reading = open_store(database, zone, upgrade=False)  # the writer upgraded it
    hub = Hub(language)
    state = ReaderState(str(source))
    view = Runtime(settings, hub, state, reading)
    every = [StorageSink(writing, settings.retention_days), *sinks]
    subscriptions = [(sink, hub.subscribe(sink.name, sink.queue_size)) for sink in every]
    console = hub.subscribe("console")
    stop = _stop_on_signals()
    try:
        async with asyncio.TaskGroup() as group:
            running = [
                group.create_task(_run_sink(sink, readings, view, language), name=sink.name)
                for sink, readings in subscriptions
            ]
            reader = asyncio.create_task(
                read_meter(
                    source,
                    decoder,
                    hub.publish,
                    state,
                    interval_s=settings.interval_s,
                    language=language,
                )
            )
            failure: BaseException | None = None
            try:
                await _show_readings(console, reader, stop, show, count)
            except Exception as error:  # the reader's: raised once the sinks have finished
                failure = error
            finally:
                await _finish(reader, hub, running)
    finally:
        writing.close()
        reading.close()
    if failure is not None:
        raise failure
    return stop.signal


class _Stop(asyncio.Event):
    """Set by SIGTERM or SIGINT (Ctrl-C); `signal` says which."""

    signal: int | None = None

    def by(self, number: int) -> None:
        self.signal = number
        self.set()


def _stop_on_signals() -> _Stop:
    stop = _Stop()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.by, number)
    return stop


async def _run_sink(sink: Sink, readings: Subscription, view: RuntimeView, language: str) -> None:
    """One sink, kept from taking the others down with it."""
    try:
        await sink.run(readings, view)
    except Exception as error:  # a bug in one sink must not stop the reader or the others
        log.error("%s", text("runtime.sink_failed", language, sink=sink.name, error=error))
        readings.close()


async def _show_readings(
    console: Subscription,
    reader: asyncio.Task[None],
    stop: asyncio.Event,
    show: Callable[[Reading], None],
    count: int,
) -> None:
    shown = 0
    stopped = asyncio.create_task(stop.wait())
    try:
        while count == 0 or shown < count:
            if reader.done() and not console.pending():
                reader.result()  # a replay that ended, or the error that stopped the reader
                return
            next_reading = asyncio.ensure_future(console.get())
            await asyncio.wait({next_reading, reader, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not next_reading.done():
                next_reading.cancel()
                if stop.is_set():
                    return
                continue
            show(next_reading.result())
            shown += 1
    finally:
        stopped.cancel()


async def _finish(reader: asyncio.Task[None], hub: Hub, running: list[asyncio.Task[None]]) -> None:
    """Stop the reader, close the hub, give the sinks `FINISH_S` to write or send what they hold."""
    reader.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await reader
    hub.close()
    _, late = await asyncio.wait(running, timeout=FINISH_S)
    for task in late:
        task.cancel()
