"""What costs publish over MQTT, as pure functions: topics, payloads, Home Assistant components.

Topics, under the MQTT prefix (`hanport` by default), all retained:

- `<prefix>/costs/price`: the all-in price of the current slot, EUR/kWh with VAT (`0.1873`).
- `<prefix>/costs/prices`: the current and next known slots, a JSON array of
  `{"start": …, "end": …, "eur_kwh": "…"}`.
- `<prefix>/costs/today`: `{"eur": "1.23", "kwh": "9.876", "last_reset": <today 00:00>}`,
  what today's energy cost so far, VAT included (fixed monthly fees excluded).
- `<prefix>/costs/plan`: `{"start", "end", "mean_eur_kwh", "duration_min"}` of the cheapest
  window ahead, or `{}` when the known prices do not cover one.

Decimals are strings in JSON and plain text in the single-value topic, never binary floats.
The components join the meter's device in Home Assistant's discovery; today's cost is a
`monetary` sensor with `state_class: total` and a `last_reset` at midnight, which the Energy
dashboard accepts as the cost of the grid consumption.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from hanport.costs.plan import PlanSlot, PlanWindow
from hanport.i18n import text

__all__ = ["NEXT_SLOTS", "CostFigures", "cost_components", "cost_payloads"]

NEXT_SLOTS = 96
"""How many slots `prices` lists at most (a day of quarters)."""


@dataclass(frozen=True)
class CostFigures:
    """What is published: computed from the store by `hanport.costs.publish`."""

    now: datetime
    prices: Sequence[PlanSlot]
    """All-in prices from the current slot on, in time order."""
    today_eur: Decimal | None
    today_kwh: Decimal
    midnight: datetime
    plan: PlanWindow | None
    plan_duration: timedelta


def cost_payloads(prefix: str, state: CostFigures) -> dict[str, str]:
    """Topic → payload."""
    now_slot = next((slot for slot in state.prices if slot.start <= state.now < slot.end), None)
    base = f"{prefix}/costs"
    payloads = {
        f"{base}/prices": json.dumps(
            [
                {
                    "start": slot.start.isoformat(),
                    "end": slot.end.isoformat(),
                    "eur_kwh": _d(slot.eur_kwh),
                }
                for slot in state.prices[:NEXT_SLOTS]
            ]
        ),
        f"{base}/today": json.dumps(
            {
                "eur": None if state.today_eur is None else _d(state.today_eur),
                "kwh": _d(state.today_kwh),
                "last_reset": state.midnight.isoformat(),
            }
        ),
        f"{base}/plan": json.dumps(
            {}
            if state.plan is None
            else {
                "start": state.plan.start.isoformat(),
                "end": state.plan.end.isoformat(),
                "mean_eur_kwh": _d(state.plan.mean_eur_kwh),
                "duration_min": int(state.plan_duration.total_seconds() // 60),
            }
        ),
    }
    if now_slot is not None:
        payloads[f"{base}/price"] = _d(now_slot.eur_kwh)
    return payloads


def cost_components(prefix: str, device_id: str, language: str) -> dict[str, dict[str, object]]:
    """Home Assistant components for the meter's device discovery, by key."""
    base = f"{prefix}/costs"

    def sensor(key: str, **rest: object) -> dict[str, object]:
        unique_id = f"{device_id}_{key}"
        return {
            "p": "sensor",
            "name": text(f"costs.ha_{key}", language),
            "unique_id": unique_id,
            "default_entity_id": f"sensor.{unique_id}",
            **rest,
        }

    return {
        "cost_price": sensor(
            "cost_price",
            state_topic=f"{base}/price",
            unit_of_measurement="EUR/kWh",
            state_class="measurement",
            suggested_display_precision=4,
        ),
        "cost_next_price": sensor(
            "cost_next_price",
            state_topic=f"{base}/prices",
            value_template="{{ value_json[1].eur_kwh if value_json | length > 1 else None }}",
            json_attributes_topic=f"{base}/prices",
            json_attributes_template="{{ {'prices': value_json} | tojson }}",
            unit_of_measurement="EUR/kWh",
            suggested_display_precision=4,
        ),
        "cost_today": sensor(
            "cost_today",
            state_topic=f"{base}/today",
            value_template="{{ value_json.eur }}",
            last_reset_value_template="{{ value_json.last_reset }}",
            device_class="monetary",
            state_class="total",
            unit_of_measurement="EUR",
            suggested_display_precision=2,
        ),
        "cost_plan": sensor(
            "cost_plan",
            state_topic=f"{base}/plan",
            value_template="{{ value_json.start | default(None) }}",
            json_attributes_topic=f"{base}/plan",
            device_class="timestamp",
        ),
    }


def _d(value: Decimal) -> str:
    return f"{value:f}"
