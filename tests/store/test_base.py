"""The `Store` interface's contract, run against every store `open_store` can open (SQLite and
PostgreSQL): exact readings, rollups equal to the pure rules, open periods, several meters,
late and repeated readings, retention, meters, and the URLs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator, serial_number
from hanport.store import (
    ColumnReader,
    RecordStore,
    SeriesJson,
    Store,
    StoreError,
    open_store,
)
from hanport.store.base import Rollup
from hanport.store.rollups import STEPS, rollups
from store.postgres_db import postgres_database_fixture, postgres_url_fixture  # noqa: F401

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 6, 10, tzinfo=UTC)
FOREVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
METER = serial_number(3)  # the simulated meter of seed 3

Opener = Callable[[], Store]


@pytest.fixture(params=["sqlite", "postgresql"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    opened: list[Store] = []
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hanport.db'}"
    else:
        url = request.getfixturevalue("postgres_url")

    def open_one() -> Store:
        store = open_store(url, TALLINN)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


def simulated(hours: float, seed: int = 3, start: datetime = START) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=start)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(int(hours * 360))))


def shape(rows: list[Rollup]) -> list[tuple[object, ...]]:
    fields = ("step", "start", "readings", "energy_import_wh", "energy_export_wh", "gap")
    more = ("reset", "stats", "partial", "legacy")
    return [tuple(getattr(r, name) for name in (*fields, *more)) for r in rows]


def test_readings_come_back_exactly_and_rollups_follow_the_rules(opener: Opener) -> None:
    readings = simulated(2.5)
    store = opener()
    for start in range(0, len(readings), 6):  # a minute's batch, as the sink commits
        store.write(readings[start : start + 6])
    assert store.readings(METER, *FOREVER) == readings
    window = store.readings(METER, START + timedelta(minutes=30), START + timedelta(minutes=40))
    assert window == readings[180:240]
    for step in STEPS:
        assert shape(store.series(METER, step, *FOREVER)) == shape(rollups(readings, step, TALLINN))
    hours = store.series(METER, "1h", *FOREVER)
    assert [h.partial for h in hours] == [False, False, False, True]  # the third hour is open
    registers = [r.energy_import_wh or 0 for r in readings]
    assert hours[1].energy_import_wh == registers[360] - registers[0]
    assert hours[2].energy_import_wh == registers[720] - registers[360]
    (day,) = store.series(METER, "1d", *FOREVER)
    assert (day.readings, day.partial) == (len(readings), True)
    assert day.energy_import_wh == registers[-1] - registers[0]


def test_a_reopened_store_keeps_everything_and_goes_on_where_it_stopped(opener: Opener) -> None:
    readings = simulated(2.2)
    store = opener()
    store.write(readings[:500])
    store.close()
    again = opener()
    again.write(readings[500:])
    assert again.readings(METER, *FOREVER) == readings
    for step in STEPS:
        assert shape(again.series(METER, step, *FOREVER)) == shape(rollups(readings, step, TALLINN))


def test_several_meters_in_one_store(opener: Opener) -> None:
    first = [replace(r, meter_id="A") for r in simulated(0.2, seed=1)]
    second = [replace(r, meter_id="B") for r in simulated(0.2, seed=2)]
    store = opener()
    store.write(first + second)
    assert [m.id for m in store.meters()] == ["A", "B"]
    assert store.readings("A", *FOREVER) == first
    assert store.readings("B", *FOREVER) == second
    assert store.readings("C", *FOREVER) == []
    assert store.series("C", "1h", *FOREVER) == []
    assert store.latest("C") is None


def test_meters_name_their_model_and_their_first_and_last_reading(opener: Opener) -> None:
    readings = simulated(1.3)
    store = opener()
    assert store.meters() == []
    store.write(readings)
    (meter,) = store.meters()
    assert (meter.id, meter.model) == (METER, readings[-1].meter_model)
    assert meter.first == readings[0].meter_time
    assert meter.last == readings[-1].meter_time
    assert store.latest(METER) == readings[-1]


def test_a_reading_stored_twice_is_kept_once_and_late_ones_are_rolled_up(opener: Opener) -> None:
    readings = simulated(2.1)
    store = opener()
    store.write(readings[::2])  # every other reading first
    store.write(readings[-20:])  # the open hour again, e.g. a replay of the same capture
    store.write(readings[1::2])  # the rest, late
    store.write(readings[:50])  # and a sealed hour again
    assert store.readings(METER, *FOREVER) == readings
    for step in STEPS:
        assert shape(store.series(METER, step, *FOREVER)) == shape(rollups(readings, step, TALLINN))


def test_retention_deletes_old_raw_readings_but_keeps_rollups(opener: Opener) -> None:
    readings = simulated(3.1)
    store = opener()
    store.write(readings)
    removed = store.prune(START + timedelta(hours=2))
    assert removed == 2
    assert store.readings(METER, *FOREVER) == readings[720:]
    assert len([h for h in store.series(METER, "1h", *FOREVER) if not h.partial]) == 4
    (meter,) = store.meters()
    assert meter.first == readings[720].meter_time
    assert meter.last == readings[-1].meter_time


def test_periods_start_in_the_window_asked_for(opener: Opener) -> None:
    readings = simulated(3)
    store = opener()
    store.write(readings)
    hours = store.series(METER, "1h", START + timedelta(hours=1), START + timedelta(hours=2))
    assert [h.start for h in hours] == [START + timedelta(hours=1)]
    assert store.series(METER, "15m", START - timedelta(days=2), START - timedelta(days=1)) == []
    with pytest.raises(ValueError, match="Unknown step"):
        store.series(METER, "5m", *FOREVER)


def test_both_stores_offer_every_capability(opener: Opener) -> None:
    store = opener()
    assert isinstance(store, SeriesJson)
    assert isinstance(store, ColumnReader)
    assert isinstance(store, RecordStore)
    assert store.zone is TALLINN


def test_urls_open_a_store_or_say_in_one_sentence_why_not(tmp_path: Path) -> None:
    for url in (
        str(tmp_path / "a.db"),
        f"sqlite:///{tmp_path / 'b.db'}",
        f"SQLite:///{tmp_path}/c.db",
    ):
        store = open_store(url, TALLINN)
        store.write(simulated(0.01))
        store.close()
    assert {p.name for p in tmp_path.glob("*.db")} == {"a.db", "b.db", "c.db"}
    with pytest.raises(
        StoreError,
        match=r"database postgresql://han:\*\*\*@127\.0\.0\.1:1/han cannot be reached",
    ):
        open_store("postgresql://han:secret@127.0.0.1:1/han", TALLINN)
    with pytest.raises(StoreError, match="mysql:// is not a database it knows"):
        open_store("mysql://db/han", TALLINN)
    with pytest.raises(StoreError, match="names no file"):
        open_store("sqlite://", TALLINN)
    with pytest.raises(StoreError) as raised:
        open_store("postgres://127.0.0.1:1/han", TALLINN)
    assert "PostgreSQL andmebaasiga" in raised.value.text("et")
    assert raised.value.text("et") != str(raised.value)
