"""MQTT payloads for evcc, SmartEVSE and Home Assistant, and the MQTT-driven charger."""

from __future__ import annotations

import json
from datetime import timedelta

from hanport.ev.model import Reason
from hanport.ev.mqtt_charger import MqttCharger
from hanport.ev.mqtt_payloads import grid_message, mainsmeter_message, setpoint_messages
from hanport.model import Reading
from hanport.mqtt.payloads import Message

from .helpers import D, at

READING = Reading(
    received_at=at(0),
    current_l1_a=D("10.04"),
    current_l2_a=D("5.2"),
    current_l3_a=D("0.4"),
    power_import_l1_w=2300,
    power_export_l1_w=0,
    power_import_l2_w=0,
    power_export_l2_w=1196,
    power_import_l3_w=90,
    power_import_w=1194,
    power_export_w=0,
)


def test_the_grid_message_has_signed_currents_and_powers() -> None:
    message = grid_message("hanport/meter", READING)
    assert message is not None
    assert message.topic == "hanport/meter/grid"
    assert json.loads(message.payload, parse_float=D) == {
        "current_l1_a": D("10.04"),
        "current_l2_a": D("-5.2"),  # exported on L2: the sign comes from the phase power
        "current_l3_a": D("0.4"),
        "power_l1_w": 2300,
        "power_l2_w": -1196,
        "power_l3_w": 90,
        "power_w": 1194,
        "received_at": "2026-01-15T18:00:00+00:00",
    }
    assert grid_message("x", Reading(power_import_w=5)) is None


def test_smartevse_gets_signed_deciamps_never_older_than_one_interval() -> None:
    message = mainsmeter_message("SmartEVSE/1234", READING, at(3), interval_s=10)
    assert message == Message("SmartEVSE/1234/Set/MainsMeter", "100:-52:4")
    assert mainsmeter_message("SmartEVSE/1234", READING, at(10.5), interval_s=10) is None
    missing = Reading(received_at=at(0), current_l1_a=D(1), current_l2_a=D(1))
    assert mainsmeter_message("SmartEVSE/1234", missing, at(1), interval_s=10) is None


def test_a_setpoint_as_json_and_as_a_plain_number() -> None:
    reason = Reason(
        "phase_limit",
        {"phase": 1, "current_a": D(23), "base_a": D(7), "fuse_a": D(25), "margin_a": D(1)},
    )
    body, plain = setpoint_messages("garage/charger/set", D("13.5"), 3, reason, at(0), "et")
    assert plain == Message("garage/charger/set/current_a", "13.5")
    assert json.loads(body.payload) == {
        "limit_a": "13.5",
        "phases": 3,
        "enabled": True,
        "reason": "phase_limit",
        "text": "Faasil L1 on 23 A; maja tarbib ilma autota 7 A (peakaitse 25 A, varu 1 A).",
        "at": "2026-01-15T18:00:00+00:00",
    }


def test_the_mqtt_charger_publishes_changes_at_once_and_repeats_as_a_heartbeat() -> None:
    sent: list[Message] = []
    charger = MqttCharger("evse", "evse/set", sent.append, refresh_s=30)
    charger.set_limit(D(10), 3, at(0))
    charger.set_limit(D(10), 3, at(1))  # the same within 30 s: nothing
    charger.set_limit(D(8), 3, at(2))
    charger.set_limit(D(8), 3, at(2) + timedelta(seconds=30))
    assert [m.payload for m in sent if m.topic.endswith("current_a")] == ["10", "8", "8"]
    report = charger.report()
    assert (report.online, report.limit_a, report.vehicle) == (True, D(8), "unknown")
