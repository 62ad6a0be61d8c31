"""What other parts publish through hanport's one MQTT connection.

EV control (setpoints, SmartEVSE's MainsMeter feed), alerts (their topics and events) and costs
(the price now, today's cost) do not open connections of their own: the MQTT sink offers a
`MqttPublisher` to the running hanport (`view.find(MqttPublisher)`), and sends what is handed to
it as soon as the connection allows. While the broker is away only the newest message per topic
waits (nothing stale piles up); retained messages are sent again after every reconnect, as the
broker may have lost them. `add_components` adds Home Assistant components (a price sensor, an
alert's binary sensor) to the meter's device discovery from then on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from hanport.mqtt.payloads import Message

__all__ = ["MqttPublisher"]

_MAX_WAITING = 1000


class MqttPublisher:
    def __init__(self) -> None:
        self._waiting: dict[str, Message] = {}
        self._retained: dict[str, Message] = {}
        self._components: dict[str, dict[str, object]] = {}
        self._components_changed = False
        self.wake = asyncio.Event()

    def publish(self, message: Message) -> None:
        """Send `message` soon (never blocks; a newer one for the same topic replaces it)."""
        self._waiting.pop(message.topic, None)
        self._waiting[message.topic] = message
        while len(self._waiting) > _MAX_WAITING:
            self._waiting.pop(next(iter(self._waiting)))
        if message.retain:
            self._retained[message.topic] = message
        self.wake.set()

    def add_components(self, components: Mapping[str, Mapping[str, object]]) -> None:
        """Home Assistant components, by key, for the meter's device discovery."""
        for key, component in components.items():
            if self._components.get(key) != component:
                self._components[key] = dict(component)
                self._components_changed = True
        if self._components_changed:
            self.wake.set()

    @property
    def components(self) -> Mapping[str, Mapping[str, object]]:
        return self._components

    def take(self) -> tuple[list[Message], bool]:
        """The messages to send now, and whether the discovery must be sent again."""
        self.wake.clear()
        messages, self._waiting = list(self._waiting.values()), {}
        changed, self._components_changed = self._components_changed, False
        return messages, changed

    def reconnected(self) -> None:
        """After a reconnect: the retained messages again (the broker may have lost them)."""
        for topic, message in self._retained.items():
            self._waiting.setdefault(topic, message)
        if self._waiting:
            self.wake.set()
