"""The gateway's connection to the server: publish the outbox, take the server's watermarks.

Each connection subscribes to `hanport/v1/<site>/ack`, then sends every unconfirmed entry of
the outbox (QoS 1), oldest first, then each new one as it is kept. Entries leave the outbox
only when a watermark passes them; entries still unconfirmed `resend_s` after they were all
sent go again (a duplicate is harmless: the server keys readings by meter and meter time).
"""

from __future__ import annotations

import asyncio
import logging
import time

import aiomqtt

from hanport.backoff import Backoff
from hanport.i18n import text
from hanport.mqtt.connection import make_client, subscribe
from hanport.mqtt.problems import MqttProblem, ProblemLog, explain
from hanport.upstream.outbox import Entry, Outbox
from hanport.upstream.settings import UpstreamSettings
from hanport.upstream.wire import WireError, ack_topic, parse_ack, reading_topic

__all__ = ["Link"]

log = logging.getLogger("hanport.upstream")
WINDOW = 8
"""QoS 1 messages in flight at once (aiomqtt warns past 10 waiting calls)."""


class Link:
    def __init__(self, settings: UpstreamSettings, outbox: Outbox, lock: asyncio.Lock) -> None:
        self.settings = settings
        self.outbox = outbox
        self.lock = lock
        self.more = asyncio.Event()
        self.confirmed = 0
        self.acks_received = 0
        self._sent = 0
        self._progress_at = time.monotonic()
        self._bad_ack = False

    def wake(self) -> None:
        self.more.set()

    async def run(self, backoff: Backoff | None = None) -> None:
        """Until cancelled: connect, exchange, and reconnect with backoff."""
        backoff = backoff or Backoff(1.0, 60.0)
        problems = ProblemLog()
        setting = "upstream.url"
        while True:
            connected = False
            try:
                async with make_client(self.settings.broker, will=False) as client:
                    connected = True
                    topic = ack_topic(self.settings.site)
                    await subscribe(client, topic, 1, self.settings.broker.safe_url)
                    problems.connected(self.settings.broker)
                    backoff.reset()
                    async with asyncio.TaskGroup() as group:
                        group.create_task(self._acks(client))
                        group.create_task(self._send(client))
            except* (aiomqtt.MqttError, OSError, MqttProblem) as errors:
                error = errors.exceptions[0]
                problems.report(explain(error, self.settings.broker, connected, setting))
            await asyncio.sleep(backoff.next())

    async def _acks(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            try:
                watermarks = parse_ack(bytes(message.payload))
            except WireError as error:
                if not self._bad_ack:
                    self._bad_ack = True
                    log.warning("%s", error)
                continue
            self.acks_received += 1
            async with self.lock:
                gone = await asyncio.to_thread(self.outbox.confirm, watermarks)
            if gone or not len(self.outbox):
                self.confirmed += gone
                self._progress_at = time.monotonic()

    async def _send(self, client: aiomqtt.Client) -> None:
        self._sent = self.outbox.first_number
        topic_of: dict[str, str] = {}
        while True:
            async with self.lock:
                start = max(self._sent, self.outbox.first_number)
                page = await asyncio.to_thread(_page, self.outbox, start)
                upto = self.outbox.last_number_of_page(start)
            for first in range(0, len(page), WINDOW):
                sending = []
                for entry, payload in page[first : first + WINDOW]:
                    topic = topic_of.get(entry.meter)
                    if topic is None:
                        topic = reading_topic(self.settings.site, entry.meter)
                        topic_of[entry.meter] = topic
                    sending.append(client.publish(topic, payload, qos=1))
                await asyncio.gather(*sending)
            self._sent = upto
            self.outbox.published = max(self.outbox.published, upto)
            if self._sent >= self.outbox.next_number:
                await self._idle()

    async def _idle(self) -> None:
        """Wait for a new entry; after `resend_s` without progress, send the rest again."""
        self.more.clear()
        if self._sent < self.outbox.next_number:
            return
        try:
            async with asyncio.timeout(self.settings.resend_s):
                await self.more.wait()
        except TimeoutError:
            stalled = time.monotonic() - self._progress_at >= self.settings.resend_s
            if len(self.outbox) and stalled:
                log.info("%s", text("upstream.resending", "en", count=len(self.outbox)))
                self._sent = self.outbox.first_number
                self._progress_at = time.monotonic()


def _page(outbox: Outbox, start: int) -> list[tuple[Entry, str]]:
    return list(outbox.page(start))
