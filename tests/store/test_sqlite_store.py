"""The SQLite store: exact readings back, rollups of closed hours, several meters, kill -9."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator, serial_number
from hanport.store.sqlite import SqliteStore

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 6, 10, tzinfo=UTC)
FOREVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
METER = serial_number(3)  # the simulated meter of seed 3


def simulated(hours: float, seed: int = 3) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=START)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(int(hours * 360))))


def test_readings_come_back_exactly_and_hours_are_rolled_up(tmp_path: Path) -> None:
    readings = simulated(2.5)
    store = SqliteStore(tmp_path / "hanport.db", TALLINN)
    for start in range(0, len(readings), 6):  # a minute's batch, as the sink commits
        store.write(readings[start : start + 6])
    assert store.readings(METER, *FOREVER) == readings
    window = store.readings(METER, START + timedelta(minutes=30), START + timedelta(minutes=40))
    assert window == readings[180:240]
    hours = store.series(METER, "1h", *FOREVER)
    assert len(hours) == 2  # the third hour is still open
    registers = [r.energy_import_wh or 0 for r in readings]
    assert all(r.energy_import_wh is not None for r in readings)
    assert hours[0].energy_import_wh == registers[359] - registers[0]
    assert hours[1].energy_import_wh == registers[719] - registers[359]
    quarters = store.series(METER, "15m", *FOREVER)
    assert len(quarters) == 8
    assert sum(q.energy_import_wh for q in quarters) == registers[719] - registers[0]
    (day,) = store.series(METER, "1d", *FOREVER)
    assert day.readings == 720
    assert day.energy_import_wh == registers[719] - registers[0]
    power = day.stats["power_import_w"]
    assert power.minimum == min(r.power_import_w or 0 for r in readings[:720])
    store.close()


def test_reopened_store_keeps_everything(tmp_path: Path) -> None:
    readings = simulated(1.2)
    store = SqliteStore(tmp_path / "hanport.db", TALLINN)
    store.write(readings)
    store.close()
    again = SqliteStore(tmp_path / "hanport.db", TALLINN)
    assert again.readings(METER, *FOREVER) == readings
    assert len(again.series(METER, "1h", *FOREVER)) == 1
    again.close()


def test_several_meters_in_one_database(tmp_path: Path) -> None:
    first = [replace_id(r, "A") for r in simulated(0.2, seed=1)]
    second = [replace_id(r, "B") for r in simulated(0.2, seed=2)]
    store = SqliteStore(tmp_path / "hanport.db", TALLINN)
    store.write(first + second)
    assert store.meters() == ["A", "B"]
    assert store.readings("A", *FOREVER) == first
    assert store.readings("B", *FOREVER) == second
    assert store.readings("C", *FOREVER) == []
    store.close()


def replace_id(reading: Reading, meter_id: str) -> Reading:
    from dataclasses import replace

    return replace(reading, meter_id=meter_id)


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo
    import hanport
    from hanport.sim.home import HomeSimulator
    from hanport.store.sqlite import SqliteStore

    store = SqliteStore(sys.argv[1], ZoneInfo("Europe/Tallinn"))
    simulator = HomeSimulator(seed=5, start=datetime(2026, 6, 10, tzinfo=UTC))
    written = 0
    while True:
        batch = hanport.decode(b"".join(simulator.next_telegram() for _ in range(30)))
        store.write(batch)
        written += len(batch)
        print(written, flush=True)
    """
)


def test_kill_9_loses_nothing_that_was_written_and_never_corrupts(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    acknowledged = 0
    for line in process.stdout:
        acknowledged = int(line)
        if acknowledged >= 1500:  # past several sealed hours
            break
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    process.stdout.close()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = SqliteStore(path, TALLINN)
    stored = store.readings(serial_number(5), *FOREVER)
    assert len(stored) >= acknowledged
    assert stored == simulated_from(5, len(stored))
    store.close()


def simulated_from(seed: int, count: int) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=START)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(count)))


def test_a_reading_stored_twice_is_kept_once(tmp_path: Path) -> None:
    readings = simulated(1.1)
    store = SqliteStore(tmp_path / "hanport.db", TALLINN)
    store.write(readings)
    store.write(readings[-20:])  # the open hour again, e.g. a replay of the same capture
    store.write(readings[:50])  # and a sealed hour again
    assert store.readings(METER, *FOREVER) == readings
    (hour,) = store.series(METER, "1h", *FOREVER)
    assert hour.readings == 360
    store.close()


def test_series_rows_are_the_stored_rollups(tmp_path: Path) -> None:
    import json
    from decimal import Decimal

    readings = simulated(2.2)
    store = SqliteStore(tmp_path / "hanport.db", TALLINN)
    store.write(readings)
    rows = store.series_rows(METER, "1h", *FOREVER)
    objects = store.series(METER, "1h", *FOREVER)
    assert [row[0] for row in rows] == [int(r.start.timestamp()) for r in objects]
    assert [row[2] for row in rows] == [r.energy_import_wh for r in objects]
    stats = json.loads(rows[0][6], parse_float=Decimal)
    assert stats["voltage_l1_v"]["min"] == objects[0].stats["voltage_l1_v"].minimum
    assert stats["voltage_l1_v"]["n"] == objects[0].stats["voltage_l1_v"].count
    assert stats["power_import_w"]["avg"] == objects[0].stats["power_import_w"].mean.quantize(
        Decimal("0.001")
    )
    assert store.series_rows("nobody", "1h", *FOREVER) == []
    store.close()


def test_retention_deletes_old_raw_readings_but_keeps_rollups(tmp_path: Path) -> None:
    readings = simulated(3.1)
    store = SqliteStore(tmp_path / "hanport.db", TALLINN)
    store.write(readings)
    removed = store.prune(START + timedelta(hours=2))
    assert removed == 2
    kept = store.readings(METER, *FOREVER)
    assert kept == readings[720:]
    assert len(store.series(METER, "1h", *FOREVER)) == 3  # the rollups of all hours remain
    store.close()
