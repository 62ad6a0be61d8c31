"""MQTT payloads without a broker: topics, exact state JSON, discovery from the field table."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

import hanport
from hanport.fields import FIELD_BY_NAME
from hanport.model import READING_FIELDS, Reading
from hanport.mqtt.payloads import (
    announced_fields,
    discovery_message,
    field_messages,
    reading_messages,
    state_message,
    topics,
)
from hanport.mqtt.settings import MQTT, MqttSettings
from hanport.output import reading_json
from hanport.plugins import load_settings
from hanport.settings.loader import ConfigError
from hanport.sim.home import HomeSimulator

SETTINGS = MqttSettings(host="broker.lan")


def simulated(seed: int = 3) -> Reading:
    reading = hanport.decode(HomeSimulator(seed=seed).next_telegram())[0]
    return replace(reading, meter_id=None)  # an E360 that sends no id, as in Sweden


def test_the_state_message_is_the_reading_as_exact_json() -> None:
    reading = simulated()
    message = state_message(SETTINGS, reading)
    assert (message.topic, message.retain) == ("hanport/meter/state", False)
    assert message.payload == reading_json(reading)
    state = json.loads(message.payload, parse_float=Decimal)
    assert state["meter_time"] == reading.meter_time.isoformat()  # type: ignore[union-attr]
    for name in READING_FIELDS:
        value = getattr(reading, name)
        if isinstance(value, Decimal | int):
            assert str(state[name]) == str(value), name  # digit for digit: 230.0 stays 230.0


def test_decimals_never_pass_through_binary_floats() -> None:
    reading = Reading(meter_id="x", voltage_l1_v=Decimal("230.10"), current_l1_a=Decimal("0.1"))
    payload = state_message(SETTINGS, reading).payload
    assert '"voltage_l1_v":230.10' in payload
    assert '"current_l1_a":0.1' in payload


def test_topics_use_a_safe_meter_id_or_meter() -> None:
    assert topics(SETTINGS, Reading()).state == "hanport/meter/state"
    where = topics(replace(SETTINGS, prefix="home/energy"), Reading(meter_id="LGZ 1/2#+"))
    assert where.meter == "LGZ_1_2__"
    assert where.state == "home/energy/LGZ_1_2__/state"
    assert where.device_id == "home_energy_lgz_1_2__"
    assert where.discovery == "homeassistant/device/home_energy_lgz_1_2__/config"


def test_per_field_topics_carry_plain_values() -> None:
    reading = simulated()
    plain = {m.topic: m.payload for m in field_messages(SETTINGS, reading)}
    assert plain["hanport/meter/voltage_l1_v"] == str(reading.voltage_l1_v)
    assert plain["hanport/meter/energy_import_wh"] == str(reading.energy_import_wh)
    assert plain["hanport/meter/meter_model"] == "LGF5E360"
    assert plain["hanport/meter/meter_time"] == reading.meter_time.isoformat()  # type: ignore[union-attr]
    assert len(reading_messages(SETTINGS, reading)) == 1
    with_fields = reading_messages(replace(SETTINGS, per_field_topics=True), reading)
    assert len(with_fields) == 1 + len(plain)


def test_discovery_lists_what_the_meter_sends_with_the_tables_classes() -> None:
    reading = simulated()
    message = discovery_message(SETTINGS, reading, announced_fields(reading))
    assert message.topic == "homeassistant/device/hanport_meter/config"
    assert message.retain
    config = json.loads(message.payload)
    assert config["dev"] == {
        "ids": ["hanport_meter"],
        "name": "Electricity meter",
        "mdl": "LGF5E360",
    }
    assert config["o"]["name"] == "hanport"
    assert config["state_topic"] == "hanport/meter/state"
    assert config["availability"] == [{"topic": "hanport/status"}]
    sent = {n for n in READING_FIELDS if n != "extra" and getattr(reading, n) is not None}
    assert set(config["cmps"]) == sent - {"meter_model", "meter_id", "received_at"}
    assert "frequency_hz" not in config["cmps"]  # the E360 does not send it
    for name, component in config["cmps"].items():
        field = FIELD_BY_NAME[name]
        assert component["p"] == "sensor"
        assert component["name"] == field.label_en
        assert component["unique_id"] == f"hanport_meter_{name}"
        assert component["default_entity_id"] == f"sensor.hanport_meter_{name}"
        assert component["device_class"] == field.ha_device_class
        assert component.get("state_class") == field.ha_state_class
        assert component.get("unit_of_measurement") == field.unit
        assert component["value_template"] == f"{{{{ value_json.{name} }}}}"
        assert component["expire_after"] == 30
    energy = config["cmps"]["energy_import_wh"]
    assert (energy["device_class"], energy["state_class"], energy["unit_of_measurement"]) == (
        "energy",
        "total_increasing",
        "Wh",
    )
    power = config["cmps"]["power_import_w"]
    assert (power["device_class"], power["state_class"], power["unit_of_measurement"]) == (
        "power",
        "measurement",
        "W",
    )
    assert config["cmps"]["voltage_l2_v"]["unit_of_measurement"] == "V"
    assert config["cmps"]["current_l3_a"]["unit_of_measurement"] == "A"
    assert config["cmps"]["meter_time"]["entity_category"] == "diagnostic"


def test_discovery_in_estonian_without_expiry() -> None:
    reading = Reading(meter_id="7350", power_import_w=5, frequency_hz=Decimal("50.01"))
    settings = replace(SETTINGS, language="et", expire_after_s=0)
    config = json.loads(discovery_message(settings, reading, announced_fields(reading)).payload)
    assert config["dev"]["name"] == "Elektriarvesti"
    assert config["dev"]["sn"] == "7350"
    assert config["cmps"]["frequency_hz"]["name"] == "Sagedus"
    assert config["cmps"]["power_import_w"]["name"] == "Aktiivvõimsus võrgust"
    assert "expire_after" not in config["cmps"]["power_import_w"]


def test_expire_after_and_language_settings() -> None:
    environ = {
        "HANPORT_MQTT_URL": "mqtt://b",
        "HANPORT_MQTT_EXPIRE_AFTER_S": "90",
        "HANPORT_MQTT_LANGUAGE": "ET",
    }
    mqtt = load_settings(None, environ=environ).get(MQTT)
    assert mqtt is not None
    assert (mqtt.expire_after_s, mqtt.language) == (90, "et")
    with pytest.raises(ConfigError, match="HANPORT_MQTT_LANGUAGE"):
        load_settings(None, environ={**environ, "HANPORT_MQTT_LANGUAGE": "fi"})
    with pytest.raises(ConfigError, match="expire_after_s"):
        load_settings(None, environ={**environ, "HANPORT_MQTT_EXPIRE_AFTER_S": "-1"})
