"""What the running EV control publishes through hanport's MQTT connection. Pure: messages and
Home Assistant components from a reading or a status; the sink hands them to `MqttPublisher`.

- with every reading: the signed per-phase currents and powers on `<prefix>/<meter>/grid`
  (`mqtt_payloads.grid_message`), and SmartEVSE's MainsMeter feed when `smartevse_prefix` is set;
- the control's state on `<prefix>/ev/state` (retained): the mode, the fail-safe state, each
  charger's limit and why; each charger also on `<prefix>/ev/<charger>/state`;
- discovery: the fail-safe as a `problem` binary sensor, the mode, each charger's limit and
  power, and the signed phase currents, added to the meter's device.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from hanport.ev.mqtt_payloads import grid_message, mainsmeter_message
from hanport.i18n import text
from hanport.model import Reading
from hanport.mqtt.payloads import Message, topics
from hanport.mqtt.settings import MqttSettings

__all__ = ["charger_topic", "components", "reading_messages", "state_messages", "state_topic"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def state_topic(mqtt: MqttSettings) -> str:
    return f"{mqtt.prefix}/ev/state"


def charger_topic(mqtt: MqttSettings, charger_id: str) -> str:
    return f"{mqtt.prefix}/ev/{_UNSAFE.sub('_', charger_id)}/state"


def reading_messages(
    mqtt: MqttSettings,
    reading: Reading,
    now: datetime,
    interval_s: float,
    smartevse_prefix: str | None = None,
) -> list[Message]:
    """The signed phase currents (and SmartEVSE's feed) for one reading, as it arrives."""
    found: list[Message | None] = [grid_message(topics(mqtt, reading).base, reading, mqtt.retain)]
    if smartevse_prefix is not None:
        found.append(mainsmeter_message(smartevse_prefix, reading, now, interval_s))
    return [message for message in found if message is not None]


def state_messages(mqtt: MqttSettings, status: Mapping[str, object]) -> list[Message]:
    """The control's state (`ev_status`, without the figures that change every second)."""
    chargers = status.get("chargers")
    listed = [c for c in chargers if isinstance(c, dict)] if isinstance(chargers, list) else []
    each = [_charger(c) for c in listed]
    summary = {
        "mode": status.get("mode"),
        "departure": status.get("departure"),
        "failsafe": _without_age(status.get("failsafe")),
        "chargers": each,
    }
    messages = [Message(state_topic(mqtt), json.dumps(summary, ensure_ascii=False), True)]
    for charger in each:
        topic = charger_topic(mqtt, str(charger["id"]))
        messages.append(Message(topic, json.dumps(charger, ensure_ascii=False), True))
    return messages


def components(
    mqtt: MqttSettings, reading: Reading, charger_ids: Sequence[str]
) -> dict[str, dict[str, object]]:
    """Home Assistant components for the meter's device (keys unique within it)."""
    where = topics(mqtt, reading)
    device = where.device_id
    language = mqtt.language
    found: dict[str, dict[str, object]] = {
        "ev_failsafe": {
            "p": "binary_sensor",
            "name": text("ev.run.ha_failsafe", language),
            "unique_id": f"{device}_ev_failsafe",
            "state_topic": state_topic(mqtt),
            "value_template": "{{ 'ON' if value_json.failsafe.active else 'OFF' }}",
            "device_class": "problem",
        },
        "ev_mode": {
            "p": "sensor",
            "name": text("ev.run.ha_mode", language),
            "unique_id": f"{device}_ev_mode",
            "state_topic": state_topic(mqtt),
            "value_template": "{{ value_json.mode }}",
        },
    }
    for phase in (1, 2, 3):
        key = f"current_l{phase}_a"
        found[f"grid_{key}"] = {
            "p": "sensor",
            "name": f"L{phase} ±A",
            "unique_id": f"{device}_grid_{key}",
            "state_topic": f"{where.base}/grid",
            "value_template": f"{{{{ value_json.{key} }}}}",
            "device_class": "current",
            "state_class": "measurement",
            "unit_of_measurement": "A",
        }
    for charger_id in charger_ids:
        slug = _UNSAFE.sub("_", charger_id).lower()
        found[f"ev_limit_{slug}"] = {
            "p": "sensor",
            "name": text("ev.run.ha_limit", language, charger=charger_id),
            "unique_id": f"{device}_ev_limit_{slug}",
            "state_topic": charger_topic(mqtt, charger_id),
            "value_template": "{{ value_json.limit_a }}",
            "device_class": "current",
            "state_class": "measurement",
            "unit_of_measurement": "A",
        }
    return found


def _without_age(failsafe: object) -> object:
    if not isinstance(failsafe, dict):
        return failsafe
    return {k: v for k, v in failsafe.items() if k != "age_s"}


def _charger(charger: Mapping[str, object]) -> dict[str, object]:
    reason = charger.get("reason")
    why = reason if isinstance(reason, dict) else {}
    return {
        "id": charger.get("id"),
        "online": charger.get("online"),
        "vehicle": charger.get("vehicle"),
        "limit_a": charger.get("limit_a"),
        "phases": charger.get("phases"),
        "reason": why.get("code"),
        "text": why.get("text"),
        "power_w": charger.get("power_w"),
        "session_wh": charger.get("session_wh"),
        "session_eur": charger.get("session_eur"),
    }
