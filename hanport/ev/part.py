"""EV charging control as a part of `hanport run` (see `hanport.ev.plugin`).

The sink offers its `EvControl` to the running hanport (the app's EV page, its API and its
status find it with `view.find(EvControl)`), runs it on the readings (the OCPP central system,
the go-e pollers, the MQTT chargers), keeps every limit in the store (records `ev_limit`) and
logs it, and publishes through the MQTT sink's `MqttPublisher` when a broker is set: the signed
phase currents with every reading, SmartEVSE's feed, the control's state on every change (and
every `STATE_EVERY_S`), and its Home Assistant components.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.ev.control import EvControl
from hanport.ev.controller import Event
from hanport.ev.publishing import components, reading_messages, state_messages
from hanport.ev.records import LimitWriter
from hanport.ev.settings import EV
from hanport.ev.wording import logs_in, say
from hanport.model import Reading
from hanport.mqtt.payloads import Message
from hanport.mqtt.publisher import MqttPublisher
from hanport.mqtt.settings import MQTT
from hanport.runtime.hub import Subscription
from hanport.runtime.sink import RuntimeView
from hanport.settings.loader import Settings
from hanport.store import Store, open_store
from hanport.store.base import RecordStore

__all__ = ["FLUSH_S", "STATE_EVERY_S", "EvSink", "price_source"]

FLUSH_S = 2.0
"""How often the limits decided are written to the store."""
STATE_EVERY_S = 30.0
"""The control's state is published on every change, and at least this often."""
PRICES, PRICE_AREA = "prices", "ee"
_TICK = timedelta(microseconds=1)


class EvSink:
    name = "ev"
    queue_size = 10

    def __init__(self, settings: Settings, database: str) -> None:
        for library in ("ocpp", "websockets"):  # every message and connection: not for the log
            logging.getLogger(library).setLevel(logging.WARNING)
        self.ev = settings.get(EV)
        self.mqtt = settings.get(MQTT)
        self.interval_s = settings.interval_s
        self.zone = ZoneInfo(settings.timezone)
        self.database = database
        self.language = self.mqtt.language if self.mqtt is not None else "en"
        self._view: RuntimeView | None = None
        self._changed = asyncio.Event()
        self._components: dict[str, dict[str, object]] = {}
        publish = self._publish if self.mqtt is not None else None
        self.control = EvControl(
            self.ev, settings.site, self.zone, publish=publish, on_event=self._event
        )
        self.writer = LimitWriter(None)
        self.control.log.listen(self.writer.add)
        self.control.log.listen(lambda record: self._changed.set())

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        self._view = view
        logs_in(readings.language)
        view.offer(self.control)
        store = await asyncio.to_thread(open_store, self.database, self.zone, upgrade=False)
        self.writer.store = store if isinstance(store, RecordStore) else None
        self.control.price_at = price_source(store)
        tasks = [asyncio.create_task(self._flushing()), asyncio.create_task(self._states())]
        try:
            await self.control.run(self._readings(readings))
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.writer.flush()
            await asyncio.to_thread(store.close)

    def announcement(self, language: str) -> str:
        """What `hanport run` prints at start: where OCPP chargers connect, the mode."""
        ev = self.ev
        common = {"mode": ev.mode, "failsafe_a": ev.failsafe_a}
        if ev.ocpp_host is None:
            return say("ev.run.announce", language, chargers=len(ev.chargers), **common)
        scheme = "wss" if ev.ocpp_cert_file else "ws"
        host = f"[{ev.ocpp_host}]" if ":" in ev.ocpp_host else ev.ocpp_host
        return say(
            "ev.run.announce_ocpp", language, scheme=scheme, host=host, port=ev.ocpp_port, **common
        )

    def close(self) -> None:
        """Built but never run (the start failed later): drop the services not started."""
        for service in self.control.services:
            service.close()
        self.control.services = []

    async def _readings(self, readings: Subscription) -> AsyncIterator[Reading]:
        async for reading in readings:
            if self.mqtt is not None:
                now = datetime.now(UTC)
                for message in reading_messages(
                    self.mqtt, reading, now, self.interval_s, self.ev.smartevse_prefix
                ):
                    self._publish(message)
                self._discover(reading)
            yield reading

    async def _flushing(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_S)
            await self.writer.flush()

    async def _states(self) -> None:
        """Costs every second; the state on MQTT when it changed, or every `STATE_EVERY_S`."""
        sent: str | None = None
        sent_at = 0.0
        loop = asyncio.get_running_loop()
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await self._changed.wait()
            self._changed.clear()
            now = datetime.now(UTC)
            self.control.update_costs(now)
            if self.mqtt is None:
                continue
            messages = state_messages(self.mqtt, self.control.status(self.language, now))
            body = "".join(m.payload for m in messages)
            if body != sent or loop.time() - sent_at >= STATE_EVERY_S:
                for message in messages:
                    self._publish(message)
                sent, sent_at = body, loop.time()

    def _discover(self, reading: Reading) -> None:
        publisher = self._publisher()
        if publisher is None or self.mqtt is None:
            return
        ids = sorted({c.id for c in self.ev.chargers} | {c.id for c in self.control.fleet})
        found = components(self.mqtt, reading, ids)
        if found != self._components:
            publisher.add_components(found)
            self._components = found

    def _publisher(self) -> MqttPublisher | None:
        return self._view.find(MqttPublisher) if self._view is not None else None

    def _publish(self, message: Message) -> None:
        publisher = self._publisher()
        if publisher is not None:
            publisher.publish(message)

    def _event(self, event: Event) -> None:
        self._changed.set()


def price_source(store: Store) -> Callable[[datetime], Decimal | None] | None:
    """The day-ahead price now, in c/kWh, from the store's `prices` records as the costs part
    keeps them (one per slot: time = its start, key = the area "ee", `end`, `eur_mwh`), looked
    up at most once a minute; None where there is none."""
    if not isinstance(store, RecordStore):
        return None
    cache: dict[str, tuple[datetime, Decimal | None]] = {}

    def price_at(now: datetime) -> Decimal | None:
        held = cache.get("now")
        if held is not None and now - held[0] < timedelta(minutes=1):
            return held[1]
        found = store.records(PRICES, now - timedelta(hours=2), now + _TICK, "", PRICE_AREA)
        price = None
        for record in reversed(found):
            ends, eur_mwh = record.data.get("end"), record.data.get("eur_mwh")
            if isinstance(ends, datetime) and ends > now and isinstance(eur_mwh, Decimal):
                price = eur_mwh / 10  # €/MWh → c/kWh
                break
        cache["now"] = (now, price)
        return price

    return price_at
