"""The PostgreSQL store's open hour (staged rows, the rollup engine fed at the seal) as a
server's fleet writes it: one reading of each meter per write. Every read sees the open hour's
readings at every moment, the same as the SQLite store and as the rollups computed from the
readings themselves; late and repeated readings; only the newest hour is ever pending."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.store import open_store
from hanport.store.blocks import encode_block
from hanport.store.postgres import PostgresStore
from hanport.store.rollups import STEPS, rollups
from hanport.web import queries
from store.postgres_db import postgres_database_fixture, postgres_url_fixture  # noqa: F401

TALLINN = ZoneInfo("Europe/Tallinn")
FOREVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
START = datetime(2026, 6, 10, 20, 40, 3, tzinfo=UTC)  # 23:40 in Tallinn: days end too


def fleet(meters: int, readings: int) -> dict[str, list[Reading]]:
    out = {}
    for seed in range(meters):
        simulator = HomeSimulator(seed=seed + 11, start=START)
        found = hanport.decode(b"".join(simulator.next_telegram() for _ in range(readings)))
        out[f"gw{seed}/m"] = [replace(r, meter_id=f"gw{seed}/m") for r in found]
    return out


def shape(rows: list[Any]) -> list[tuple[object, ...]]:
    names = ("step", "start", "readings", "energy_import_wh", "energy_export_wh", "gap", "reset")
    return [(*(getattr(r, n) for n in names), r.stats, r.partial) for r in rows]


def pending_hours(url: str) -> list[tuple[int, int, int]]:
    """(meter, hours pending, hours pending below the meter's newest block or last reading)."""
    with psycopg.connect(url) as db:
        return db.execute(
            "SELECT p.meter, count(DISTINCT p.hour), count(*) FILTER (WHERE p.hour < m.last / "
            "3600000000) FROM pending p JOIN meters m ON m.id = p.meter GROUP BY p.meter"
        ).fetchall()


def compare(pg: PostgresStore, lite: Any, written: dict[str, list[Reading]]) -> int:
    compared = 0
    for meter, readings in written.items():
        assert pg.readings(meter, *FOREVER) == readings
        assert pg.latest(meter) == readings[-1]
        assert pg.first(meter) == readings[0]
        columns = list(pg.columns(meter, *FOREVER, ["power_import_w", "voltage_l1_v"]))
        assert columns == [
            (r.meter_time.astimezone(UTC), r.power_import_w, r.voltage_l1_v)  # type: ignore[union-attr]
            for r in readings
        ]
        for step in STEPS:
            assert shape(pg.series(meter, step, *FOREVER)) == shape(
                rollups(readings, step, TALLINN)
            ), (meter, step, len(readings))
            for fields in (None, ["voltage_l1_v"]):
                text = queries.series_json(pg, meter, step, *FOREVER, fields)
                assert text == queries.series_json(lite, meter, step, *FOREVER, fields)
                compared += text.count('"start"')
    return compared


def test_every_read_sees_the_open_hour_of_a_fleet_written_a_reading_at_a_time(
    postgres_url: str, tmp_path: Path
) -> None:
    readings = fleet(3, 2 * 360 + 40)  # 23:40 to 01:47 local
    pg = open_store(postgres_url, TALLINN)
    lite = open_store(str(tmp_path / "hanport.db"), TALLINN)
    assert isinstance(pg, PostgresStore)
    written: dict[str, list[Reading]] = {meter: [] for meter in readings}
    checks = {5, 119, 120, 121, 300, 480, 481, 719}  # mid-hour, at and after an hour's end
    compared = 0
    for index in range(len(next(iter(readings.values())))):
        batch = [rows[index] for rows in readings.values()]
        for store in (pg, lite):
            store.write(batch)
        for reading in batch:
            written[reading.meter_id or ""].append(reading)
        if index in checks:
            compared += compare(pg, lite, written)
            assert all(hours == 1 and below == 0 for _m, hours, below in pending_hours(pg.url))
    assert compared > 200
    # a worker killed before its ack: the same batch again, and a late reading of a sealed
    # hour written on its own
    again = [rows[700] for rows in readings.values()]
    late = replace(readings["gw1/m"][30], power_import_w=4321)
    for store in (pg, lite):
        store.write(again)
        store.write([late])
    written["gw1/m"][30] = late
    compare(pg, lite, written)
    assert all(hours == 1 and below == 0 for _m, hours, below in pending_hours(pg.url))
    for store in (pg, lite):
        store.close()


def test_pending_blocks_of_an_earlier_version_are_read_and_sealed(postgres_url: str) -> None:
    readings = fleet(1, 400)["gw0/m"]
    store = open_store(postgres_url, TALLINN)
    assert isinstance(store, PostgresStore)
    store.write(readings[:50])
    with psycopg.connect(postgres_url, autocommit=True) as db:  # as the first version wrote
        (meter,) = db.execute("SELECT id FROM meters").fetchone() or (0,)
        hour = (readings[50].meter_time - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(  # type: ignore[operator]
            hours=1
        )
        db.execute(
            "INSERT INTO pending (meter, hour, n, data) VALUES (%s, %s, 10, %s)",
            (meter, hour, encode_block(readings[50:60])),
        )
    store.write(readings[60:100])
    assert store.readings("gw0/m", *FOREVER) == readings[:100]
    assert store.latest("gw0/m") == readings[99]
    store.write(readings[100:])
    assert store.readings("gw0/m", *FOREVER) == readings
    for step in STEPS:
        assert shape(store.series("gw0/m", step, *FOREVER)) == shape(
            rollups(readings, step, TALLINN)
        )
    store.close()
