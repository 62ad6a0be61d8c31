"""Alerts on MQTT, as pure payload builders (the MQTT sink publishes them).

Topics, under the meter's base `<prefix>/<meter>` (see `hanport.mqtt.payloads.topics`):

- `<base>/alert/<rule>`: `ON` while any alert of the rule is active, else `OFF` (retained);
- `<base>/alert/<rule>/attributes`: JSON of the active alerts (retained): subjects, since,
  severity;
- `<base>/alert/<rule>/event`: one JSON per notice (not retained), with `event_type` `fired`,
  `repeated`, `cleared` or `occurred`, as a Home Assistant `event` entity expects.

Home Assistant discovery: a `binary_sensor` (device class `problem`) and an `event` component
per enabled rule, to merge into the device discovery message's `cmps`, and a `connectivity`
binary sensor on `<prefix>/status`, whose last will says `offline` when the gateway itself stops
(Home Assistant then shows it unavailable, like every entity of the device: the device-level
availability is that same topic).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo

from hanport.alerts.engine import Notice
from hanport.alerts.messages import render_notice
from hanport.alerts.rules import MOMENTS, Rule
from hanport.i18n import text
from hanport.mqtt.payloads import Message, Topics
from hanport.quality.jsontext import json_text

__all__ = ["alert_components", "alert_messages", "gateway_component"]


def alert_messages(
    where: Topics, notice: Notice, active: Sequence[Notice], language: str, zone: tzinfo
) -> list[Message]:
    """The event of `notice`, then the rule's state and attributes given the `active` alerts."""
    base = f"{where.base}/alert/{notice.rule}"
    message = render_notice(notice, language, zone)
    event = {**message.payload, "event_type": notice.event}
    mine = [n for n in active if n.rule == notice.rule]
    out = [Message(f"{base}/event", json_text(event))]
    if notice.rule not in MOMENTS:
        attributes = {
            "active": [
                {"subject": n.subject, "since": n.started.astimezone(zone), "severity": n.severity}
                for n in mine
            ]
        }
        out += [
            Message(base, "ON" if mine else "OFF", retain=True),
            Message(f"{base}/attributes", json_text(attributes), retain=True),
        ]
    return out


def alert_components(
    where: Topics, rules: Iterable[Rule], language: str
) -> dict[str, dict[str, object]]:
    """Discovery components for the enabled rules (merge into the device's `cmps`)."""
    components: dict[str, dict[str, object]] = {}
    for rule in rules:
        if not rule.enabled:
            continue
        base = f"{where.base}/alert/{rule.kind}"
        name = text(f"alerts.rule_{rule.kind}", language)
        if rule.kind not in MOMENTS:
            unique = f"{where.device_id}_alert_{rule.kind}"
            components[f"alert_{rule.kind}"] = {
                "p": "binary_sensor",
                "name": name,
                "unique_id": unique,
                "default_entity_id": f"binary_sensor.{unique}",
                "device_class": "problem",
                "state_topic": base,
                "payload_on": "ON",
                "payload_off": "OFF",
                "json_attributes_topic": f"{base}/attributes",
            }
        unique = f"{where.device_id}_alert_{rule.kind}_event"
        types = ["occurred"] if rule.kind in MOMENTS else ["fired", "repeated", "cleared"]
        components[f"alert_{rule.kind}_event"] = {
            "p": "event",
            "name": name,
            "unique_id": unique,
            "default_entity_id": f"event.{unique}",
            "state_topic": f"{base}/event",
            "event_types": types,
        }
    return components


def gateway_component(prefix: str, device_id: str, language: str) -> dict[str, dict[str, object]]:
    """`hanport running` as a connectivity sensor: the last will turns it off."""
    unique = f"{device_id}_gateway"
    name = text("alerts.gateway_running", language)
    return {
        "gateway": {
            "p": "binary_sensor",
            "name": name,
            "unique_id": unique,
            "default_entity_id": f"binary_sensor.{unique}",
            "device_class": "connectivity",
            "entity_category": "diagnostic",
            "state_topic": f"{prefix}/status",
            "payload_on": "online",
            "payload_off": "offline",
        }
    }
