"""Voltage-quality figures for a meter-year of 10-s readings: from scratch, and per sealed hour.

    python benchmarks/bench_quality.py [--days 365] [--database PATH] [--pure]

First the arithmetic alone, then (unless --pure) the same through the SQLite store as `hanport
run` does it (`bench_quality_store.py`: only the voltage columns of each hour block read, the
records `quality_*` written; the database of the simulator's voltage scenario is made once at
PATH and kept for the next run).

The readings are plain `(moment, v1, v2, v3)` tuples (the store will hand over just the voltage
columns of each hour's block), built from the simulated excursion week repeated, and kept out
of the garbage collector's scans (`gc.freeze()`): 3 M live tuples would otherwise make every
full collection cost ~200 ms, which a running hanport, holding one hour, never pays. Targets (issue
13): a meter-year from scratch in < 10 s; the update per sealed hour in < 5 ms. The script checks
that hour-by-hour results equal the one-pass ones before printing.

No peer computes EN 50160 figures from HAN data (dsmr-reader declined it, #518/#1655), so there
is no ratio to print.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from datetime import datetime, timedelta
from itertools import chain

from hanport.quality import Event, Method, Sample, Window, advance, analyse, merge_weeks
from hanport.quality.analysis import QualityState
from hanport.quality.scenarios import TALLINN, voltage_week
from hanport.quality.weeks import WeekFigures


def year_of_readings(days: int) -> list[list[Sample]]:
    """`days` of readings, cut into UTC hours as the store seals them."""
    week = list(voltage_week())
    start = week[0][0]
    hours: list[list[Sample]] = [[] for _ in range(days * 24)]
    for index in range(days // 7 + 1):
        shift = timedelta(days=7 * index)
        for moment, v1, v2, v3 in week:  # type: ignore[misc]
            shifted = moment + shift
            hour = int((shifted - start).total_seconds()) // 3600
            if hour >= len(hours):
                break
            hours[hour].append((shifted, v1, v2, v3))
    return hours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--database", default="/tmp/hanport-quality-year.db")
    parser.add_argument("--pure", action="store_true", help="the arithmetic only, no store")
    args = parser.parse_args()
    days = args.days
    method = Method()
    hours = year_of_readings(days)
    start = datetime(2026, 3, 2, tzinfo=TALLINN)
    until = start + timedelta(days=days)
    count = sum(map(len, hours))
    gc.freeze()  # the year of test data is not garbage: a running hanport holds one hour
    print(f"{count:,} readings over {days} days, {len(hours):,} sealed hours")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        whole = analyse(chain.from_iterable(hours), until, method)
        best = min(best, time.perf_counter() - began)
    print(
        f"from scratch: {best:.2f} s for {len(whole.windows):,} windows, "
        f"{len(whole.events):,} events, {len(whole.weeks)} weeks "
        f"({count / best:,.0f} readings/s)   target < 10 s: {'PASS' if best < 10 else 'FAIL'}"
    )

    state = QualityState()
    weeks: tuple[WeekFigures, ...] = ()
    times: list[float] = []
    windows: list[Window] = []
    events: list[Event] = []
    for number, rows in enumerate(hours):
        end = start + timedelta(hours=number + 1)
        began = time.perf_counter()
        update = advance(state, rows, end, method)
        weeks = merge_weeks(weeks, update.windows, method)
        times.append(time.perf_counter() - began)
        state = update.state
        windows += update.windows
        events += update.events
    assert windows == list(whole.windows), "hour by hour differs from one pass (windows)"
    assert len(events) + len(state.open_events) == len(whole.events), "events differ"
    assert weeks == whole.weeks, "weekly figures differ"
    times.sort()
    median, p99, worst = statistics.median(times), times[int(len(times) * 0.99)], times[-1]
    print(
        f"per sealed hour (advance + weekly merge): median {median * 1000:.2f} ms, "
        f"p99 {p99 * 1000:.2f} ms, max {worst * 1000:.2f} ms   target < 5 ms: "
        f"{'PASS' if p99 < 0.005 else 'FAIL'}"
    )
    if not args.pure:
        from pathlib import Path

        from bench_quality_store import run_store

        gc.unfreeze()
        del hours, whole, windows, events
        gc.collect()
        print("through the store:")
        run_store(days, Path(args.database))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("peers: none computes EN 50160 figures from HAN data, no ratio to give")


if __name__ == "__main__":
    main()
