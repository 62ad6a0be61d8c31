"""The MQTT sink against a real Mosquitto, checked by an independent paho subscriber."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from mqtt_broker import (  # noqa: F401  (fixtures)
    Broker,
    Received,
    Subscriber,
    auth_broker_fixture,
    broker_fixture,
    make_tls,
    subscriber_fixture,
    tls_broker_fixture,
)

import hanport
from hanport.backoff import Backoff
from hanport.model import READING_FIELDS, Reading
from hanport.mqtt.settings import MqttSettings, mqtt_settings
from hanport.mqtt.sink import run_mqtt_sink
from hanport.runtime.hub import Hub, Subscription
from hanport.sim.home import HomeSimulator

STATE, STATUS = "hanport/meter/state", "hanport/status"
DISCOVERY = "homeassistant/device/hanport_meter/config"


def simulated(count: int, seed: int = 11) -> list[Reading]:
    """Readings of an E360 that sends no id (as in Sweden): its topics are hanport/meter/…."""
    simulator = HomeSimulator(seed=seed)
    readings = hanport.decode(b"".join(simulator.next_telegram() for _ in range(count)))
    return [replace(reading, meter_id=None) for reading in readings]


def configured(url: str, **values: str) -> MqttSettings:
    raw = {name: (value, f"mqtt.{name}") for name, value in {"url": url, **values}.items()}
    settings = mqtt_settings(raw)  # type: ignore[arg-type]
    assert settings is not None
    return settings


def start_sink(
    hub: Hub, settings: MqttSettings, backoff: Backoff | None = None
) -> asyncio.Task[None]:
    readings: Subscription = hub.subscribe("mqtt", 100)
    return asyncio.create_task(run_mqtt_sink(readings, settings, backoff=backoff))


def of(reading: Reading) -> Callable[[Received], bool]:
    """The state message of this reading (told apart by the meter's clock)."""
    assert reading.meter_time is not None
    stamp = reading.meter_time.isoformat()
    return lambda message: json.loads(message.payload)["meter_time"] == stamp


async def wait(subscriber: Subscriber, topic: str, *args: object, **kwargs: object) -> Received:
    return await asyncio.to_thread(subscriber.wait_for, topic, *args, **kwargs)  # type: ignore[arg-type]


async def stop(sink: asyncio.Task[None]) -> float:
    started = time.monotonic()
    sink.cancel()
    await asyncio.gather(sink, return_exceptions=True)
    return time.monotonic() - started


def test_each_reading_is_published_with_exact_values_and_discovery(
    broker: Broker, subscriber: Subscriber
) -> None:
    readings = simulated(4)
    settings = configured(broker.url, per_field_topics="true")

    async def scenario() -> None:
        hub = Hub()
        sink = start_sink(hub, settings)
        await wait(subscriber, STATUS, lambda m: m.payload == b"online")
        for reading in readings:
            hub.publish(reading)
            await wait(subscriber, STATE, of(reading))
        volts = str(readings[-1].voltage_l1_v).encode()
        await wait(subscriber, "hanport/meter/voltage_l1_v", lambda m: m.payload == volts)
        assert await stop(sink) <= 2.0
        await wait(subscriber, STATUS, lambda m: m.payload == b"offline")

    asyncio.run(scenario())
    states = [json.loads(m.payload, parse_float=Decimal) for m in subscriber.on(STATE)]
    assert len(states) == len(readings)
    for state, reading in zip(states, readings, strict=True):
        for name in READING_FIELDS:
            value = getattr(reading, name)
            if isinstance(value, Decimal | int):
                assert str(state[name]) == str(value), name
        assert state["meter_time"] == reading.meter_time.isoformat()  # type: ignore[union-attr]
    discovery = subscriber.on(DISCOVERY)
    assert len(discovery) == 1  # the fields never changed: sent once
    config = json.loads(discovery[0].payload)
    assert set(config["cmps"]) <= set(states[0])  # every template finds its value
    assert config["cmps"]["energy_export_wh"]["unit_of_measurement"] == "Wh"
    assert config["cmps"]["energy_export_wh"]["state_class"] == "total_increasing"
    late = Subscriber(broker, "#")  # retained: what a Home Assistant starting now gets
    try:
        retained = late.wait_for(DISCOVERY)
        assert retained.retain
        assert json.loads(retained.payload) == config
        assert late.wait_for(STATUS).payload == b"offline"
        assert not late.on(STATE)  # power is not retained unless asked: it would be stale
    finally:
        late.close()


def test_discovery_is_sent_again_when_home_assistant_comes_online(
    broker: Broker, subscriber: Subscriber
) -> None:
    readings = simulated(1)

    async def scenario() -> None:
        hub = Hub()
        sink = start_sink(hub, configured(broker.url))
        await wait(subscriber, STATUS, lambda m: m.payload == b"online")
        hub.publish(readings[0])
        await wait(subscriber, DISCOVERY)
        await wait(subscriber, STATE, of(readings[0]))
        before = len(subscriber.messages)
        await asyncio.to_thread(subscriber.publish, "homeassistant/status", "online")
        await wait(subscriber, DISCOVERY, after=before)
        await wait(subscriber, STATE, of(readings[0]), after=before)
        await stop(sink)

    asyncio.run(scenario())


def test_publishing_resumes_after_the_broker_restarts_with_the_latest_reading_only(
    broker: Broker, subscriber: Subscriber
) -> None:
    readings = simulated(6)

    async def scenario() -> float:
        hub = Hub()
        sink = start_sink(hub, configured(broker.url))  # the real backoff: 1 s, 2 s, 4 s …
        await wait(subscriber, STATUS, lambda m: m.payload == b"online")
        hub.publish(readings[0])
        await wait(subscriber, STATE, of(readings[0]))
        broker.kill()
        for reading in readings[1:4]:  # the meter goes on; the hub must not wait for MQTT
            hub.publish(reading)
            await asyncio.sleep(0.05)
        await asyncio.to_thread(broker.start)
        restarted = time.monotonic()
        await asyncio.to_thread(subscriber.wait_subscribed, 2)
        after = len(subscriber.messages)
        for reading in readings[4:]:
            hub.publish(reading)
            try:
                await wait(subscriber, STATE, after=after, timeout=10.0)
                break
            except AssertionError:
                continue
        first = await wait(subscriber, STATE, after=after, timeout=0.1)
        await stop(sink)
        return first.at - restarted

    resumed_in = asyncio.run(scenario())
    assert resumed_in <= 10.0
    seen = [json.loads(m.payload)["meter_time"] for m in subscriber.on(STATE)]
    stale = {r.meter_time.isoformat() for r in readings[1:3]}  # type: ignore[union-attr]
    assert not stale & set(seen), "readings from the outage were replayed"


def test_a_wrong_password_is_one_plain_sentence_once(
    auth_broker: Broker, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = auth_broker.url.replace("s3cret", "wrong")
    caplog.set_level(logging.INFO, logger="hanport")

    async def scenario() -> None:
        hub = Hub()
        sink = start_sink(hub, configured(wrong), Backoff(0.05, 0.1))
        until = time.monotonic() + 20
        while not _errors(caplog) and time.monotonic() < until:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # several more attempts, none of them logged again
        assert await stop(sink) <= 2.0

    asyncio.run(scenario())
    errors = _errors(caplog)
    assert len(errors) == 1, errors
    assert errors[0].startswith("The MQTT broker mqtt://hanport:***@127.0.0.1:")
    assert "refused the user name or password (mqtt.url)" in errors[0]
    assert "wrong" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


def test_the_right_password_is_accepted(auth_broker: Broker) -> None:
    subscriber = Subscriber(auth_broker)
    reading = simulated(1)[0]

    async def scenario() -> None:
        hub = Hub()
        sink = start_sink(hub, configured(auth_broker.url))
        await wait(subscriber, STATUS, lambda m: m.payload == b"online")
        hub.publish(reading)
        await wait(subscriber, STATE, of(reading))
        await stop(sink)

    try:
        asyncio.run(scenario())
    finally:
        subscriber.close()


def test_tls_with_the_brokers_ca(tls_broker: Broker) -> None:
    assert tls_broker.tls is not None
    subscriber = Subscriber(tls_broker)
    reading = simulated(1)[0]

    async def scenario() -> None:
        hub = Hub()
        settings = configured(tls_broker.url, ca_file=str(tls_broker.tls.ca_file))  # type: ignore[union-attr]
        sink = start_sink(hub, settings)
        await wait(subscriber, STATUS, lambda m: m.payload == b"online")
        hub.publish(reading)
        await wait(subscriber, STATE, of(reading))
        await stop(sink)

    try:
        asyncio.run(scenario())
    finally:
        subscriber.close()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_tls_with_a_wrong_ca_names_the_setting(
    tls_broker: Broker, caplog: pytest.LogCaptureFixture
) -> None:
    """paho leaves the failed TLS socket to the garbage collector, hence the filter."""
    other = make_tls(tls_broker.directory / "other", "other")
    caplog.set_level(logging.INFO, logger="hanport")

    async def scenario() -> None:
        sink = start_sink(Hub(), configured(tls_broker.url, ca_file=str(other.ca_file)))
        until = time.monotonic() + 20
        while not _errors(caplog) and time.monotonic() < until:
            await asyncio.sleep(0.05)
        await stop(sink)

    asyncio.run(scenario())
    errors = _errors(caplog)
    assert len(errors) == 1, errors
    assert "TLS certificate could not be verified with the CA in" in errors[0]
    assert str(other.ca_file) in errors[0]
    assert "mqtt.ca_file" in errors[0]
    gc.collect()


def test_nothing_listening_is_said_once_and_the_sink_stops_promptly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from mqtt_broker import free_port

    caplog.set_level(logging.INFO, logger="hanport")

    async def scenario() -> None:
        sink = start_sink(Hub(), configured(f"mqtt://127.0.0.1:{free_port()}"), Backoff(0.02, 0.05))
        until = time.monotonic() + 20
        while not _errors(caplog) and time.monotonic() < until:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        assert await stop(sink) <= 2.0

    asyncio.run(scenario())
    errors = _errors(caplog)
    assert len(errors) == 1, errors
    assert "Nothing accepts connections at mqtt://127.0.0.1:" in errors[0]


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """hanport's own errors (asyncio may log a cancelled paho socket callback under load)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith("hanport")
    ]
