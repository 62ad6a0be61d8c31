"""`hanport run` assembled: the reader, the hub and its sinks (storage, MQTT, the app, console).

Every sink has its own bounded queue on the hub, so a slow or failing one never holds up the
reader or the others. Cancelling `run_runtime` (SIGTERM, Ctrl-C, `count` reached) stops the
reader first, then lets every sink finish what it holds; the store writes all it accepted.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from hanport.codec.decoder import Decoder
from hanport.i18n import text
from hanport.model import Reading
from hanport.runtime.hub import Hub
from hanport.settings.loader import Settings
from hanport.sources.reader import ReaderState, read_meter
from hanport.sources.transport import Source
from hanport.store.sink import run_store_sink
from hanport.store.sqlite import SqliteStore

__all__ = ["run_runtime"]

log = logging.getLogger(__name__)


async def run_runtime(
    source: Source,
    decoder: Decoder,
    store: SqliteStore,
    settings: Settings,
    show: Callable[[Reading], None],
    count: int = 0,
    started: Callable[[], None] | None = None,
    listener: socket.socket | None = None,
    language: str = "en",
) -> int:
    """Read until cancelled (or `count` readings were shown, or a replay ended).

    `language`: of the lines the reader and the hub log.
    """
    main = asyncio.current_task()
    assert main is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main.cancel)
    hub = Hub(language)
    console = hub.subscribe("console")
    state = ReaderState(str(source))
    sinks = [
        asyncio.create_task(
            run_store_sink(
                hub.subscribe("storage", 100_000), store, prune=_pruner(store, settings)
            ),
            name="storage",
        )
    ]
    for name, sink in _optional_sinks(hub, state, settings, store.path, decoder, listener):
        sinks.append(asyncio.create_task(sink, name=name))
    reader = asyncio.create_task(
        read_meter(source, decoder, hub, state, interval_s=settings.interval_s, language=language)
    )
    if started is not None:
        started()
    try:
        return await _show_readings(console, reader, show, count)
    finally:
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
        await asyncio.sleep(0)  # let the sinks take what the reader published last
        for task in sinks:
            task.cancel()  # each writes or sends what it holds before it ends
        results = await asyncio.gather(*sinks, return_exceptions=True)
        for task, result in zip(sinks, results, strict=True):
            if isinstance(result, Exception):
                failed = text("sink_failed", language, sink=task.get_name(), error=result)
                log.error("%s", failed)


def _optional_sinks(
    hub: Hub,
    state: ReaderState,
    settings: Settings,
    database: str,
    decoder: Decoder,
    listener: socket.socket | None,
) -> list[tuple[str, Coroutine[Any, Any, None]]]:
    sinks: list[tuple[str, Coroutine[Any, Any, None]]] = []
    if settings.mqtt is not None:
        from hanport.mqtt.sink import run_mqtt_sink

        sinks.append(("mqtt", run_mqtt_sink(hub.subscribe("mqtt", 100), settings.mqtt, state)))
    if listener is not None:
        from hanport.web.server import serve_app

        sinks.append(("web", serve_app(hub, state, settings, database, decoder, listener)))
    return sinks


async def _show_readings(
    console: Any, reader: asyncio.Task[None], show: Callable[[Reading], None], count: int
) -> int:
    shown = 0
    while count == 0 or shown < count:
        if reader.done() and not console.pending():
            reader.result()  # a replay that ended, or the error that stopped the reader
            break
        next_reading = asyncio.ensure_future(console.get())
        await asyncio.wait({next_reading, reader}, return_when=asyncio.FIRST_COMPLETED)
        if not next_reading.done():
            next_reading.cancel()
            continue
        show(next_reading.result())
        shown += 1
    return 0


def _pruner(store: SqliteStore, settings: Settings) -> Callable[[], object] | None:
    days = settings.retention_days
    if not days:
        return None
    return lambda: store.prune(datetime.now(UTC) - timedelta(days=days))
