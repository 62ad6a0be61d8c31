"""The PostgreSQL store (issue 15) on the machine's PostgreSQL: ingest, bytes per meter-year,
hourly series, and a fleet's ingest (many meters, one reading each per write).

    python benchmarks/bench_pg.py [--days 30] [--meters 1000] [--ticks 60]
                                  [--server postgresql://postgres@127.0.0.1:5432]

A database of its own is made (`hanport_bench_<random>`) and dropped at the end. Targets (the
issue's): ≤ 150 MB per meter-year (a plain row per reading takes about 1 GB: measured here on a
day of the same readings); the fleet's readings/s per worker core (goal ≥ 20,000). The
telegrams are generated and decoded first (not timed); only the store is timed. Once a simulated
day, `VACUUM pending, rollup_state` stands in for autovacuum (not timed), which is off on this
machine's server. The machine is shared: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

import hanport
from hanport.model import READING_FIELDS, Reading
from hanport.sim.home import HomeSimulator
from hanport.store.postgres import PostgresStore

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR = 365 * 8640


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def simulated(days: float, start: datetime = START, seed: int = 1) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=start)
    decoder = hanport.Decoder()
    readings: list[Reading] = []
    for _ in range(max(1, math.ceil(days * 24))):
        items = decoder.feed(b"".join(simulator.next_telegram() for _ in range(360)))
        readings += [item for item in items if isinstance(item, Reading)]
    return readings


@contextmanager
def database(server: str) -> Iterator[str]:
    name = f"hanport_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def vacuum(url: str) -> None:
    """What autovacuum does on a server where it is on (the default; this machine's has it off):
    the space of the open hour's deleted pending rows and replaced states made reusable."""
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("VACUUM pending, rollup_state")


def sizes(url: str) -> dict[str, int]:
    """Bytes of each table (with its indexes and TOAST), the blocks' partitions together."""
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("VACUUM")  # the visibility maps and free space, as on a live server
        rows = db.execute(
            "SELECT coalesce(p.relname, c.relname), sum(pg_total_relation_size(c.oid)) "
            "FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid "
            "LEFT JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace GROUP BY 1"
        ).fetchall()
    return {name: int(size) for name, size in rows}


def household(url: str, days: int) -> None:
    simulator = HomeSimulator(seed=1, start=START)
    decoder = hanport.Decoder()
    store = PostgresStore(url, TALLINN)
    took, count = 0.0, 0
    first_day: list[Reading] = []
    for _ in range(days):  # a day generated at a time (not timed), written an hour per write
        items = decoder.feed(b"".join(simulator.next_telegram() for _ in range(8640)))
        readings = [item for item in items if isinstance(item, Reading)]
        first_day = first_day or readings
        started = time.perf_counter()
        for first in range(0, len(readings), 360):
            store.write(readings[first : first + 360])
        took += time.perf_counter() - started
        count += len(readings)
        vacuum(url)
    print(f"one meter, {days} days ({count:,} readings), an hour per write:")
    print(f"  ingest                 {count / took:10,.0f} readings/s")
    found = sizes(url)
    total = sum(found.values())
    for name in ("blocks", "rollups", "pending", "rollup_state"):
        print(f"  {name:<22} {found.get(name, 0) / 1e6:10.2f} MB")
    growing = found.get("blocks", 0) + found.get("rollups", 0)
    print(f"  all tables             {total / 1e6:10.2f} MB ({total / count:.1f} B/reading)")
    print(f"  a meter-year, all      {total / count * YEAR / 1e6:10.1f} MB (target <= 150 MB)")
    fixed = (total - growing) / 1e6
    yearly = growing / count * YEAR / 1e6
    print(f"  a meter-year, blocks and rollups {yearly:.1f} MB + the open hour's {fixed:.1f} MB")
    series(store, START + timedelta(days=days))
    plain(url, first_day)
    store.close()


def series(store: PostgresStore, end: datetime) -> None:
    meter = store.meters()[0].id
    for name in ("series", "series_json"):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            if name == "series":
                rows = len(store.series(meter, "1h", START, end))
            else:
                rows = store.series_json(meter, "1h", START, end, None).count('"start"')
            times.append(time.perf_counter() - started)
        print(f"  hourly {name:<15} {statistics.median(times) * 1000:10.1f} ms for {rows:,} rows")


def plain(url: str, day: list[Reading]) -> None:
    """The peer: one row per reading, a numeric column per field, keyed like the store."""
    numbers = [n for n in READING_FIELDS if n not in ("meter_id", "meter_model", "extra")]
    numbers = [n for n in numbers if n not in ("meter_time", "received_at")]
    columns = ", ".join(f"{name} numeric" for name in numbers)
    with psycopg.connect(url) as db:
        db.execute(
            f"CREATE TABLE plain (site integer, meter text, meter_time timestamptz, {columns}, "
            "PRIMARY KEY (site, meter, meter_time))"
        )
        with db.cursor().copy(
            f"COPY plain (site, meter, meter_time, {', '.join(numbers)}) FROM STDIN"
        ) as copy:
            for r in day:
                copy.write_row((1, r.meter_id, r.meter_time, *(getattr(r, n) for n in numbers)))
    per_reading = sizes(url)["plain"] / len(day)
    year_mb = per_reading * YEAR / 1e6
    print(f"  peer: a row per reading {per_reading:9.1f} B/reading, {year_mb:,.0f} MB a meter-year")


def fleet(url: str, meters: int, ticks: int) -> None:
    """`meters` meters, each write one reading of every meter (a 10-s tick of a fleet)."""
    base = simulated(ticks / 360 + 0.01, start=START + timedelta(minutes=55))[:ticks]
    ids = [f"M{index:06d}" for index in range(meters)]
    writes = [[replace(reading, meter_id=meter) for meter in ids] for reading in base]
    store = PostgresStore(f"{url}?site=fleet", TALLINN)
    started, cpu = time.perf_counter(), time.process_time()
    for batch in writes:
        store.write(batch)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    count = meters * len(writes)
    print(
        f"fleet: {meters:,} meters x {len(writes)} writes of one reading each (crossing an hour):"
    )
    print(f"  ingest                 {count / took:10,.0f} readings/s ({took:.1f} s)")
    print(f"  per core of the writer {count / cpu:10,.0f} readings/s of its CPU ({cpu:.1f} s)")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--meters", type=int, default=1000)
    parser.add_argument("--ticks", type=int, default=60, help="writes of the fleet (10 s each)")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    print(f"load average before: {load()}")
    with database(args.server) as url:
        household(url, args.days)
        fleet(url, args.meters, args.ticks)
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
