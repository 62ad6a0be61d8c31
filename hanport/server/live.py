"""The app's live readings on `hanport server`: each open app gets its own sites' readings as
the gateways send them, straight from NATS (a core subscription beside the stream: the live view
does not wait for the database, and the stream's consumer is not touched).

A `SiteHub` is the app's hub there. A browser's stream subscribes with the caller's sites; the
first subscriber of a site starts a NATS subscription on `hanport.v1.<site>.*.reading`, the
last one to leave ends it, so the server parses only the readings someone is looking at.
Readings are checked as the workers check them (`hanport.server.ingest.decode`) and carry
the stored meter id `<site>/<meter>`. `latest` is always None: one reading "now" for every
caller would show one site's reading to another; the API reads each meter's latest from the
store instead.
"""

from __future__ import annotations

import asyncio
import contextlib

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription as NatsSubscription

from hanport.model import Reading
from hanport.runtime.hub import Hub, Subscription
from hanport.server.ingest import decode

__all__ = ["SiteHub"]


class SiteHub(Hub):
    def __init__(self, language: str = "en") -> None:
        super().__init__(language)
        self._client: Client | None = None
        self._watchers: dict[str, list[Subscription]] = {}
        self._nats: dict[str, asyncio.Task[NatsSubscription | None]] = {}

    @property
    def latest(self) -> Reading | None:
        return None

    @latest.setter
    def latest(self, reading: Reading | None) -> None:
        pass

    def attach(self, client: Client) -> None:
        """The server's NATS connection (the app's streams wait for it)."""
        self._client = client
        for site in self._watchers:
            self._watch(site)

    def subscribe(
        self, name: str, size: int = 1000, sites: frozenset[str] | None = None
    ) -> Subscription:
        subscription = Subscription(name, size, self.language)
        for site in sorted(sites or ()):
            watchers = self._watchers.setdefault(site, [])
            watchers.append(subscription)
            if len(watchers) == 1 and self._client is not None:
                self._watch(site)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        for site, watchers in list(self._watchers.items()):
            if subscription in watchers:
                watchers.remove(subscription)
            if not watchers:
                del self._watchers[site]
                task = self._nats.pop(site, None)
                if task is not None:
                    task.add_done_callback(_unsubscribe)

    @property
    def watched(self) -> list[str]:
        """The sites whose readings come from NATS now."""
        return sorted(self._nats)

    def _watch(self, site: str) -> None:
        if site in self._nats or self._client is None:
            return
        self._nats[site] = asyncio.get_running_loop().create_task(self._nats_subscribe(site))

    async def _nats_subscribe(self, site: str) -> NatsSubscription | None:
        assert self._client is not None
        try:
            return await self._client.subscribe(f"hanport.v1.{site}.*.reading", cb=self._arrived)
        except nats.errors.Error:
            return None  # the stream goes on with status events; a new one tries again

    async def _arrived(self, message: Msg) -> None:
        found = decode([(0, message.subject, message.data)])  # a bad one: the workers say so
        for reading, where in zip(found.readings, found.committed, strict=True):
            for subscription in self._watchers.get(where.site, ()):
                subscription.offer(reading)


def _unsubscribe(task: asyncio.Task[NatsSubscription | None]) -> None:
    if task.cancelled() or task.exception() is not None:
        return
    found = task.result()
    if found is not None:
        with contextlib.suppress(Exception):
            asyncio.get_running_loop().create_task(_end(found))


async def _end(subscription: NatsSubscription) -> None:
    with contextlib.suppress(nats.errors.Error):
        await subscription.unsubscribe()
