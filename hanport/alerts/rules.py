"""Alert rules as values, and the observations the engine is given.

Each rule has a kind, whether it is on, a threshold, how long its condition must hold before
it fires (`duration_s`) and a fixed severity:

| kind             | condition                                               | severity |
|------------------|---------------------------------------------------------|----------|
| `overcurrent`    | a phase's current ≥ `threshold` % of the main fuse      | warning  |
| `import_power`   | import power ≥ `threshold` W                            | warning  |
| `voltage_band`   | a complete 10-min mean outside 207–253 V ([quality])    | warning  |
| `phase_lost`     | a phase ≈ 0 V or missing while another is present       | critical |
| `broken_neutral` | one phase ≥ 260 V while another ≤ 200 V ([quality])     | critical |
| `data_lost`      | no verified reading for `duration_s`                    | warning  |
| `ev_failsafe`    | the EV charger control is in its fail-safe              | warning  |
| `meter_changed`  | the meter id changed, or an energy register went down   | warning  |
| `decoder_errors` | ≥ `threshold` rejected frames in the last hour          | warning  |
| `monthly_peak`   | a new monthly peak ≥ `threshold` W                      | info     |

`meter_changed` and `monthly_peak` are moments (they *occur*, once each); the others are
conditions that fire, may repeat, and clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from hanport.model import Reading
from hanport.quality.windows import Window

__all__ = [
    "DEFAULT_RULES",
    "MOMENTS",
    "RULE_KINDS",
    "SEVERITY",
    "DecoderRejections",
    "EvFailSafe",
    "MeterChanged",
    "MonthlyPeak",
    "Observation",
    "ReadingSeen",
    "Rule",
    "RuleKind",
    "Severity",
    "WindowClosed",
    "meter_change",
]

RuleKind = Literal[
    "overcurrent",
    "import_power",
    "voltage_band",
    "phase_lost",
    "broken_neutral",
    "data_lost",
    "ev_failsafe",
    "meter_changed",
    "decoder_errors",
    "monthly_peak",
]
RULE_KINDS: tuple[RuleKind, ...] = (
    "overcurrent",
    "import_power",
    "voltage_band",
    "phase_lost",
    "broken_neutral",
    "data_lost",
    "ev_failsafe",
    "meter_changed",
    "decoder_errors",
    "monthly_peak",
)
Severity = Literal["info", "warning", "critical"]
SEVERITY: dict[RuleKind, Severity] = {
    "overcurrent": "warning",
    "import_power": "warning",
    "voltage_band": "warning",
    "phase_lost": "critical",
    "broken_neutral": "critical",
    "data_lost": "warning",
    "ev_failsafe": "warning",
    "meter_changed": "warning",
    "decoder_errors": "warning",
    "monthly_peak": "info",
}
MOMENTS: frozenset[RuleKind] = frozenset({"meter_changed", "monthly_peak"})


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    enabled: bool = True
    threshold: Decimal | None = None
    """% of the fuse, W, rejected frames per hour: whatever the kind compares with."""
    duration_s: int = 0

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.kind]


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("overcurrent", True, Decimal(100), 60),
    Rule("import_power", False, None, 60),
    Rule("voltage_band", True, None, 600),
    Rule("phase_lost", True, None, 30),
    Rule("broken_neutral", True, None, 10),
    Rule("data_lost", True, None, 300),
    Rule("ev_failsafe", True, None, 0),
    Rule("meter_changed", True, None, 0),
    Rule("decoder_errors", True, Decimal(60), 0),
    Rule("monthly_peak", False, Decimal(0), 0),
)


@dataclass(frozen=True)
class ReadingSeen:
    """A verified reading, with the time it was received."""

    reading: Reading
    at: datetime


@dataclass(frozen=True)
class WindowClosed:
    """A sealed 10-minute window of voltage means (from `hanport.quality`)."""

    window: Window


@dataclass(frozen=True)
class EvFailSafe:
    engaged: bool
    charger: str = "charger"
    reason: str = ""


@dataclass(frozen=True)
class MeterChanged:
    what: Literal["replaced", "register_reset"]
    meter_before: str | None
    meter_after: str | None
    register: str | None = None
    before_wh: int | None = None
    after_wh: int | None = None


@dataclass(frozen=True)
class DecoderRejections:
    """The reader's count of rejected frames so far (it may restart from 0)."""

    total: int


@dataclass(frozen=True)
class MonthlyPeak:
    month: str
    """2026-01"""
    power_w: int | Decimal


Observation = (
    ReadingSeen | WindowClosed | EvFailSafe | MeterChanged | DecoderRejections | (MonthlyPeak)
)

_REGISTERS = (
    "energy_import_wh",
    "energy_export_wh",
    "energy_import_t1_wh",
    "energy_import_t2_wh",
    "energy_export_t1_wh",
    "energy_export_t2_wh",
)


def meter_change(previous: Reading, current: Reading) -> MeterChanged | None:
    """A new meter id, or a cumulative energy register lower than before (a reset)."""
    if previous.meter_id and current.meter_id and previous.meter_id != current.meter_id:
        return MeterChanged("replaced", previous.meter_id, current.meter_id)
    for name in _REGISTERS:
        before, after = getattr(previous, name), getattr(current, name)
        if before is not None and after is not None and after < before:
            return MeterChanged(
                "register_reset", previous.meter_id, current.meter_id, name, before, after
            )
    return None
