"""A charger driven over MQTT: the setpoint goes to a topic (see `mqtt_payloads`).

It knows nothing about the car (no feedback), so the law takes it as drawing its limit. A
changed setpoint is published at once; the same one again every `refresh_s`, as a heartbeat
that a charger-side script can watch (no message for a while: fall back). Publishing is handed
to `publish`, which must not block (the MQTT sink queues it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from hanport.ev.charger import ChargerReport
from hanport.ev.model import Reason
from hanport.ev.mqtt_payloads import setpoint_messages
from hanport.mqtt.payloads import Message

__all__ = ["MqttCharger"]


class MqttCharger:
    def __init__(
        self,
        charger_id: str,
        topic: str,
        publish: Callable[[Message], None],
        refresh_s: float = 30.0,
        reason: Callable[[], Reason | None] | None = None,
    ) -> None:
        self._id = charger_id
        self.topic = topic
        self._publish = publish
        self._refresh_s = refresh_s
        self._reason = reason or (lambda: None)
        self._sent: tuple[Decimal, int] | None = None
        self._sent_at: datetime | None = None

    @property
    def id(self) -> str:
        return self._id

    def set_limit(self, limit_a: Decimal, phases: int, now: datetime) -> None:
        wanted = (limit_a, phases)
        due = self._sent_at is None or (now - self._sent_at).total_seconds() >= self._refresh_s
        if wanted == self._sent and not due:
            return
        why = self._reason() or Reason("starting")
        for message in setpoint_messages(self.topic, limit_a, phases, why, now):
            self._publish(message)
        self._sent, self._sent_at = wanted, now

    def report(self) -> ChargerReport:
        limit = None if self._sent is None else self._sent[0]
        phases = None if self._sent is None else self._sent[1]
        return ChargerReport(self._id, online=True, limit_a=limit, phases=phases, kind="mqtt")
