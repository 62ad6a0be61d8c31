"""Verdicts the app and the alerts show: a phase against the fuse, a voltage against EN 50160.

EN 50160 (EVS-EN 50160 in Estonia) for low-voltage supply: 10-minute means within 230 V ± 10 %
(207–253 V) for 95 % of each week and within +10 %/−15 % (195.5–253 V) all the time. 253 V is
also where PV inverters disconnect (EN 50549-1 default).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from hanport.grid.site import Site

__all__ = [
    "BAND_V",
    "PV_TRIP_V",
    "WIDE_BAND_V",
    "FuseVerdict",
    "VoltageVerdict",
    "fuse_verdict",
    "voltage_verdict",
]

BAND_V = (Decimal(207), Decimal(253))
"""230 V ± 10 %: the band for 95 % of a week's 10-minute means."""
WIDE_BAND_V = (Decimal("195.5"), Decimal(253))
"""230 V + 10 % / − 15 %: the band for all of them."""
PV_TRIP_V = Decimal(253)

FuseVerdict = Literal["ok", "near", "over"]
VoltageVerdict = Literal["ok", "low", "very_low", "high"]


def fuse_verdict(site: Site, current_a: Decimal | None) -> FuseVerdict:
    """`near` from `site.warn_fraction` of the fuse, `over` at or above it (either direction)."""
    if current_a is None:
        return "ok"
    load = abs(current_a)
    if load >= site.fuse_a:
        return "over"
    if load >= site.fuse_a * site.warn_fraction:
        return "near"
    return "ok"


def voltage_verdict(voltage_v: Decimal | None) -> VoltageVerdict:
    """Where one voltage (a sample or a 10-minute mean) stands against the bands."""
    if voltage_v is None or BAND_V[0] <= voltage_v <= BAND_V[1]:
        return "ok"
    if voltage_v > BAND_V[1]:
        return "high"
    return "low" if voltage_v >= WIDE_BAND_V[0] else "very_low"
