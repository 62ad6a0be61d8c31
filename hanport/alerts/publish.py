"""Alerts on hanport's one MQTT connection: the `MqttPublisher` the MQTT sink offers.

The publisher may appear after the alerts start (the sinks start together), so it is looked up
until found. Once found and a reading has named the meter, the rules' Home Assistant
components (and the gateway's connectivity sensor, whose last will says `offline`) are added
to the meter's discovery, and every enabled rule's state is published (`OFF`, retained), so
Home Assistant shows each binary sensor from the start. Then each notice is published as it
happens (`hanport.alerts.mqtt`). An alert before the first reading (no data since the start)
goes under the meter the database knows last.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from hanport.alerts.engine import Notice
from hanport.alerts.mqtt import alert_components, alert_messages, gateway_component
from hanport.alerts.rules import MOMENTS, Rule
from hanport.errors import HanError
from hanport.model import Reading
from hanport.mqtt.payloads import Topics, topics
from hanport.mqtt.publisher import MqttPublisher
from hanport.mqtt.settings import MqttSettings
from hanport.runtime.sink import RuntimeView

__all__ = ["AlertsOnMqtt"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class AlertsOnMqtt:
    def __init__(
        self,
        view: RuntimeView,
        mqtt: MqttSettings | None,
        rules: tuple[Rule, ...],
        language: str,
        zone: tzinfo,
    ) -> None:
        self.view = view
        self.mqtt = mqtt
        self.rules = rules
        self.language = language
        self.zone = zone
        self.publisher: MqttPublisher | None = None
        self.where: Topics | None = None
        self._meter: str | None = None

    def reading(self, reading: Reading) -> None:
        """Each reading: the meter's topics (from its id), and the publisher once it is there."""
        if self.mqtt is None:
            return
        if self.where is None or (reading.meter_id and reading.meter_id != self._meter):
            self.where, self._meter = topics(self.mqtt, reading), reading.meter_id
            self.publisher = None  # announce again under the meter's topics
        if self.publisher is None:
            self._start()

    def notice(self, notice: Notice, active: list[Notice]) -> None:
        if self.where is None:
            self._stored_meter()
        if self.publisher is None or self.where is None:
            return
        for message in alert_messages(self.where, notice, active, self.language, self.zone):
            self.publisher.publish(message)

    def set_rules(self, rules: tuple[Rule, ...]) -> None:
        """Rules changed in the app: the newly enabled ones are announced (and shown `OFF`)."""
        before: set[str] = {rule.kind for rule in self.rules if rule.enabled}
        self.rules = rules
        if self.publisher is not None:
            self._announce(self.publisher, before)

    def _stored_meter(self) -> None:
        """Before any reading (no data since the start): the meter the database knows last."""
        if self.mqtt is None or self.view.latest is not None:
            return
        try:
            meters = [m for m in self.view.store.meters() if m.last is not None]
        except HanError:
            return
        if meters:
            newest = max(meters, key=lambda m: m.last or _EPOCH)
            self.reading(Reading(meter_id=newest.id or None))

    def _start(self) -> None:
        found = self.view.find(MqttPublisher)
        if found is None or self.where is None or self.mqtt is None:
            return
        self.publisher = found
        self._announce(found, set())

    def _announce(self, found: MqttPublisher, known: set[str]) -> None:
        """Discovery of the enabled rules, and `OFF` for those not announced before."""
        where, mqtt = self.where, self.mqtt
        if where is None or mqtt is None:
            return
        components = alert_components(where, self.rules, self.language)
        components |= gateway_component(mqtt.prefix, where.device_id, self.language)
        found.add_components(components)
        for rule in self.rules:
            if rule.enabled and rule.kind not in MOMENTS and rule.kind not in known:
                placeholder = Notice(rule.kind, "", "cleared", rule.severity, _EPOCH, _EPOCH)
                for message in alert_messages(where, placeholder, [], self.language, self.zone):
                    if message.retain:
                        found.publish(message)
