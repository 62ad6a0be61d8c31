"""The MQTT sink: each reading to the broker as soon as it is decoded; Home Assistant discovery.

The sink owns one connection at a time. When the broker is down or refuses hanport it says why
once, in one sentence, and retries with backoff (1 s doubling to 60 s). Meanwhile it keeps only
the latest reading: nothing stale is replayed when the broker is back, and the reader and the
other sinks never wait for it. On cancellation it says `offline` and disconnects within 2 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time

import aiomqtt

from hanport.backoff import Backoff
from hanport.model import Reading
from hanport.mqtt.connection import OFFLINE, ONLINE, make_client
from hanport.mqtt.payloads import (
    Message,
    announced_fields,
    availability_topic,
    discovery_message,
    reading_messages,
    topics,
)
from hanport.mqtt.problems import ProblemLog, SetupProblem, explain
from hanport.mqtt.publisher import MqttPublisher
from hanport.mqtt.settings import MqttSettings
from hanport.runtime.hub import EndOfReadings, Subscription
from hanport.runtime.sink import RuntimeView

__all__ = ["MqttSink", "run_mqtt_sink"]

log = logging.getLogger(__name__)

OFFLINE_S, DISCONNECT_S = 0.8, 1.0
"""Shutdown waits at most this long for `offline`, then for the DISCONNECT: under 2 s."""
REDISCOVER_DELAY_S = (0.2, 2.0)
"""Home Assistant restarted: re-send discovery after a random delay, as its docs ask."""


class MqttSink:
    """The MQTT sink of `hanport run` (see `run_mqtt_sink`)."""

    name = "mqtt"
    queue_size = 100

    def __init__(self, settings: MqttSettings) -> None:
        self.settings = settings
        self.publisher = MqttPublisher()

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        view.offer(self.publisher)
        await run_mqtt_sink(readings, self.settings, publisher=self.publisher)


async def run_mqtt_sink(
    readings: Subscription,
    settings: MqttSettings,
    *,
    backoff: Backoff | None = None,
    publisher: MqttPublisher | None = None,
) -> None:
    """Publish readings (and what other parts hand `publisher`) until they end (then say
    `offline`) or cancelled. Never raises for broker trouble; the broker learns whether
    readings are fresh from `expire_after`."""
    link = _Link(settings, publisher or MqttPublisher())
    backoff = backoff or Backoff(1.0, 60.0)
    problems = ProblemLog()
    with contextlib.suppress(EndOfReadings):
        while True:
            link.connected = False
            try:
                await _session(link, readings, problems, backoff)
            except (aiomqtt.MqttError, OSError, SetupProblem) as error:
                problems.report(explain(error, settings, connected=link.connected))
            await link.hold(readings, backoff.next())


class _Link:
    """What outlives one connection: the latest reading and the discovery already sent."""

    def __init__(self, settings: MqttSettings, publisher: MqttPublisher) -> None:
        self.settings = settings
        self.publisher = publisher
        self.connected = False
        self.latest: Reading | None = None
        self._latest_at = 0.0
        self._announced: dict[str, frozenset[str]] = {}

    def take(self, reading: Reading) -> None:
        self.latest = reading
        self._latest_at = time.monotonic()

    def fresh(self) -> bool:
        """Whether the latest reading is still worth publishing after a reconnect."""
        limit = self.settings.expire_after_s or 30
        return self.latest is not None and time.monotonic() - self._latest_at <= limit

    def forget_discovery(self) -> None:
        self._announced.clear()

    async def hold(self, readings: Subscription, seconds: float) -> None:
        """Wait `seconds`, keeping only the newest reading (the hub then never drops any)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                while True:
                    self.take(await readings.get())

    async def send(
        self,
        client: aiomqtt.Client,
        reading: Reading,
        *,
        state: bool = True,
        rediscover: bool = False,
    ) -> None:
        messages = self._discovery(reading, rediscover) if self.settings.discovery else []
        if state:
            messages += reading_messages(self.settings, reading)
        for message in messages:
            await client.publish(
                message.topic, message.payload, qos=self.settings.qos, retain=message.retain
            )
            _still_running()

    def _discovery(self, reading: Reading, again: bool) -> list[Message]:
        topic = topics(self.settings, reading).discovery
        known = self._announced.get(topic, frozenset())
        names = announced_fields(reading)
        if not names or (names <= known and not again):
            return []
        self._announced[topic] = known | names
        extra = self.publisher.components
        return [discovery_message(self.settings, reading, known | names, extra)]


async def _session(
    link: _Link, readings: Subscription, problems: ProblemLog, backoff: Backoff
) -> None:
    settings = link.settings
    client = make_client(settings)
    cancelled = False
    try:
        async with client:
            _still_running()
            link.connected = True
            problems.connected(settings)
            backoff.reset()
            link.forget_discovery()  # the broker may have restarted without its retained ones
            try:
                await _serve(client, link, readings)
            except (asyncio.CancelledError, EndOfReadings):
                cancelled = True
                await _goodbye(client, settings)
                raise
    except aiomqtt.MqttError:
        if cancelled:  # a slow DISCONNECT must not swallow the end or the cancellation
            if readings.closed:
                raise EndOfReadings from None
            raise asyncio.CancelledError from None
        raise


async def _serve(client: aiomqtt.Client, link: _Link, readings: Subscription) -> None:
    settings = link.settings
    await client.publish(availability_topic(settings), ONLINE, qos=settings.qos, retain=True)
    if settings.discovery:
        await client.subscribe(f"{settings.discovery_prefix}/status")
    _still_running()
    if link.latest is not None:
        await link.send(client, link.latest, state=link.fresh())
    link.publisher.reconnected()
    tasks = {
        asyncio.create_task(_listen(client, link)),
        asyncio.create_task(_pump(client, link, readings)),
        asyncio.create_task(_hand_on(client, link)),
    }
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        task.result()  # the MqttError that ended the session


async def _pump(client: aiomqtt.Client, link: _Link, readings: Subscription) -> None:
    """Publish each reading; if several wait (a slow broker), only the newest."""
    while True:
        reading = await readings.get()
        waiting = readings.drain()
        link.take(waiting[-1] if waiting else reading)
        assert link.latest is not None
        await link.send(client, link.latest)


async def _hand_on(client: aiomqtt.Client, link: _Link) -> None:
    """Send what other parts handed the publisher; discovery again when they added components."""
    qos = link.settings.qos
    while True:
        await link.publisher.wake.wait()
        messages, rediscover = link.publisher.take()
        if rediscover and link.latest is not None:
            await link.send(client, link.latest, state=False, rediscover=True)
        for message in messages:
            await client.publish(message.topic, message.payload, qos=qos, retain=message.retain)
            _still_running()


async def _listen(client: aiomqtt.Client, link: _Link) -> None:
    """Home Assistant says `online` after it starts: send discovery (and the state) again.

    Iterating the messages is also how a lost connection is noticed: it raises `MqttError`.
    """
    async for message in client.messages:
        if message.payload != ONLINE.encode() or link.latest is None:
            continue
        await asyncio.sleep(random.uniform(*REDISCOVER_DELAY_S))
        await link.send(client, link.latest, state=link.fresh(), rediscover=True)


async def _goodbye(client: aiomqtt.Client, settings: MqttSettings) -> None:
    with contextlib.suppress(aiomqtt.MqttError):
        await client.publish(
            availability_topic(settings), OFFLINE, qos=settings.qos, retain=True, timeout=OFFLINE_S
        )
    client.timeout = DISCONNECT_S  # bounds the DISCONNECT handshake in `__aexit__`


def _still_running() -> None:
    """Raise the cancellation that Python 3.11's `asyncio.wait_for` (inside aiomqtt) can swallow.

    When the awaited operation completes just as the task is cancelled, 3.11 returns the result
    and drops the `CancelledError`; the task would then wait for the next reading for ever.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
