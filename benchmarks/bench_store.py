"""The SQLite store on a simulated meter-year: size, ingest rate, series query times.

    python benchmarks/bench_store.py [--days 365] [--batch 3600]

Issue-3 targets: one meter-year at 10 s (3,153,600 readings) in at most 150 MB; ingest faster
than 20,000 readings/s; an hourly series over the whole year for one meter in under 100 ms.
The telegrams are generated and decoded first (not timed); only the store is timed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.store.sqlite import SqliteStore

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 1, 1, tzinfo=UTC)


def day(simulator: HomeSimulator, decoder: hanport.Decoder) -> list[Reading]:
    items = decoder.feed(b"".join(simulator.next_telegram() for _ in range(8640)))
    return [item for item in items if isinstance(item, Reading)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--batch", type=int, default=3600, help="readings per write")
    args = parser.parse_args()
    simulator = HomeSimulator(seed=1, start=START)
    decoder = hanport.Decoder()
    path = Path(tempfile.mkdtemp()) / "hanport.db"
    store = SqliteStore(path, TALLINN)
    stored = 0
    store_s = 0.0
    for _ in range(args.days):
        readings = day(simulator, decoder)
        started = time.perf_counter()
        for first in range(0, len(readings), args.batch):
            store.write(readings[first : first + args.batch])
        store_s += time.perf_counter() - started
        stored += len(readings)
    store.close()
    store = SqliteStore(path, TALLINN)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(path)
    end = START + timedelta(days=args.days)
    timings = {}
    for step in ("1h", "15m", "1d", "1mo"):
        started = time.perf_counter()
        rows = len(store.series("", step, START, end))
        timings[step] = (rows, time.perf_counter() - started)
    started = time.perf_counter()
    raw_rows = len(store.series_rows("", "1h", START, end))
    timings["1h rows"] = (raw_rows, time.perf_counter() - started)
    started = time.perf_counter()
    one_day = len(store.readings("", START + timedelta(days=1), START + timedelta(days=2)))
    day_s = time.perf_counter() - started
    per_year = size / stored * 365 * 8640
    print(f"{stored:,} readings ({args.days} days), batches of {args.batch}")
    print(
        f"  database        {size / 1e6:8.1f} MB  ({size / stored:.1f} B/reading; "
        f"{per_year / 1e6:.0f} MB per meter-year)  target <= 150 MB"
    )
    print(f"  ingest          {stored / store_s:8,.0f} readings/s  target > 20,000")
    for step, (rows, seconds) in timings.items():
        print(f"  series {step:<7}  {seconds * 1000:8.1f} ms for {rows:,} rows")
    print(f"  one day raw     {day_s * 1000:8.1f} ms for {one_day:,} readings")
    print("  hourly year     target < 100 ms (series: as objects; 1h rows: as stored, for an API)")
    store.close()
    api_series(path, end)


def api_series(path: Path, end: datetime) -> None:
    """GET /api/v1/series for the whole year, through the app (routing, token check, JSON)."""
    from starlette.testclient import TestClient

    from hanport.runtime.hub import Hub
    from hanport.runtime.view import Runtime
    from hanport.settings.loader import Settings
    from hanport.sources.reader import ReaderState
    from hanport.web.accounts import Accounts
    from hanport.web.app import create_app
    from hanport.web.context import AppContext

    accounts = Accounts(path)
    user = accounts.add_user("bench", "benchmark password")
    token, _ = accounts.create_token(user, "bench")
    store = SqliteStore(path, TALLINN)
    hub = Hub()
    view = Runtime(Settings(), hub, ReaderState("sim://"), store)
    app = create_app(AppContext(view, accounts, hub))
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    span = {"from": START.isoformat(), "to": end.isoformat()}
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
            assert answer.status_code == 200
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
