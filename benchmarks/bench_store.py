"""The store on a simulated meter-year, through the `Store` interface: size, ingest, series,
column reads, subsystem records, and the API's series through the app.

    python benchmarks/bench_store.py [--days 365] [--batch 3600]

Targets: one meter-year at 10 s (3,153,600 readings) in at most 150 MB; ingest faster than
20,000 readings/s; GET /api/v1/series, hourly over the year with all statistics, in at most
100 ms (median); the three voltage columns of a meter-year in a few seconds; 35,040 records of
one kind written in under 1 s and read back for the year in under 0.5 s. The telegrams are
generated and decoded first (not timed); only the store is timed. The machine is shared: the
load average is printed before and after.
"""

from __future__ import annotations

import argparse
import gc
import os
import secrets
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.store import ColumnReader, Record, RecordStore, SeriesJson, Store, open_store

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 1, 1, tzinfo=UTC)


def day(simulator: HomeSimulator, decoder: hanport.Decoder) -> list[Reading]:
    items = decoder.feed(b"".join(simulator.next_telegram() for _ in range(8640)))
    return [item for item in items if isinstance(item, Reading)]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--batch", type=int, default=3600, help="readings per write")
    parser.add_argument("--database", help="an existing database to query (no ingest)")
    args = parser.parse_args()
    print(f"load average before: {load()}")
    if args.database:
        path = Path(args.database)
    else:
        path = Path(tempfile.mkdtemp()) / "hanport.db"
        ingest(path, args.days, args.batch)
    store = open_store(str(path), TALLINN)
    meter = store.meters()[0].id
    end = START + timedelta(days=args.days)
    queries(store, meter, end)
    columns(store, meter, end)
    store.close()
    records(Path(tempfile.mkdtemp()) / "records.db")
    api_series(path, end, meter)
    print(f"load average after: {load()}")


def ingest(path: Path, days: int, batch: int) -> None:
    simulator = HomeSimulator(seed=1, start=START)
    decoder = hanport.Decoder()
    store = open_store(str(path), TALLINN)
    stored = 0
    store_s = 0.0
    for _ in range(days):
        readings = day(simulator, decoder)
        started = time.perf_counter()
        for first in range(0, len(readings), batch):
            store.write(readings[first : first + batch])
        store_s += time.perf_counter() - started
        stored += len(readings)
    store.close()
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(path)
    per_year = size / stored * 365 * 8640
    print(f"{stored:,} readings ({days} days), batches of {batch}")
    print(
        f"  database        {size / 1e6:8.1f} MB  ({size / stored:.1f} B/reading; "
        f"{per_year / 1e6:.0f} MB per meter-year)  target <= 150 MB"
    )
    print(f"  ingest          {stored / store_s:8,.0f} readings/s  target > 20,000")


def queries(store: Store, meter: str, end: datetime) -> None:
    timings = {}
    for step in ("1h", "15m", "1d", "1mo"):
        started = time.perf_counter()
        rows = len(store.series(meter, step, START, end))
        timings[f"{step} typed"] = (rows, time.perf_counter() - started)
    if isinstance(store, SeriesJson):
        for step in ("1h", "15m"):
            started = time.perf_counter()
            text = store.series_json(meter, step, START, end, None)
            timings[f"{step} json"] = (text.count('"t":'), time.perf_counter() - started)
    started = time.perf_counter()
    one_day = len(store.readings(meter, START + timedelta(days=1), START + timedelta(days=2)))
    day_s = time.perf_counter() - started
    for label, (rows, seconds) in timings.items():
        print(f"  series {label:<9} {seconds * 1000:8.1f} ms for {rows:,} rows")
    print(f"  one day raw     {day_s * 1000:8.1f} ms for {one_day:,} readings")


def columns(store: Store, meter: str, end: datetime) -> None:
    if not isinstance(store, ColumnReader):
        return
    names = ["voltage_l1_v", "voltage_l2_v", "voltage_l3_v"]
    gc.collect()
    started = time.perf_counter()
    count = sum(1 for _ in store.columns(meter, START, end, names))
    seconds = time.perf_counter() - started
    print(
        f"  3 voltage columns {seconds:6.2f} s for {count:,} readings "
        f"({count / seconds:,.0f}/s)  target: a few seconds for a meter-year"
    )


def records(path: Path) -> None:
    store = open_store(str(path), TALLINN)
    assert isinstance(store, RecordStore)
    quarter = timedelta(minutes=15)
    rows = [
        Record(
            "ledger",
            "38ZEE-00000000-0",
            START + quarter * index,
            "",
            {
                "import_wh": 137 + index % 400,
                "export_wh": 0,
                "price_eur_mwh": Decimal("87.43") + index % 97,
                "cost_eur": Decimal("0.0204317") * (index % 13),
                "tariff": "day" if index % 96 < 60 else "night",
                "gap": False,
            },
        )
        for index in range(35_040)
    ]
    times = []
    for attempt in range(3):
        started = time.perf_counter()
        store.put_records("ledger", rows)
        times.append(time.perf_counter() - started)
        if attempt < 2:
            store.delete_records("ledger", START + timedelta(days=400))
    reads = []
    for _ in range(5):
        started = time.perf_counter()
        back = store.records("ledger", START, START + timedelta(days=366))
        reads.append(time.perf_counter() - started)
    assert back == rows, "records did not come back as written"
    store.close()
    print(
        f"  records write   {statistics.median(times) * 1000:8.1f} ms median for 35,040 "
        f"(target < 1 s); read a year {statistics.median(reads) * 1000:.1f} ms (target < 0.5 s)"
    )


def api_series(path: Path, end: datetime, meter: str) -> None:
    """GET /api/v1/series for the whole year, through the app (routing, token check, JSON)."""
    from starlette.testclient import TestClient

    from hanport.runtime.hub import Hub
    from hanport.runtime.view import Runtime
    from hanport.settings.loader import Settings
    from hanport.sources.reader import ReaderState
    from hanport.web.accounts import Accounts
    from hanport.web.app import create_app
    from hanport.web.context import AppContext
    from hanport.web.settings import WebSettings

    accounts = Accounts(path)
    user = accounts.add_user(f"bench{secrets.token_hex(3)}", "benchmark password")
    token, _ = accounts.create_token(user, "bench")
    store: Any = open_store(str(path), TALLINN)  # AppContext takes any Store
    settings = Settings(sections={"web": WebSettings(hosts=("testserver",))})
    hub = Hub()
    view = Runtime(settings, hub, ReaderState("sim://"), store)
    client = TestClient(
        create_app(AppContext(view, accounts, hub)), headers={"Authorization": f"Bearer {token}"}
    )
    span = {"from": START.isoformat(), "to": end.isoformat(), "meter": meter}
    for label, query in (
        ("all stats", {"step": "1h"}),
        ("2 fields", {"step": "1h", "fields": "power_import_w,power_export_w"}),
        ("days", {"step": "1d"}),
    ):
        times = []
        for _ in range(7):
            started = time.perf_counter()
            answer = client.get("/api/v1/series", params={**span, **query})
            times.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.text
        rows = len(answer.json()["rows"])
        best, median = min(times), sorted(times)[3]
        print(
            f"  API series {label:<9} median {median * 1000:6.1f} ms, best {best * 1000:6.1f} ms "
            f"for {rows:,} rows, {len(answer.content) / 1e6:.1f} MB  target <= 100 ms"
        )
    store.close()
    accounts.close()


if __name__ == "__main__":
    main()
