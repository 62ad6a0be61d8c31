"""An ingest worker's per-reading cost on the PostgreSQL store, without NATS: what
`hanport.server.worker` does with a fetched batch (decode the payloads of
`bench_server.py`'s publisher, `store.write` them in one transaction, the report), timed and, with
`--profile`, under cProfile.

    python benchmarks/bench_worker.py [--gateways 1000] [--rounds 90] [--profile]
                                      [--server postgresql://postgres@127.0.0.1:5432]

Batches of 500 readings, each of a different meter (the fleet: one reading per gateway per
10 s). The first reading is at 00:50 UTC, so that 90 rounds cross an hour's end and the open
hour's readings are sealed as in a steady run. A database of its own is made and dropped.
Prints the load, then µs of this process's CPU per reading: decode, write (with the report), both.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_server

from hanport.server.ingest import decode, report
from hanport.store.postgres import PostgresStore

BATCH = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateways", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=90)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--batch", type=int, default=BATCH, help="readings per write")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    bench_server.FIRST[0] = datetime(2026, 1, 1, 0, 50, tzinfo=UTC)
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    messages = [
        (
            index * args.gateways + g,
            f"hanport.v1.gw{g:05d}.m.reading",
            bench_server.payload(g, index).encode(),
        )
        for index in range(args.rounds)
        for g in range(args.gateways)
    ]
    batches = [messages[i : i + args.batch] for i in range(0, len(messages), args.batch)]
    name = f"hanport_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        store = PostgresStore(f"{args.server}/{name}", ZoneInfo("Europe/Tallinn"))
        profiler = cProfile.Profile() if args.profile else None
        decoding = writing = 0.0
        began = time.monotonic()
        for batch in batches:
            if profiler:
                profiler.enable()
            t0 = time.process_time()
            decoded = decode(batch)
            t1 = time.process_time()
            store.write(decoded.readings)
            report(decoded.committed, [0] * len(decoded.committed), 1)
            t2 = time.process_time()
            if profiler:
                profiler.disable()
            decoding += t1 - t0
            writing += t2 - t1
        wall = time.monotonic() - began
        n = len(messages)
        first = bench_server.FIRST[0]
        check = store.readings("gw00000/m", first, first + timedelta(days=1))
        assert len(check) == args.rounds, len(check)
        store.close()
        print(
            f"{n} readings ({args.gateways} meters x {args.rounds}, batches of {args.batch}) in "
            f"{wall:.1f} s wall: decode {decoding / n * 1e6:.1f} µs, write "
            f"{writing / n * 1e6:.1f} µs, together {(decoding + writing) / n * 1e6:.1f} µs of "
            f"CPU per reading ({n / (decoding + writing):.0f} readings/s per core)"
        )
        print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    finally:
        with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
