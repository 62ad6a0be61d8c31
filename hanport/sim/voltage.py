"""The simulator's `scenario=voltage`: a week of phase voltages with excursions (pure).

`scenario_voltages(moment)` gives L1–L3 for any moment (None: the meter sends nothing then), the
same every week (`hanport.quality.scenarios.voltage_week` yields it as 10-s samples).

Every 10-minute window has a constant base per phase plus a ripple that sums to zero over each
six readings, so each complete window's mean is its base exactly (readings at :00, :10, …):

- base: L1 231 V, L2 229 V, L3 230 V; −3 V every evening 17:00–21:00, +2 V every night
  00:00–05:00;
- **sag**, Tuesday 18:00–18:30: L2 at 200 V (three means below 207 V), then 18:30–18:40 at
  193 V (one mean below 195.5 V);
- **overvoltage day from PV**, Thursday: L1 at 248 V 10:00–11:00, 255 V 11:00–15:00
  (24 means above 253 V; every reading at or above the 253 V PV trip level), 249 V 15:00–16:00;
- **broken neutral**, Saturday 20:00:00–20:01:50 (12 readings): L1 at 268 V and L3 at 188 V
  while L2 stays at 226 V; the window's means are L1 236.00, L2 226.00, L3 219.20 V
  (magnitude unbalance 3.93 %);
- a **gap**, Wednesday 03:00:00–03:03:10: no readings (20 missing: the window is incomplete).

Times are Europe/Tallinn local time.
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

__all__ = ["EXCURSIONS", "SCENARIOS", "TALLINN", "scenario_voltages"]

SCENARIOS = ("voltage",)
TALLINN = ZoneInfo("Europe/Tallinn")
_BASE = (Decimal(231), Decimal(229), Decimal(230))
_RIPPLE = (Decimal("0.3"), Decimal("-0.2"), Decimal("0.1"), Decimal("-0.3"), Decimal("0.2"),
           Decimal("-0.1"))  # fmt: skip
Segment = tuple[int, time, time, int, Decimal]
EXCURSIONS: tuple[Segment, ...] = (
    (1, time(18, 0), time(18, 30), 2, Decimal(200)),
    (1, time(18, 30), time(18, 40), 2, Decimal(193)),
    (3, time(10, 0), time(11, 0), 1, Decimal(248)),
    (3, time(11, 0), time(15, 0), 1, Decimal(255)),
    (3, time(15, 0), time(16, 0), 1, Decimal(249)),
)
"""(weekday, from, to, phase, volts): bases that replace the usual one, ripple kept."""
_NEUTRAL = (5, time(20, 0), time(20, 2), {1: Decimal(268), 3: Decimal(188)})
_GAP = (2, time(3, 0), time(3, 3, 20))


def scenario_voltages(moment: datetime, zone: tzinfo = TALLINN) -> tuple[Decimal, ...] | None:
    """L1, L2, L3 at `moment` (aware); None inside the gap."""
    local = moment.astimezone(zone)
    weekday, clock = local.weekday(), local.time().replace(tzinfo=None)
    if weekday == _GAP[0] and _GAP[1] <= clock < _GAP[2]:
        return None
    step = (local.minute * 60 + local.second) // 10
    values = []
    for phase in (1, 2, 3):
        if weekday == _NEUTRAL[0] and _NEUTRAL[1] <= clock < _NEUTRAL[2] and phase in _NEUTRAL[3]:
            values.append(_NEUTRAL[3][phase])
            continue
        values.append(_base(weekday, clock, phase) + _RIPPLE[(step + 2 * phase) % 6])
    return tuple(values)


def _base(weekday: int, clock: time, phase: int) -> Decimal:
    for day, begin, end, which, volts in EXCURSIONS:
        if day == weekday and which == phase and begin <= clock < end:
            return volts
    base = _BASE[phase - 1]
    if time(17) <= clock < time(21):
        return base - 3
    if clock < time(5):
        return base + 2
    return base
