"""The verdicts the app draws: the server decides them from the site and the reading."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from webapp import make_app

from hanport.grid import Site
from hanport.model import Reading
from hanport.web.grid import grid_json, site_json

D = Decimal


def test_the_site_as_the_app_gets_it() -> None:
    assert site_json(Site(fuse_a=D(16), phases=1)) == {
        "fuse_a": 16,
        "phases": 1,
        "nominal_v": 230,
        "capacity_w": 3680,
        "warn_percent": 80,
        "voltage_min_v": 207,
        "voltage_max_v": 253,
        "voltage_wide_min_v": "195.5",
        "pv_trip_v": 253,
    }


def test_each_phase_gets_its_load_and_its_verdicts() -> None:
    reading = Reading(
        power_import_w=8625,
        power_import_l1_w=5750,
        current_l1_a=D("25.0"),
        voltage_l1_v=D("229.0"),
        power_import_l2_w=2300,
        current_l2_a=D("20.4"),
        voltage_l2_v=D("206.5"),
        power_export_l3_w=575,
        power_import_l3_w=0,
        current_l3_a=D("2.5"),
        voltage_l3_v=D("253.4"),
    )
    grid = grid_json(Site(), reading)
    assert grid is not None
    assert grid["load_percent"] == 50  # 8,625 of 17,250 W
    assert grid["exporting"] is False
    assert [
        (p["load_percent"], p["fuse"], p["voltage"], p["exporting"]) for p in grid["phases"]
    ] == [
        (100, "over", "ok", False),
        (82, "near", "low", False),
        (10, "ok", "high", True),
    ]


def test_no_reading_no_verdicts_and_missing_values_stay_unknown() -> None:
    assert grid_json(Site(), None) is None
    grid = grid_json(Site(phases=1), Reading())
    assert grid == {
        "load_percent": None,
        "exporting": False,
        "phases": [
            {"phase": 1, "load_percent": None, "fuse": "ok", "voltage": "ok", "exporting": False}
        ],
    }


def test_the_status_carries_the_site_and_the_verdicts(tmp_path: Path) -> None:
    web = make_app(tmp_path / "app.db", hours=0.1)
    assert web.context.status()["grid"] is None  # no reading yet
    web.context.hub.publish(web.readings[-1])
    status = json.loads(web.context.status_json())
    assert (status["fuse_a"], status["capacity_w"], status["warn_percent"]) == (25, 17250, 80)
    assert status["grid"] == grid_json(Site(), web.readings[-1])
