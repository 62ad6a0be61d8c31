"""OCPP meter values (1.6 and 2.0.1, as the `ocpp` package hands them over) read into numbers.

Per phase `Current.Import` (A), `Power.Active.Import` (W; per phase or in total) and
`Energy.Active.Import.Register` (Wh). kW, kWh and 2.0.1's `multiplier` are converted exactly.
The sampled values of the newest timestamp count. Values that are not numbers are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

__all__ = ["Sample", "read_meter_values"]

_PHASES = {"L1": 0, "L2": 1, "L3": 2, "L1-N": 0, "L2-N": 1, "L3-N": 2}
_SCALE = {"W": Decimal(1), "kW": Decimal(1000), "Wh": Decimal(1), "kWh": Decimal(1000)}


@dataclass(frozen=True)
class Sample:
    at: datetime | None
    current_a: tuple[Decimal | None, Decimal | None, Decimal | None] | None
    power_w: Decimal | None
    energy_wh: Decimal | None


def read_meter_values(meter_value: Sequence[Mapping[str, object]]) -> Sample | None:
    """The newest entry of a `meter_value` list (snake_case keys); None when it is empty."""
    entries = [e for e in meter_value if isinstance(e, Mapping)]
    if not entries:
        return None
    newest = max(entries, key=lambda e: str(e.get("timestamp", "")))
    currents: list[Decimal | None] = [None, None, None]
    phase_power: list[Decimal | None] = [None, None, None]
    power = energy = None
    samples = newest.get("sampled_value")
    for sample in samples if isinstance(samples, list) else []:
        if not isinstance(sample, Mapping):
            continue
        value = _value(sample)
        if value is None:
            continue
        measurand = sample.get("measurand") or "Energy.Active.Import.Register"
        index = _PHASES.get(str(sample.get("phase", "")))
        if measurand == "Current.Import" and index is not None:
            currents[index] = value
        elif measurand == "Power.Active.Import":
            if index is None:
                power = value
            else:
                phase_power[index] = value
        elif measurand == "Energy.Active.Import.Register" and index is None:
            energy = value
    if power is None and any(p is not None for p in phase_power):
        power = sum((p for p in phase_power if p is not None), start=Decimal(0))
    measured = any(c is not None for c in currents)
    current = (currents[0], currents[1], currents[2]) if measured else None
    return Sample(_time(newest.get("timestamp")), current, power, energy)


def _value(sample: Mapping[str, object]) -> Decimal | None:
    try:
        value = Decimal(str(sample.get("value")))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    unit, multiplier = sample.get("unit"), 0
    measure = sample.get("unit_of_measure")
    if isinstance(measure, Mapping):
        unit = measure.get("unit", unit)
        raw = measure.get("multiplier", 0)
        multiplier = raw if isinstance(raw, int) else 0
    return value * _SCALE.get(str(unit), Decimal(1)) * Decimal(10) ** multiplier


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
