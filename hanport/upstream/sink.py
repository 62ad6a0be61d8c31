"""The upstream sink: each verified reading into the outbox first, then to the server."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from hanport.i18n import text
from hanport.runtime.hub import Subscription
from hanport.runtime.sink import RuntimeView
from hanport.store import RecordStore, open_store
from hanport.upstream.link import Link
from hanport.upstream.outbox import Outbox
from hanport.upstream.settings import UpstreamSettings

__all__ = ["UpstreamSink"]

log = logging.getLogger("hanport.upstream")


class UpstreamSink:
    name = "upstream"
    queue_size = 10_000

    def __init__(self, settings: UpstreamSettings, database: str) -> None:
        self.settings = settings
        self.database = database
        self.link: Link | None = None

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        store = await asyncio.to_thread(open_store, self.database, view.store.zone, upgrade=False)
        try:
            if not isinstance(store, RecordStore):
                log.error("%s", text("upstream.no_records", "en"))
                return
            lock = asyncio.Lock()
            outbox = await asyncio.to_thread(Outbox, store, self.settings.outbox_max)
            if len(outbox):
                log.info("%s", text("upstream.outbox_loaded", "en", count=len(outbox)))
            self.link = link = Link(self.settings, outbox, lock)
            task = asyncio.create_task(link.run())
            try:
                async for reading in readings:
                    batch = [reading, *readings.drain()]
                    async with lock:
                        dropped = await asyncio.to_thread(outbox.add, batch)
                    if dropped:
                        log.warning(
                            "%s",
                            text(
                                "upstream.outbox_full",
                                "en",
                                dropped=dropped,
                                limit=self.settings.outbox_max,
                            ),
                        )
                    link.wake()
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        finally:
            await asyncio.to_thread(store.close)
