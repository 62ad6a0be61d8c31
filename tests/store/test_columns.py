"""Column reads (`ColumnReader`): the named fields of every stored reading in time order, as
whole readings give them, without building `Reading`s; from every block format."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from stores import ReadingsOnly

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator, serial_number
from hanport.store import ColumnReader, open_store, read_columns

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 6, 10, 0, 0, 5, tzinfo=UTC)
METER = serial_number(3)
VOLTAGES = ["voltage_l1_v", "voltage_l2_v", "voltage_l3_v"]


def simulated(count: int) -> list[Reading]:
    simulator = HomeSimulator(seed=3, start=START)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(count)))


def expected(readings: list[Reading], names: Sequence[str]) -> list[tuple[Any, ...]]:
    return [
        (r.meter_time.astimezone(UTC), *(getattr(r, n) for n in names))  # type: ignore[union-attr]
        for r in readings
    ]


def test_the_voltages_of_sealed_and_open_hours_in_time_order(tmp_path: Path) -> None:
    readings = simulated(2 * 360 + 100)
    store = open_store(str(tmp_path / "hanport.db"), TALLINN)
    assert isinstance(store, ColumnReader)
    for first in range(0, len(readings), 50):
        store.write(readings[first : first + 50])
    everything = (START - timedelta(days=1), START + timedelta(days=1))
    got = list(store.columns(METER, *everything, VOLTAGES))
    assert got == expected(readings, VOLTAGES)
    assert [type(v) for v in got[0][1:]] == [type(readings[0].voltage_l1_v)] * 3
    moment = got[0][0]
    assert isinstance(moment, datetime)
    assert moment.tzinfo is UTC
    low, high = readings[100].meter_time, readings[500].meter_time
    assert low is not None
    assert high is not None
    window = list(store.columns(METER, low, high, ["current_l1_a"]))
    assert window == expected(readings[100:500], ["current_l1_a"])
    assert list(store.columns("nobody", *everything, VOLTAGES)) == []
    assert list(store.columns(METER, *everything, [])) == [(t,) for t, *_ in got]
    store.close()


def test_a_reading_stored_again_is_read_once_with_its_later_values(tmp_path: Path) -> None:
    readings = simulated(400)
    store = open_store(str(tmp_path / "hanport.db"), TALLINN)
    assert isinstance(store, ColumnReader)
    store.write(readings)
    again = [replace(r, power_import_w=7) for r in readings[10:20]]
    store.write(again)  # into the sealed first hour (a block and pending rows for it)
    store.write(readings[380:390])  # and into the open one
    want = [*readings[:10], *again, *readings[20:]]
    span = (START - timedelta(hours=1), START + timedelta(hours=3))
    assert list(store.columns(METER, *span, ["power_import_w"])) == expected(
        want, ["power_import_w"]
    )
    store.close()


def test_blocks_of_hanport_0_1_0_are_read_column_by_column_too(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "hanport-0.1.0.db", path)
    store = open_store(str(path), TALLINN)
    assert isinstance(store, ColumnReader)
    span = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    for meter in store.meters():
        readings = store.readings(meter.id, *span)
        assert len(readings) == 3 * 360 + 17
        assert list(store.columns(meter.id, *span, VOLTAGES)) == expected(readings, VOLTAGES)
    store.close()


def test_read_columns_gives_the_same_from_a_store_without_the_capability(tmp_path: Path) -> None:
    readings = simulated(500)
    store = open_store(str(tmp_path / "hanport.db"), TALLINN)
    store.write(readings)
    plain = ReadingsOnly(store)
    assert not isinstance(plain, ColumnReader)
    span = (START, START + timedelta(hours=1))
    fast: Iterator[tuple[object, ...]] = read_columns(store, METER, *span, VOLTAGES)
    slow = read_columns(plain, METER, *span, VOLTAGES)
    assert list(fast) == list(slow) == expected(readings[:360], VOLTAGES)
    store.close()
