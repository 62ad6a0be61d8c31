"""What the EV control publishes on MQTT, as pure functions (the MQTT sink sends them).

- `grid_message`: the signed current and net power of each phase (+ import, − export) and
  the total, for evcc (a custom grid meter with `currents`), SmartEVSE and Home Assistant:
  `<prefix>/<meter>/grid`, e.g. `{"current_l1_a":-5.2,…,"power_l1_w":-1196,…,"power_w":830}`.
- `mainsmeter_message`: SmartEVSE's external mains meter, `<smartevse>/Set/MainsMeter` with
  `L1:L2:L3` in signed deci-amps (`100:-52:4`). Built only from a reading younger than one
  meter interval: a stale value is never repeated, so SmartEVSE's own timeout still works.
- `setpoint_messages`: the limit for a charger driven over MQTT: JSON on its topic and the
  plain current on `<topic>/current_a` (0 pauses).
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from hanport.ev.model import Reason
from hanport.ev.wording import reason_text
from hanport.grid import phase_loads
from hanport.model import Reading
from hanport.mqtt.payloads import Message
from hanport.output import value_json

__all__ = ["grid_message", "mainsmeter_message", "setpoint_messages"]

SMARTEVSE_LIMIT_A = Decimal(200)


def grid_message(base_topic: str, reading: Reading, retain: bool = False) -> Message | None:
    """`<base_topic>/grid` (base: `hanport/<meter>`); None without any phase current."""
    loads = phase_loads(reading)
    if all(load.current_a is None for load in loads):
        return None
    parts = [f'"current_l{load.phase}_a":{value_json(load.current_a)}' for load in loads]
    parts += [f'"power_l{load.phase}_w":{value_json(load.power_w)}' for load in loads]
    if reading.power_import_w is not None or reading.power_export_w is not None:
        net = (reading.power_import_w or 0) - (reading.power_export_w or 0)
        parts.append(f'"power_w":{net}')
    if reading.received_at is not None:
        parts.append(f'"received_at":{value_json(reading.received_at)}')
    return Message(f"{base_topic}/grid", "{" + ",".join(parts) + "}", retain)


def mainsmeter_message(
    smartevse_prefix: str, reading: Reading, now: datetime, interval_s: float
) -> Message | None:
    """`L1:L2:L3` in signed deci-amps, or None when the reading is older than `interval_s`
    (on the receive clock), lacks a phase current, or is outside SmartEVSE's ±200 A."""
    if reading.received_at is None or (now - reading.received_at).total_seconds() > interval_s:
        return None
    deciamps = []
    for load in phase_loads(reading):
        if load.current_a is None or abs(load.current_a) > SMARTEVSE_LIMIT_A:
            return None
        deciamps.append(int((load.current_a * 10).to_integral_value(ROUND_HALF_EVEN)))
    payload = ":".join(str(d) for d in deciamps)
    return Message(f"{smartevse_prefix.rstrip('/')}/Set/MainsMeter", payload)


def setpoint_messages(
    topic: str, limit_a: Decimal, phases: int, reason: Reason, at: datetime, language: str = "en"
) -> list[Message]:
    """The limit as JSON on `topic` and as a plain number on `<topic>/current_a`."""
    body = {
        "limit_a": str(limit_a),
        "phases": phases,
        "enabled": limit_a > 0,
        "reason": reason.code,
        "text": reason_text(reason, language),
        "at": at.isoformat(),
    }
    return [
        Message(topic, json.dumps(body, ensure_ascii=False)),
        Message(f"{topic}/current_a", str(limit_a)),
    ]
