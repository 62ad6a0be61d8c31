"""The site and the grid's verdicts as the app shows them: the JS draws these, it never decides.

`site_json` is the connection (fuse, phases, capacity, the EN 50160 bands); `grid_json` says,
for the latest reading, how loaded each phase is against the fuse (a whole percent and `ok`,
`near` or `over`), where its voltage stands (`ok`, `low`, `very_low`, `high`), and the share of
the site's capacity in use. Whole percents, so that no binary float is ever sent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hanport.grid import (
    BAND_V,
    PV_TRIP_V,
    WIDE_BAND_V,
    Site,
    fuse_verdict,
    phase_loads,
    voltage_verdict,
)
from hanport.model import Reading

__all__ = ["grid_json", "site_json"]


def site_json(site: Site) -> dict[str, Any]:
    return {
        "fuse_a": _plain(site.fuse_a),
        "phases": site.phases,
        "nominal_v": _plain(site.nominal_v),
        "capacity_w": _plain(site.capacity_w),
        "warn_percent": _percent(site.warn_fraction),
        "voltage_min_v": _plain(BAND_V[0]),
        "voltage_max_v": _plain(BAND_V[1]),
        "voltage_wide_min_v": str(WIDE_BAND_V[0]),
        "pv_trip_v": _plain(PV_TRIP_V),
    }


def grid_json(site: Site, reading: Reading | None) -> dict[str, Any] | None:
    """None before the first reading."""
    if reading is None:
        return None
    phases = []
    for load in phase_loads(reading)[: site.phases]:
        current = load.current_a
        phases.append(
            {
                "phase": load.phase,
                "load_percent": None if current is None else _percent(abs(current) / site.fuse_a),
                "fuse": fuse_verdict(site, current),
                "voltage": voltage_verdict(load.voltage_v),
                "exporting": current is not None and current < 0,
            }
        )
    net = Decimal(reading.power_import_w or 0) - Decimal(reading.power_export_w or 0)
    known = reading.power_import_w is not None or reading.power_export_w is not None
    return {
        "load_percent": _percent(abs(net) / site.capacity_w) if known else None,
        "exporting": net < 0,
        "phases": phases,
    }


def _percent(fraction: Decimal) -> int:
    return int((fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _plain(value: Decimal) -> int | str:
    """Whole numbers as JSON integers, others as exact text."""
    return int(value) if value == value.to_integral_value() else str(value)
