"""Size and speed of the compact reading blocks (hanport.store.blocks) on simulated data.

    python benchmarks/bench_blocks.py [--days 2]

Prints bytes per reading, what a meter-year would take (3,153,600 readings at 10 s), and
encode/decode rates. The SQLite store, its rollups and the issue-3 targets (≤ 150 MB per
meter-year, > 20,000 readings/s ingest, hourly year series < 100 ms) are measured once the store
exists; this measures the representation it is built on (blocks of format 3 since issue 10).
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime, timedelta

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.store.blocks import decode_block, decode_columns, encode_block

READINGS_PER_YEAR = 365 * 8640


def simulated(days: int) -> list[Reading]:
    simulator = HomeSimulator(seed=1, start=datetime(2026, 6, 10, tzinfo=UTC))
    decoder = hanport.Decoder()
    received = datetime(2026, 6, 10, 0, 0, 1, tzinfo=UTC)
    readings: list[Reading] = []
    for index in range(days * 8640):
        stamp = received + timedelta(seconds=10 * index, milliseconds=index % 97)
        for item in decoder.feed(simulator.next_telegram(), stamp):
            if isinstance(item, Reading):
                readings.append(item)
    return readings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, default=2, help="simulated days (default 2)")
    days = parser.parse_args().days
    readings = simulated(days)
    hours = [readings[start : start + 360] for start in range(0, len(readings), 360)]
    started = time.perf_counter()
    blocks = [encode_block(hour) for hour in hours]
    encode_s = time.perf_counter() - started
    started = time.perf_counter()
    decoded = [reading for block in blocks for reading in decode_block(block)]
    decode_s = time.perf_counter() - started
    assert decoded == readings, "round trip failed"
    size = sum(len(block) for block in blocks)
    per_reading = size / len(readings)
    print(f"{len(readings):,} simulated readings in {len(blocks)} hour blocks (exact round trip)")
    print(f"  size          {per_reading:6.2f} bytes/reading")
    print(f"  meter-year    {per_reading * READINGS_PER_YEAR / 1e6:6.1f} MB of blocks")
    print(f"  encode        {len(readings) / encode_s:8,.0f} readings/s")
    print(f"  decode        {len(readings) / decode_s:8,.0f} readings/s")
    names = ["voltage_l1_v", "voltage_l2_v", "voltage_l3_v"]
    started = time.perf_counter()
    columns = [decode_columns(block, names) for block in blocks]
    columns_s = time.perf_counter() - started
    assert [v for _, (v1, _, _) in columns for v in v1] == [r.voltage_l1_v for r in readings]
    print(f"  3 voltages    {len(readings) / columns_s:8,.0f} readings/s (columns only)")
    print(f"  load average  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
