"""Voltage-quality figures kept in the database, as `hanport run` keeps them: a meter-year from
scratch, and the update per sealed hour, both through the SQLite store (column reads of the
hour blocks, the records `quality_*` written).

    python benchmarks/bench_quality_store.py [--days 365] [--database /tmp/quality-year.db]

The database holds `days` of the simulator's voltage scenario (`sim://?scenario=voltage`): one
week decoded from its telegrams, repeated with shifted times and registers, written once (and
kept at --database for the next run). Each run deletes the quality records first. Targets
(issue 13): a meter-year from scratch in < 10 s (reading only the voltage and current columns
of each block, never whole Readings); the update per sealed hour in < 5 ms.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import hanport
from hanport.model import Reading
from hanport.quality import Method
from hanport.quality.keeper import COLUMNS, catch_up
from hanport.quality.records import EVENT, STATE, WEEK, WINDOW_KIND
from hanport.sim.home import HomeSimulator
from hanport.sim.voltage import TALLINN
from hanport.store import RecordStore, Store, open_store, read_columns

MONDAY = datetime(2026, 3, 2, tzinfo=TALLINN)
FAR = datetime(9000, 1, 1, tzinfo=UTC)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fill(store: Store, days: int) -> int:
    simulator = HomeSimulator(seed=3, start=MONDAY, scenario="voltage")
    week = hanport.decode(b"".join(simulator.next_telegram() for _ in range(7 * 8640)))
    rise = (week[-1].energy_import_wh or 0) - (week[0].energy_import_wh or 0) + 1
    end = MONDAY + timedelta(days=days)
    written = 0
    for number in range(days // 7 + 1):
        shift = timedelta(days=7 * number)
        batch: list[Reading] = []
        for r in week:
            assert r.meter_time is not None
            if r.meter_time + shift >= end:
                break
            batch.append(dataclasses.replace(
                r, meter_time=r.meter_time + shift,
                received_at=None if r.received_at is None else r.received_at + shift,
                energy_import_wh=(r.energy_import_wh or 0) + rise * number,
            ))  # fmt: skip
        for i in range(0, len(batch), 8640):
            store.write(batch[i : i + 8640])
        written += len(batch)
    return written


def forget(store: RecordStore) -> None:
    for kind in (WINDOW_KIND, EVENT, WEEK, STATE):
        store.delete_records(kind, FAR)


DATABASE = "/tmp/hanport-quality-year.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--database", default=DATABASE)
    args = parser.parse_args()
    run_store(args.days, Path(args.database))
    print(f"load average after: {load()}")
    print("peers: none computes EN 50160 figures from HAN data, no ratio to give")


def run_store(days: int, path: Path) -> None:
    """Both figures through the store at `path` (filled first when it lacks `days`)."""
    end = MONDAY + timedelta(days=days)
    store = open_store(str(path), TALLINN)
    assert isinstance(store, RecordStore)
    meters = store.meters()
    if not meters or meters[0].last is None or meters[0].last < end - timedelta(minutes=1):
        store.close()
        path.unlink(missing_ok=True)
        store = open_store(str(path), TALLINN)
        began = time.perf_counter()
        count = fill(store, days)
        print(f"filled {path}: {count:,} readings in {time.perf_counter() - began:.0f} s")
        meters = store.meters()
    meter = meters[0].id
    assert isinstance(store, RecordStore)
    method = Method()
    gc.collect()
    print(f"{days} days of readings of meter {meter!r}; load average before: {load()}")

    began = time.perf_counter()
    rows = sum(1 for _ in read_columns(store, meter, MONDAY, end, COLUMNS[:3]))
    voltages = time.perf_counter() - began
    began = time.perf_counter()
    sum(1 for _ in read_columns(store, meter, MONDAY, end, COLUMNS))
    both = time.perf_counter() - began
    print(f"column reads: 3 voltages {voltages:.2f} s ({rows / voltages:,.0f} readings/s), "
          f"voltages and currents {both:.2f} s")  # fmt: skip

    best = cpu = float("inf")
    for _ in range(2):
        forget(store)
        began, used = time.perf_counter(), time.process_time()
        progress = catch_up(store, meter, method, end)
        best = min(best, time.perf_counter() - began)
        cpu = min(cpu, time.process_time() - used)
    windows = len(store.records(WINDOW_KIND, MONDAY - timedelta(days=1), end, meter))
    assert windows == len(progress.windows), "the stored windows are not those computed"
    print(
        f"from scratch (read columns, compute, write records): {best:.2f} s for {windows:,} "
        f"windows, {len(progress.events):,} events, {len(progress.weeks)} weeks "
        f"({rows / best:,.0f} readings/s), CPU time {cpu:.2f} s   "
        f"target < 10 s: {'PASS' if best < 10 else 'FAIL'}"
    )

    per_hour(store, meter, method, end, days)
    store.close()


def per_hour(store: Store, meter: str, method: Method, end: datetime, days: int) -> None:
    assert isinstance(store, RecordStore)
    forget(store)
    hours = min(14 * 24, days * 24 - 1)
    first = end - timedelta(hours=hours)
    catch_up(store, meter, method, first)
    times, cpus = [], []
    for number in range(1, hours + 1):
        began, used = time.perf_counter(), time.process_time()
        catch_up(store, meter, method, first + timedelta(hours=number))
        times.append(time.perf_counter() - began)
        cpus.append(time.process_time() - used)
    times.sort()
    median, p99, worst = statistics.median(times), times[int(len(times) * 0.99)], times[-1]
    print(
        f"per sealed hour (state read, columns read, compute, records written), {hours} hours: "
        f"median {median * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, max {worst * 1000:.2f} ms   "
        f"CPU median {statistics.median(cpus) * 1000:.2f} ms   "
        f"target < 5 ms: {'PASS' if median < 0.005 else 'FAIL'} (median)"
    )


if __name__ == "__main__":
    main()
