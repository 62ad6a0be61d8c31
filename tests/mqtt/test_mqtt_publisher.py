"""Other parts' messages through the MQTT sink's connection: sent as soon as it allows, the
newest per topic while the broker is away, retained ones again after a reconnect, and their
Home Assistant components in the meter's discovery."""

from __future__ import annotations

import asyncio
import json

from mqtt_broker import (  # noqa: F401  (fixtures)
    Broker,
    Subscriber,
    broker_fixture,
    subscriber_fixture,
)

from hanport.backoff import Backoff
from hanport.mqtt.payloads import Message
from hanport.mqtt.publisher import MqttPublisher
from hanport.mqtt.sink import run_mqtt_sink
from hanport.runtime.hub import Hub
from mqtt.test_mqtt_sink import DISCOVERY, STATUS, configured, simulated, stop, wait

PRICE = {"p": "sensor", "name": "Price", "unique_id": "hanport_meter_price", "state_topic": "x"}


def test_the_newest_message_per_topic_waits_while_nothing_is_connected() -> None:
    async def scenario() -> None:
        publisher = MqttPublisher()
        publisher.publish(Message("hanport/ev/limit", "16"))
        publisher.publish(Message("hanport/ev/limit", "10"))
        publisher.publish(Message("hanport/price", "0.12", retain=True))
        assert publisher.wake.is_set()
        messages, rediscover = publisher.take()
        assert [(m.topic, m.payload) for m in messages] == [
            ("hanport/ev/limit", "10"),
            ("hanport/price", "0.12"),
        ]
        assert not rediscover
        assert publisher.take() == ([], False)
        publisher.reconnected()  # the retained one again, not the other
        assert [m.topic for m in publisher.take()[0]] == ["hanport/price"]

    asyncio.run(scenario())


def test_messages_and_components_go_out_on_the_sinks_connection(
    broker: Broker, subscriber: Subscriber
) -> None:
    reading = simulated(1)[0]

    async def scenario() -> None:
        hub, publisher = Hub(), MqttPublisher()
        readings = hub.subscribe("mqtt", 100)
        sink = asyncio.create_task(
            run_mqtt_sink(
                readings, configured(broker.url), publisher=publisher, backoff=Backoff(0.1, 0.2)
            )
        )
        await wait(subscriber, STATUS, lambda m: m.payload == b"online")
        hub.publish(reading)
        await wait(subscriber, DISCOVERY)
        publisher.publish(Message("hanport/meter/price", "0.1234", retain=True))
        publisher.add_components({"price": PRICE})
        await wait(subscriber, "hanport/meter/price", lambda m: m.payload == b"0.1234")
        await wait(subscriber, DISCOVERY, lambda m: "price" in json.loads(m.payload)["cmps"])
        before = len(subscriber.messages)
        broker.kill()  # a broker restarted without its retained messages
        broker.start()
        again = lambda m: m.payload == b"0.1234"  # noqa: E731
        await wait(subscriber, "hanport/meter/price", again, after=before)
        await stop(sink)

    asyncio.run(scenario())
    config = json.loads(subscriber.on(DISCOVERY)[-1].payload)
    assert config["cmps"]["price"] == PRICE
    assert "power_import_w" in config["cmps"]  # the meter's own sensors stay
