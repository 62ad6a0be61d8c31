"""MQTT as a part of `hanport run`: its `[mqtt]` section, and its sink when a broker is set."""

from __future__ import annotations

from collections.abc import Sequence

from hanport.mqtt.settings import MQTT
from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings

__all__ = ["sinks"]

SECTIONS = (MQTT,)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    mqtt = settings.get(MQTT)
    if mqtt is None:
        return []
    from hanport.mqtt.sink import MqttSink  # aiomqtt only when a broker is configured

    return [MqttSink(mqtt)]
