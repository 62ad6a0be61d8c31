"""What hanport publishes, as pure functions: topics, state messages and Home Assistant discovery.

Topics (prefix `hanport` by default):

- `<prefix>/status`: `online` / `offline`, retained; `offline` is also the last will.
- `<prefix>/<meter>/state`: one JSON object per reading, exactly as `hanport decode --json`
  writes it (the `Reading` field names, decimals digit for digit, never binary floats).
- `<prefix>/<meter>/<field>`: the plain value of one field (optional).
- `<discovery_prefix>/device/<device>/config`: Home Assistant device discovery, retained.

`<meter>` is the meter's id reduced to `[A-Za-z0-9_-]`, or `meter` for meters that send no id
(the Elektrilevi E360 on P1). Energy is declared in Wh, the unit of the values: the Energy
dashboard accepts Wh, and no number is converted on the way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hanport import __version__
from hanport.fields import FIELDS, Field
from hanport.i18n import text
from hanport.model import READING_FIELDS, Reading
from hanport.mqtt.settings import MqttSettings
from hanport.output import reading_json, value_json

__all__ = [
    "Message",
    "Topics",
    "announced_fields",
    "availability_topic",
    "discovery_message",
    "field_messages",
    "reading_messages",
    "state_message",
    "topics",
]

ORIGIN = {"name": "hanport", "sw": __version__, "url": "https://github.com/hanport/hanport"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Message:
    topic: str
    payload: str
    retain: bool = False


@dataclass(frozen=True)
class Topics:
    """Where one meter's messages go."""

    meter: str
    device_id: str
    state: str
    discovery: str
    base: str

    def field(self, name: str) -> str:
        return f"{self.base}/{name}"


def availability_topic(settings: MqttSettings) -> str:
    return f"{settings.prefix}/status"


def topics(settings: MqttSettings, reading: Reading) -> Topics:
    meter = _UNSAFE.sub("_", reading.meter_id) if reading.meter_id else "meter"
    device_id = f"{_slug(settings.prefix)}_{meter.lower()}"
    base = f"{settings.prefix}/{meter}"
    return Topics(
        meter=meter,
        device_id=device_id,
        state=f"{base}/state",
        discovery=f"{settings.discovery_prefix}/device/{device_id}/config",
        base=base,
    )


def state_message(settings: MqttSettings, reading: Reading) -> Message:
    return Message(topics(settings, reading).state, reading_json(reading), settings.retain)


def field_messages(settings: MqttSettings, reading: Reading) -> list[Message]:
    """One plain message per field the reading has: `2006`, `228.9`, `2026-01-10T08:00:00+02:00`."""
    where = topics(settings, reading)
    return [
        Message(where.field(name), _plain(value), settings.retain)
        for name in READING_FIELDS
        if name != "extra" and (value := getattr(reading, name)) is not None
    ]


def reading_messages(settings: MqttSettings, reading: Reading) -> list[Message]:
    """The state message, then (if enabled) the per-field messages."""
    messages = [state_message(settings, reading)]
    if settings.per_field_topics:
        messages += field_messages(settings, reading)
    return messages


def announced_fields(reading: Reading) -> frozenset[str]:
    """The fields of this reading that become Home Assistant sensors."""
    return frozenset(f.name for f in _SENSOR_FIELDS if getattr(reading, f.name) is not None)


def discovery_message(
    settings: MqttSettings,
    reading: Reading,
    names: frozenset[str],
    extra: Mapping[str, Mapping[str, object]] | None = None,
) -> Message:
    """Device discovery for the sensors `names` (see `announced_fields`) of the reading's meter,
    and the `extra` components other parts add (a price sensor, an alert's binary sensor)."""
    where = topics(settings, reading)
    device: dict[str, object] = {
        "ids": [where.device_id],
        "name": text("mqtt.device_name", settings.language),
    }
    if reading.meter_model:
        device["mdl"] = reading.meter_model
    if reading.meter_id:
        device["sn"] = reading.meter_id
    config = {
        "dev": device,
        "o": ORIGIN,
        "availability": [{"topic": availability_topic(settings)}],
        "state_topic": where.state,
        "qos": settings.qos,
        "cmps": {f.name: _component(settings, where, f) for f in _SENSOR_FIELDS if f.name in names},
    }
    if extra:
        config["cmps"] = {**config["cmps"], **extra}  # type: ignore[dict-item]
    return Message(where.discovery, json.dumps(config, ensure_ascii=False), retain=True)


def _component(settings: MqttSettings, where: Topics, field: Field) -> dict[str, object]:
    unique_id = f"{where.device_id}_{field.name}"
    component: dict[str, object] = {
        "p": "sensor",
        "name": field.label(settings.language),
        "unique_id": unique_id,
        "default_entity_id": f"sensor.{_slug(unique_id)}",
        "value_template": f"{{{{ value_json.{field.name} }}}}",
    }
    if field.ha_device_class:
        component["device_class"] = field.ha_device_class
    if field.ha_state_class:
        component["state_class"] = field.ha_state_class
    if field.unit:
        component["unit_of_measurement"] = field.unit
    if field.kind == "time":
        component["entity_category"] = "diagnostic"
    if settings.expire_after_s:
        component["expire_after"] = settings.expire_after_s
    return component


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", text.lower())


def _plain(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex().upper()
    if isinstance(value, Decimal | int):
        return value_json(value)
    return str(value)


_SENSOR_FIELDS: tuple[Field, ...] = tuple(
    f
    for f in FIELDS
    if f.name != "received_at" and (f.ha_device_class is not None or f.ha_state_class is not None)
)
"""Every numeric field, and the meter's clock; the received time is hanport's, not the meter's."""
