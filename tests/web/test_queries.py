"""The API's series: the SQLite store's fast JSON path (`SeriesJson`) and the path through
typed rows that any other store takes give the same JSON, text for text."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from stores import ReadingsOnly

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.store import SeriesJson, Store, open_store
from hanport.store.rollups import STEPS
from hanport.web import queries

TALLINN = ZoneInfo("Europe/Tallinn")
WINDOWS = [
    (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    (datetime(2026, 3, 28, 23, 0, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
]
FIELDS = [None, ["voltage_l1_v"], ["current_l3_a", "power_import_w"], ["power_export_l2_w"]]


def simulated(count: int, start: datetime) -> list[Reading]:
    simulator = HomeSimulator(seed=7, start=start)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(count)))


def both(store: Store, meter: str) -> None:
    assert isinstance(store, SeriesJson)
    plain = ReadingsOnly(store)
    assert not isinstance(plain, SeriesJson)
    compared = 0
    for step in STEPS:
        for start, end in WINDOWS:
            for fields in FIELDS:
                fast = queries.series_json(store, meter, step, start, end, fields)
                slow = queries.series_json(plain, meter, step, start, end, fields)
                assert fast == slow, (step, start, fields)
                parsed = json.loads(fast, parse_float=Decimal)
                assert parsed == json.loads(slow, parse_float=Decimal)
                compared += len(parsed["rows"])
    assert compared > 100


def test_stored_open_and_gap_periods_give_the_same_json(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "hanport.db"), TALLINN)
    readings = simulated(4 * 360 + 77, datetime(2026, 3, 28, 21, 7, 3, tzinfo=UTC))  # DST night
    kept = readings[:500] + readings[560:]  # a gap
    for first in range(0, len(kept), 90):
        store.write(kept[first : first + 90])
    meter = store.meters()[0].id
    both(store, meter)
    partial = json.loads(queries.series_json(store, meter, "15m", *WINDOWS[0], None))["rows"]
    assert partial[-1]["partial"] is True
    assert any(row["gap"] for row in partial)
    store.close()


def test_legacy_rows_of_an_upgraded_database_give_the_same_json(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    shutil.copy(Path(__file__).parent.parent / "store" / "fixtures" / "hanport-0.1.0.db", path)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM blocks WHERE hour < (SELECT min(hour) + 1 FROM blocks)")
    store = open_store(str(path), TALLINN)
    text = queries.series_json(store, "", "1h", *WINDOWS[0], None)
    assert '"legacy":true' in text
    both(store, "")
    store.close()


@pytest.mark.parametrize("period", ["day", "month", "year"])
def test_energy_is_the_same_from_either_store(tmp_path: Path, period: str) -> None:
    store = open_store(str(tmp_path / "hanport.db"), TALLINN)
    store.write(simulated(900, datetime(2026, 1, 31, 21, 0, tzinfo=UTC)))
    meter = store.meters()[0].id
    start, end = datetime(2025, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    fast = queries.energy_json(store, meter, period, start, end)
    assert fast == queries.energy_json(ReadingsOnly(store), meter, period, start, end)
    rows = json.loads(fast)["rows"]
    assert rows[-1]["partial"] is True
    assert sum(r["energy_import_wh"] for r in rows) > 0
    store.close()


def test_meters_json_names_each_meter(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "hanport.db"), TALLINN)
    readings = simulated(20, datetime(2026, 1, 10, 6, tzinfo=UTC))
    store.write(readings)
    (meter,) = json.loads(queries.meters_json(store))["meters"]
    first, last = readings[0].meter_time, readings[-1].meter_time
    assert first is not None
    assert last == first + timedelta(seconds=190)
    assert meter == {
        "id": readings[0].meter_id,
        "model": readings[-1].meter_model,
        "first_reading": first.isoformat(),
        "last_reading": last.isoformat(),
    }
    store.close()
