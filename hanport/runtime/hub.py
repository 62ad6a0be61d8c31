"""Fan-out of readings to sinks (store, MQTT, web, EV control) through bounded queues.

A slow or failing sink never blocks the reader or the other sinks: when its queue is full the
oldest reading waiting for it is dropped, and that is said once in the log (and again only after
it has caught up), never every 10 s.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from hanport.i18n import text
from hanport.model import Reading

__all__ = ["EndOfReadings", "Hub", "Subscription"]

log = logging.getLogger(__name__)


class EndOfReadings(Exception):
    """`Subscription.get()` after the hub has closed and everything waiting was taken."""


class _End:
    """What `Hub.close()` puts behind the last reading of each subscription."""


_END = _End()


class Subscription:
    """One sink's view of the hub: iterate it to get readings in order, until the hub closes."""

    def __init__(self, name: str, size: int, language: str = "en") -> None:
        self.name = name
        self.language = language
        self.dropped = 0
        self.size = size
        self._queue: asyncio.Queue[Reading | _End] = asyncio.Queue()
        self._lagging = False
        self._closed = False

    def offer(self, reading: Reading) -> None:
        if self._closed:
            return
        if self._queue.qsize() >= self.size:
            self._queue.get_nowait()
            self.dropped += 1
            if not self._lagging:
                self._lagging = True
                log.warning("%s", text("runtime.sink_lagging", self.language, sink=self.name))
        self._queue.put_nowait(reading)

    def close(self) -> None:
        """No more readings come: `get()` gives what waits, then raises `EndOfReadings`."""
        if not self._closed:
            self._closed = True
            self._queue.put_nowait(_END)

    async def get(self) -> Reading:
        reading = await self._queue.get()
        if isinstance(reading, _End):
            self._queue.put_nowait(reading)  # every later get() ends too
            raise EndOfReadings
        if self._lagging and self._queue.empty():
            self._lagging = False
            caught_up = text(
                "runtime.sink_caught_up", self.language, sink=self.name, dropped=self.dropped
            )
            log.info("%s", caught_up)
        return reading

    def pending(self) -> int:
        return self._queue.qsize() - int(self._closed)

    @property
    def closed(self) -> bool:
        return self._closed

    def drain(self) -> list[Reading]:
        """Everything waiting, at once (the newest, or all for a sink that is shutting down)."""
        waiting: list[Reading] = []
        while not self._queue.empty():
            item = self._queue.get_nowait()
            if isinstance(item, _End):
                self._queue.put_nowait(item)
                break
            waiting.append(item)
        return waiting

    def __aiter__(self) -> AsyncIterator[Reading]:
        return self._readings()

    async def _readings(self) -> AsyncIterator[Reading]:
        while True:
            try:
                reading = await self.get()
            except EndOfReadings:
                return
            yield reading


class Hub:
    """`publish()` a reading once; every subscription gets it. Keeps the latest reading.

    `language`: of what the subscriptions log (English unless `hanport run` chose another).
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self.latest: Reading | None = None
        self._subscriptions: list[Subscription] = []

    def subscribe(
        self, name: str, size: int = 1000, sites: frozenset[str] | None = None
    ) -> Subscription:
        """`sites`: the sites the subscriber may see (the app on `hanport server`); a household's
        hub has one site, and every reading goes to every subscription."""
        subscription = Subscription(name, size, self.language)
        self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.remove(subscription)

    def publish(self, reading: Reading) -> None:
        self.latest = reading
        for subscription in self._subscriptions:
            subscription.offer(reading)

    def close(self) -> None:
        """The reader has stopped: each subscription ends after the readings it holds."""
        for subscription in self._subscriptions:
            subscription.close()
