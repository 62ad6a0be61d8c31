"""Alert topics and Home Assistant discovery, published through the suite's Mosquitto."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import aiomqtt
from mqtt_broker import Broker, Subscriber, broker_fixture, subscriber_fixture  # noqa: F401

from hanport.alerts.engine import Notice
from hanport.alerts.mqtt import alert_components, alert_messages, gateway_component
from hanport.alerts.publish import AlertsOnMqtt
from hanport.alerts.rule_edits import rules_from
from hanport.alerts.rules import DEFAULT_RULES
from hanport.model import Reading
from hanport.mqtt.payloads import Message, topics
from hanport.mqtt.publisher import MqttPublisher
from hanport.mqtt.settings import MqttSettings
from hanport.quality.scenarios import TALLINN
from hanport.runtime.hub import Hub
from hanport.runtime.view import Runtime
from hanport.settings.loader import Settings
from hanport.sources.reader import ReaderState
from hanport.store import open_store

T0 = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
FIRED = Notice("phase_lost", "L2", "fired", "critical", T0, T0, {"voltage_v": None, "since": T0})
CLEARED = Notice("phase_lost", "L2", "cleared", "critical", T0, T0, {"lasted_s": 70}, T0)


def test_state_attributes_and_event_of_an_alert() -> None:
    where = topics(MqttSettings(host="b"), Reading(meter_id="LGF 1"))
    event, state, attributes = alert_messages(where, FIRED, [FIRED], "en", TALLINN)
    assert (event.topic, event.retain) == ("hanport/LGF_1/alert/phase_lost/event", False)
    body = json.loads(event.payload)
    assert (body["event_type"], body["subject"], body["title"]) == ("fired", "L2", "Phase L2 lost")
    assert (state.topic, state.payload, state.retain) == (
        "hanport/LGF_1/alert/phase_lost",
        "ON",
        True,
    )
    assert json.loads(attributes.payload)["active"][0]["since"] == "2026-01-12T12:00:00+02:00"
    _, off, _ = alert_messages(where, CLEARED, [], "en", TALLINN)
    assert off.payload == "OFF"
    peak = Notice("monthly_peak", "2026-01", "occurred", "info", T0, T0, {"power_w": 9000})
    assert [m.topic for m in alert_messages(where, peak, [], "et", TALLINN)] == [
        "hanport/LGF_1/alert/monthly_peak/event"
    ]


def test_discovery_components() -> None:
    where = topics(MqttSettings(host="b"), Reading(meter_id="M1"))
    components = alert_components(where, DEFAULT_RULES, "et")
    sensor = components["alert_broken_neutral"]
    assert (sensor["p"], sensor["device_class"], sensor["name"]) == (
        "binary_sensor",
        "problem",
        "Nulljuhtme katkestus",
    )
    assert sensor["state_topic"] == "hanport/M1/alert/broken_neutral"
    assert components["alert_broken_neutral_event"]["event_types"] == [
        "fired",
        "repeated",
        "cleared",
    ]
    assert "alert_import_power" not in components  # off by default
    assert "alert_meter_changed" not in components  # a moment: an event only
    assert components["alert_meter_changed_event"]["event_types"] == ["occurred"]
    gateway = gateway_component("hanport", where.device_id, "en")["gateway"]
    assert (gateway["state_topic"], gateway["payload_off"]) == ("hanport/status", "offline")


def test_alert_messages_pass_through_mosquitto(broker: Broker, subscriber: Subscriber) -> None:
    where = topics(MqttSettings(host="127.0.0.1", port=broker.port), Reading(meter_id="M1"))
    messages: list[Message] = alert_messages(where, FIRED, [FIRED], "et", TALLINN)

    async def publish() -> None:
        async with aiomqtt.Client("127.0.0.1", broker.port) as client:
            for message in messages:
                await client.publish(message.topic, message.payload, qos=1, retain=message.retain)

    asyncio.run(publish())
    state = subscriber.wait_for("hanport/M1/alert/phase_lost")
    assert (state.payload, state.retain) == (b"ON", False)  # live delivery: retain flag unset
    event = subscriber.wait_for("hanport/M1/alert/phase_lost/event")
    assert json.loads(event.payload)["title"] == "Faas L2 on kadunud"
    late = Subscriber(broker, "hanport/M1/alert/#")  # a late subscriber gets the retained state
    try:
        kept = late.wait_for("hanport/M1/alert/phase_lost")
        assert (kept.payload, kept.retain) == (b"ON", True)
        assert late.on("hanport/M1/alert/phase_lost/event") == []
    finally:
        late.close()


def test_rules_enabled_in_the_app_are_announced(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "h.db"), TALLINN)
    try:
        view = Runtime(Settings(), Hub(), ReaderState("sim://"), store)
        publisher = MqttPublisher()
        view.offer(publisher)
        link = AlertsOnMqtt(view, MqttSettings(host="b"), DEFAULT_RULES, "en", TALLINN)
        link.reading(Reading(meter_id="M1"))
        messages, changed = publisher.take()
        assert changed
        assert "alert_import_power" not in publisher.components
        assert ("hanport/M1/alert/overcurrent", "OFF") in [(m.topic, m.payload) for m in messages]
        link.set_rules(rules_from({"import_power": True, "import_power_w": 9000}))
        messages, changed = publisher.take()
        assert changed
        assert publisher.components["alert_import_power"]["state_topic"] == (
            "hanport/M1/alert/import_power"
        )
        assert [m.topic for m in messages if m.topic.endswith("/import_power")] == [
            "hanport/M1/alert/import_power"
        ]
        assert not [m for m in messages if m.topic.endswith("/overcurrent")]  # kept as it is
    finally:
        store.close()
