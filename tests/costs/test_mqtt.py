"""Costs over MQTT against the suite's Mosquitto: the price now, the next slots, today's cost
and the plan, and their Home Assistant components in the meter's device discovery."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from mqtt.test_mqtt_sink import DISCOVERY, STATUS, configured, stop, wait
from mqtt_broker import (  # noqa: F401  (fixtures)
    Broker,
    Subscriber,
    broker_fixture,
    subscriber_fixture,
)
from webapp import simulated

from hanport.backoff import Backoff
from hanport.costs.book import ledger_from_store
from hanport.costs.mqtt import CostFigures, cost_payloads
from hanport.costs.plugin import TARIFF, sinks
from hanport.costs.price_store import put_prices
from hanport.costs.publish import CostMqttSink, cost_figures
from hanport.costs.slots import PriceSlot
from hanport.costs.tariff import build_tariff
from hanport.model import Reading
from hanport.mqtt.publisher import MqttPublisher
from hanport.mqtt.sink import run_mqtt_sink
from hanport.plugins import load_settings
from hanport.runtime.hub import Hub
from hanport.settings.loader import Settings
from hanport.store import Store, open_store

TALLINN = ZoneInfo("Europe/Tallinn")
QUARTER = timedelta(minutes=15)
MIDNIGHT = datetime(2026, 1, 10, tzinfo=TALLINN).astimezone(UTC)


def _price(index: int) -> Decimal:
    """Quarters of 10–11 Jan: 03:00–06:00 on 11 Jan is the cheapest run (−1 EUR/MWh)."""
    local = (MIDNIGHT + QUARTER * index).astimezone(TALLINN)
    return Decimal(-1) if local.day == 11 and 3 <= local.hour < 6 else Decimal(60 + index % 7)


def _store(path: Path) -> tuple[Store, list[Reading]]:
    start = datetime(2026, 1, 10, 6, tzinfo=UTC)
    readings = [replace(r, meter_id=None) for r in simulated(720, start=start)]  # 2 h, id ""
    store = open_store(str(path), TALLINN)
    store.write(readings)
    slots = [
        PriceSlot(MIDNIGHT + QUARTER * i, MIDNIGHT + QUARTER * (i + 1), _price(i))
        for i in range(192)
    ]
    put_prices(store, slots, "csv")
    return store, readings


def test_the_figures_from_the_store(tmp_path: Path) -> None:
    store, readings = _store(tmp_path / "x.db")
    now = readings[-1].meter_time
    assert now is not None
    assert now.astimezone(TALLINN).date().day == 10
    tariff = build_tariff(Settings().get(TARIFF))
    figures = cost_figures(store, "", tariff, now)
    assert figures.prices[0].start <= now < figures.prices[0].end
    assert figures.prices[-1].end == MIDNIGHT + timedelta(days=2)
    assert figures.plan is not None
    assert figures.plan.start == datetime(2026, 1, 11, 3, tzinfo=TALLINN)
    costs = ledger_from_store(store, "", figures.midnight, now + QUARTER, tariff)
    priced = [cost.money.total_eur for cost in costs if cost.money]
    assert figures.today_eur == sum(priced, Decimal(0))
    assert figures.today_eur is not None
    assert figures.today_eur > 0
    payloads = cost_payloads("hanport", figures)
    assert payloads["hanport/costs/price"] == f"{figures.prices[0].eur_kwh:f}"
    assert json.loads(payloads["hanport/costs/today"])["eur"] == f"{figures.today_eur:f}"
    assert json.loads(payloads["hanport/costs/plan"])["duration_min"] == 180
    store.close()


def test_no_price_for_now_publishes_no_price(tmp_path: Path) -> None:
    figures = CostFigures(MIDNIGHT, [], None, Decimal(0), MIDNIGHT, None, timedelta(hours=1))
    payloads = cost_payloads("p", figures)
    assert "p/costs/price" not in payloads
    assert json.loads(payloads["p/costs/plan"]) == {}
    assert json.loads(payloads["p/costs/today"])["eur"] is None


def test_costs_reach_home_assistant_through_the_mqtt_sink(
    broker: Broker, subscriber: Subscriber, tmp_path: Path
) -> None:
    store, readings = _store(tmp_path / "x.db")
    settings = configured(broker.url)
    now = readings[-1].meter_time
    assert now is not None

    class View:
        def __init__(self, publisher: MqttPublisher) -> None:
            self.publisher = publisher
            self.latest = readings[-1]
            self.store = store

        def find(self, kind: type) -> object:
            return self.publisher if kind is MqttPublisher else None

    async def scenario() -> None:
        hub, publisher = Hub(), MqttPublisher()
        mqtt = asyncio.create_task(
            run_mqtt_sink(
                hub.subscribe("mqtt", 100), settings, publisher=publisher, backoff=Backoff(0.1, 0.2)
            )
        )
        await wait(subscriber, STATUS, lambda m: m.payload == b"online")
        hub.publish(readings[-1])
        await wait(subscriber, DISCOVERY)
        sink = CostMqttSink(Settings().get(TARIFF), settings, now=lambda: now)
        assert await sink.publish_once(View(publisher), build_tariff(sink.tariff_settings))  # type: ignore[arg-type]
        await wait(subscriber, "hanport/costs/price")
        await wait(subscriber, "hanport/costs/today")
        await wait(subscriber, "hanport/costs/plan")
        await wait(subscriber, DISCOVERY, lambda m: "cost_today" in json.loads(m.payload)["cmps"])
        await stop(mqtt)

    asyncio.run(scenario())
    price = subscriber.on("hanport/costs/price")[-1]
    assert Decimal(price.payload.decode()) > 0
    plan = json.loads(subscriber.on("hanport/costs/plan")[-1].payload)
    assert plan["start"] == datetime(2026, 1, 11, 3, tzinfo=TALLINN).astimezone(UTC).isoformat()
    config = json.loads(subscriber.on(DISCOVERY)[-1].payload)
    today = config["cmps"]["cost_today"]
    assert today["device_class"] == "monetary"
    assert today["state_class"] == "total"
    assert today["unit_of_measurement"] == "EUR"
    assert today["state_topic"] == "hanport/costs/today"
    assert config["cmps"]["cost_price"]["unit_of_measurement"] == "EUR/kWh"
    assert "power_import_w" in config["cmps"]
    store.close()


def test_the_mqtt_part_is_built_with_a_broker() -> None:
    with_broker = load_settings(None, {"HANPORT_MQTT_URL": "mqtt://127.0.0.1:1883"})
    assert [type(sink) for sink in sinks(with_broker, "x.db")] == [CostMqttSink]
    assert sinks(load_settings(None, {}), "x.db") == []
