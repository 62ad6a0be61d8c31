"""The connection point and its limits, as pure arithmetic: main fuse, phases, voltage bands.

`Site` says what the household is connected with; `phase_loads` reads a `Reading` per phase with
signed currents; `headroom_a` is what each phase may still carry; `fuse_verdict` and
`voltage_verdict` are the app's and the alerts' verdicts. No I/O, no clock.
"""

from __future__ import annotations

from hanport.grid.phases import PhaseLoad, headroom_a, phase_loads, signed_current_a
from hanport.grid.site import Site
from hanport.grid.verdicts import (
    BAND_V,
    PV_TRIP_V,
    WIDE_BAND_V,
    FuseVerdict,
    VoltageVerdict,
    fuse_verdict,
    voltage_verdict,
)

__all__ = [
    "BAND_V",
    "PV_TRIP_V",
    "WIDE_BAND_V",
    "FuseVerdict",
    "PhaseLoad",
    "Site",
    "VoltageVerdict",
    "fuse_verdict",
    "headroom_a",
    "phase_loads",
    "signed_current_a",
    "voltage_verdict",
]
