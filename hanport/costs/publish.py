"""Costs over MQTT inside `hanport run`: the price now, the next slots, today's cost and the
plan, through the MQTT sink's connection (`MqttPublisher`), every minute.

It reads only the store (the stored prices and the rollups), so it works offline as long as
prices are stored. A figure that cannot be worked out (a tariff without prices for today) is
one sentence in the log, once, and the other figures still go out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.costs.aggregate import cost_rows
from hanport.costs.book import ledger_from_store, prices_index
from hanport.costs.errors import CostError
from hanport.costs.mqtt import CostFigures, cost_components, cost_payloads
from hanport.costs.plan import all_in_prices, cheapest_window
from hanport.costs.settings import TariffSettings
from hanport.costs.slots import QUARTER, quarter_floor
from hanport.costs.tariff import Tariff, build_tariff
from hanport.mqtt.payloads import Message, topics
from hanport.mqtt.publisher import MqttPublisher
from hanport.mqtt.settings import MqttSettings
from hanport.runtime.hub import Subscription
from hanport.runtime.sink import RuntimeView
from hanport.store import Store

__all__ = ["CostMqttSink", "cost_figures"]

log = logging.getLogger(__name__)
TALLINN = ZoneInfo("Europe/Tallinn")
EVERY_S = 60.0
PLAN_DURATION = timedelta(hours=3)
_AHEAD = timedelta(days=2)
_ZERO = Decimal(0)


def cost_figures(
    store: Store, meter: str, tariff: Tariff, now: datetime, duration: timedelta = PLAN_DURATION
) -> CostFigures:
    """Everything `hanport.costs.mqtt` publishes, from the store (blocking)."""
    current = quarter_floor(now)
    prices = [
        slot
        for slot in all_in_prices(prices_index(store, current, current + _AHEAD), tariff)
        if slot.start >= current
    ]
    midnight = datetime.combine(now.astimezone(TALLINN).date(), time(0), TALLINN).astimezone(UTC)
    costs = ledger_from_store(store, meter, midnight, now + QUARTER, tariff)
    rows = cost_rows(costs, "1d", tariff)
    today_eur = rows[0].total_eur if rows else None
    return CostFigures(
        now=now,
        prices=prices,
        today_eur=today_eur,
        today_kwh=rows[0].import_kwh if rows else _ZERO,
        midnight=midnight,
        plan=cheapest_window(prices, duration, current, current + _AHEAD),
        plan_duration=duration,
    )


class CostMqttSink:
    name = "costs-mqtt"
    queue_size = 1

    def __init__(
        self,
        tariff: TariffSettings,
        mqtt: MqttSettings,
        *,
        every_s: float = EVERY_S,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.tariff_settings = tariff
        self.mqtt = mqtt
        self.every_s = every_s
        self.now = now
        self.sleep = sleep
        self._said: str | None = None

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        loop = asyncio.create_task(self._loop(view))
        try:
            async for _ in readings:
                pass
        finally:
            loop.cancel()
            await asyncio.gather(loop, return_exceptions=True)

    async def _loop(self, view: RuntimeView) -> None:
        try:
            tariff = build_tariff(self.tariff_settings)
        except CostError as error:
            log.warning("%s", error.text(self.mqtt.language))
            return
        while True:
            await self.publish_once(view, tariff)
            await self.sleep(self.every_s)

    async def publish_once(self, view: RuntimeView, tariff: Tariff) -> bool:
        """One round: False when there is no MQTT connection or no reading yet."""
        publisher = view.find(MqttPublisher)
        latest = view.latest
        if publisher is None or latest is None:
            return False
        meter = latest.meter_id or ""
        try:
            figures = await asyncio.to_thread(cost_figures, view.store, meter, tariff, self.now())
        except CostError as error:
            sentence = error.text(self.mqtt.language)
            if sentence != self._said:
                log.warning("%s", sentence)
                self._said = sentence
            return False
        self._said = None
        device = topics(self.mqtt, latest).device_id
        publisher.add_components(cost_components(self.mqtt.prefix, device, self.mqtt.language))
        for topic, payload in cost_payloads(self.mqtt.prefix, figures).items():
            publisher.publish(Message(topic, payload, retain=True))
        return True
