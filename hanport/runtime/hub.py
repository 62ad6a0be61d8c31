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

__all__ = ["Hub", "Subscription"]

log = logging.getLogger(__name__)


class Subscription:
    """One sink's view of the hub: iterate it to get readings in order."""

    def __init__(self, name: str, size: int, language: str = "en") -> None:
        self.name = name
        self.language = language
        self.dropped = 0
        self._queue: asyncio.Queue[Reading] = asyncio.Queue(size)
        self._lagging = False

    def offer(self, reading: Reading) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
            if not self._lagging:
                self._lagging = True
                log.warning("%s", text("sink_lagging", self.language, sink=self.name))
        self._queue.put_nowait(reading)

    async def get(self) -> Reading:
        reading = await self._queue.get()
        if self._lagging and self._queue.empty():
            self._lagging = False
            caught_up = text("sink_caught_up", self.language, sink=self.name, dropped=self.dropped)
            log.info("%s", caught_up)
        return reading

    def pending(self) -> int:
        return self._queue.qsize()

    def drain(self) -> list[Reading]:
        """Everything waiting, at once (for a sink that is shutting down)."""
        waiting: list[Reading] = []
        while not self._queue.empty():
            waiting.append(self._queue.get_nowait())
        return waiting

    def __aiter__(self) -> AsyncIterator[Reading]:
        return self._readings()

    async def _readings(self) -> AsyncIterator[Reading]:
        while True:
            yield await self.get()


class Hub:
    """`publish()` a reading once; every subscription gets it. Keeps the latest reading.

    `language`: of what the subscriptions log (English unless `hanport run` chose another).
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self.latest: Reading | None = None
        self._subscriptions: list[Subscription] = []

    def subscribe(self, name: str, size: int = 1000) -> Subscription:
        subscription = Subscription(name, size, self.language)
        self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.remove(subscription)

    def publish(self, reading: Reading) -> None:
        self.latest = reading
        for subscription in self._subscriptions:
            subscription.offer(reading)
