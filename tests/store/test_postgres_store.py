"""What the PostgreSQL store adds to the contract of tests/store/test_base.py (which runs on
both stores): the API's JSON text equal to the SQLite store's, column reads, sites kept apart,
workers writing the same meters at once, a lost connection, month partitions, compactness."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from stores import ReadingsOnly

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator, serial_number
from hanport.store import Record, SeriesJson, open_store
from hanport.store.postgres import DEFAULT_SITE, PostgresStore, StoreUnavailable
from hanport.store.rollups import STEPS, rollups
from hanport.web import queries
from store.postgres_db import postgres_database_fixture, postgres_url_fixture  # noqa: F401

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 6, 10, tzinfo=UTC)
FOREVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
METER = serial_number(3)


def simulated(hours: float, seed: int = 3, start: datetime = START) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=start)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(int(hours * 360))))


def shape(rows: list[Any]) -> list[tuple[object, ...]]:
    names = ("step", "start", "readings", "energy_import_wh", "energy_export_wh", "gap", "reset")
    return [(*(getattr(r, n) for n in names), r.stats, r.partial) for r in rows]


def pg(url: str, **options: Any) -> PostgresStore:
    store = open_store(url, TALLINN, **options)
    assert isinstance(store, PostgresStore)
    return store


def test_the_series_json_is_the_sqlite_stores_text_for_text(
    postgres_url: str, tmp_path: Path
) -> None:
    readings = simulated(4.2, seed=7, start=datetime(2026, 3, 28, 21, 7, 3, tzinfo=UTC))
    kept = readings[:500] + readings[560:]  # a gap, across the night summer time starts
    stores = [pg(postgres_url), open_store(str(tmp_path / "hanport.db"), TALLINN)]
    for store in stores:
        for first in range(0, len(kept), 90):
            store.write(kept[first : first + 90])
    meter = stores[0].meters()[0].id
    windows = [
        FOREVER,
        (datetime(2026, 3, 28, 23, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    ]
    compared = 0
    for step in STEPS:
        for window in windows:
            for fields in (None, ["voltage_l1_v"], ["current_l3_a", "power_import_w"]):
                texts = [queries.series_json(s, meter, step, *window, fields) for s in stores]
                slow = queries.series_json(ReadingsOnly(stores[0]), meter, step, *window, fields)
                assert texts[0] == texts[1] == slow, (step, window, fields)
                compared += texts[0].count('"start"')
    assert compared > 100
    assert isinstance(stores[0], SeriesJson)
    for store in stores:
        store.close()


def test_columns_of_sealed_and_open_hours_with_a_reading_stored_again(postgres_url: str) -> None:
    readings = simulated(1.4)
    store = pg(postgres_url)
    store.write(readings)
    again = [replace(r, power_import_w=7) for r in readings[10:20]]
    store.write(again)  # into the sealed first hour
    want = [*readings[:10], *again, *readings[20:]]
    got = list(store.columns(METER, *FOREVER, ["power_import_w", "voltage_l2_v"]))
    assert got == [(r.meter_time.astimezone(UTC), r.power_import_w, r.voltage_l2_v) for r in want]  # type: ignore[union-attr]
    assert store.readings(METER, *FOREVER) == want
    assert list(store.columns("nobody", *FOREVER, ["power_import_w"])) == []
    store.close()


def test_sites_are_kept_apart_and_written_in_one_transaction(postgres_url: str) -> None:
    home = pg(postgres_url)
    assert home.site == DEFAULT_SITE
    tartu = pg(f"{postgres_url}&site=tartu-7")
    parnu = tartu.for_site("parnu-2")
    first, second = simulated(0.5, seed=1), simulated(0.5, seed=2)
    same = [replace(r, meter_id=METER) for r in second]  # the same meter id on another site
    home.write_sites({"tartu-7": simulated(0.5), "parnu-2": same})
    home.write(first)
    assert tartu.readings(METER, *FOREVER) == simulated(0.5)
    assert parnu.readings(METER, *FOREVER) == same
    assert [m.id for m in home.meters()] == [serial_number(1)]
    assert home.readings(METER, *FOREVER) == []
    assert home.sites() == ["default", "parnu-2", "tartu-7"]
    counts = {(c.site, c.meter): (c.readings, c.first, c.last) for c in home.counts()}
    assert counts == {
        ("default", serial_number(1)): (180, first[0].meter_time, first[-1].meter_time),
        ("parnu-2", METER): (180, same[0].meter_time, same[-1].meter_time),
        ("tartu-7", METER): (180, START, START + timedelta(seconds=1790)),
    }
    assert shape(parnu.series(METER, "1h", *FOREVER)) == shape(rollups(same, "1h", TALLINN))
    tartu.put_records("alerts", [Record("alerts", METER, START, "", {"n": 1})])
    assert parnu.records("alerts", *FOREVER) == []
    assert len(tartu.records("alerts", *FOREVER)) == 1
    assert parnu.prune(START + timedelta(hours=1)) == 0  # no sealed hour: the open one's rows
    assert parnu.readings(METER, *FOREVER) == []
    assert len(tartu.readings(METER, *FOREVER)) == 180  # untouched by the other site's retention
    bad = replace(first[0], meter_time=None, received_at=None)
    with pytest.raises(Exception, match="without meter time"):
        home.write_sites({"tartu-7": simulated(0.6)[180:], "parnu-2": [bad]})
    assert len(tartu.readings(METER, *FOREVER)) == 180  # nothing of the failed batch
    for store in (home, tartu):
        store.close()


def test_two_workers_write_the_same_meter_at_once(postgres_url: str) -> None:
    readings = simulated(2.3)
    workers = [pg(postgres_url), pg(postgres_url)]
    batches = [readings[i : i + 30] for i in range(0, len(readings), 30)]
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for batch in batches[index::2]:  # interleaved: each worker sees every other batch
                workers[index].write(batch)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert workers[0].readings(METER, *FOREVER) == readings
    for step in STEPS:
        assert shape(workers[1].series(METER, step, *FOREVER)) == shape(
            rollups(readings, step, TALLINN)
        )
    for store in workers:
        store.close()


def test_a_lost_connection_is_one_sentence_and_the_next_write_connects_again(
    postgres_url: str, postgres_database: str
) -> None:
    readings = simulated(0.3)
    store = pg(postgres_url)
    store.write(readings[:50])
    with psycopg.connect(postgres_database, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(StoreUnavailable, match="was lost") as raised:
        store.write(readings[50:])
    assert isinstance(raised.value, ConnectionError)  # the storage sink keeps the readings
    store.write(readings[50:])
    assert store.readings(METER, *FOREVER) == readings
    store.close()


def test_a_server_that_does_not_answer_is_one_sentence() -> None:
    with pytest.raises(StoreUnavailable) as raised:
        open_store("postgresql://hanport:pw@127.0.0.1:1/hanport?site=x", TALLINN)
    assert "postgresql://hanport:***@127.0.0.1:1/hanport" in str(raised.value)
    assert "pw" not in str(raised.value).replace("password", "")
    assert "ei saa ühendust" in raised.value.text("et")


def partitions(url: str) -> list[str]:
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'blocks'::regclass ORDER BY 1"
        ).fetchall()
    return [name for (name,) in rows]


def test_blocks_are_partitioned_by_month_and_retention_drops_old_months(postgres_url: str) -> None:
    january = simulated(1.2, start=datetime(2026, 1, 31, 23, 30, tzinfo=UTC))  # into February
    store = pg(postgres_url)
    store.write(january)
    store.write(simulated(0.1, start=datetime(2026, 4, 2, tzinfo=UTC)))
    assert partitions(postgres_url) == ["blocks_2026_01", "blocks_2026_02", "blocks_2026_04"]
    assert store.prune(datetime(2026, 2, 1, 0, tzinfo=UTC)) == 1
    assert partitions(postgres_url) == ["blocks_2026_02", "blocks_2026_04"]
    assert store.readings(METER, *FOREVER)[0] == january[180]
    assert len(store.series(METER, "1h", *FOREVER)) >= 2  # the rollups stay
    store.close()


def test_a_meter_day_takes_little_room(postgres_url: str) -> None:
    readings = simulated(24)
    store = pg(postgres_url)
    for first in range(0, len(readings), 360):
        store.write(readings[first : first + 360])
    with psycopg.connect(postgres_url) as db:
        (size,) = db.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'blocks'::regclass"
        ).fetchone() or (0,)
    assert size / len(readings) < 47  # 150 MB for a meter-year of 3.15 M readings
    store.close()


def test_a_reader_sees_the_open_periods_the_writer_carries(postgres_url: str) -> None:
    readings = simulated(1.5)
    writer, reader = pg(postgres_url), pg(postgres_url, upgrade=False)
    writer.write(readings[:300])
    assert [m.id for m in reader.meters()] == [METER]
    assert shape(reader.series(METER, "1h", *FOREVER)) == shape(
        rollups(readings[:300], "1h", TALLINN)
    )
    writer.write(readings[300:])
    assert shape(reader.series(METER, "15m", *FOREVER)) == shape(rollups(readings, "15m", TALLINN))
    assert reader.latest(METER) == readings[-1]
    assert reader.first(METER) == readings[0]
    writer.close()
    reader.close()


def test_hanport_run_keeps_every_reading_in_postgresql(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hanport.cli.main import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANPORT_DATABASE", postgres_url)
    source = "sim://?speed=max&seed=2&start=2026-01-10T02:00%2B02:00"
    assert main(["run", "--source", source, "--count", "5"]) == 0
    store = pg(postgres_url)
    stored = store.readings(serial_number(2), *FOREVER)
    simulator = HomeSimulator(seed=2, start=datetime(2026, 1, 10, tzinfo=UTC))
    expected = hanport.decode(b"".join(simulator.next_telegram() for _ in range(5)))
    assert [replace(r, received_at=None) for r in stored[:5]] == expected
    assert (tmp_path / "hanport-accounts.db").exists()  # the app's accounts beside it
    store.close()


def test_a_month_dropped_by_another_process_is_made_again_when_it_is_written(
    postgres_url: str,
) -> None:
    june, july = simulated(0.2), simulated(0.2, start=datetime(2026, 7, 1, tzinfo=UTC))
    store, other = pg(postgres_url), pg(postgres_url)
    store.write(june)
    store.write(july)  # june's partition is known to this store now
    assert other.prune(datetime(2026, 7, 1, tzinfo=UTC)) == 1  # its only block: june gone
    assert partitions(postgres_url) == ["blocks_2026_07"]
    store.write([*june[:10], july[-1]])  # late readings into june, sealed at once
    assert partitions(postgres_url) == ["blocks_2026_06", "blocks_2026_07"]
    assert store.readings(METER, *FOREVER) == [*june[:10], *july]
    for opened in (store, other):
        opened.close()


def test_hanport_export_reads_a_postgresql_database(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from hanport.cli.main import main

    readings = simulated(0.1)
    store = pg(postgres_url)
    store.write(readings)
    store.close()
    period = ["--from", "2026-06-10T00:00+00:00", "--to", "2026-06-11T00:00+00:00"]
    assert main(["export", "--database", postgres_url, *period]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + len(readings)
    assert lines[1].startswith(f"{METER},LGF5E360,2026-06-10T03:00:00+03:00")


def test_the_storage_sink_keeps_the_readings_while_the_connection_is_lost(
    postgres_url: str, postgres_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncio

    from hanport.runtime.hub import Hub
    from hanport.store.sink import run_store_sink

    readings = simulated(0.1)
    store = pg(postgres_url)
    store.write(readings[:1])

    async def run() -> None:
        hub = Hub()
        sink = asyncio.create_task(
            run_store_sink(hub.subscribe("storage"), store, commit_every_s=0.05)
        )
        with psycopg.connect(postgres_database, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        reader = pg(postgres_url)  # a connection of its own: the sink meets the lost one
        for reading in readings[1:]:
            hub.publish(reading)
            await asyncio.sleep(0.002)
        for _ in range(500):
            if len(reader.readings(METER, *FOREVER)) == len(readings):
                break
            await asyncio.sleep(0.01)
        sink.cancel()
        await asyncio.gather(sink, return_exceptions=True)
        reader.close()

    asyncio.run(run())
    assert store.readings(METER, *FOREVER) == readings
    assert any("was lost" in record.getMessage() for record in caplog.records)
    store.close()
