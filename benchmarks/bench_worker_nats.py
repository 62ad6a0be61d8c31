"""An ingest worker's whole cost per reading, NATS included: a private 3-node NATS cluster,
the stream and durable consumer of `hanport server`, N readings of `bench_server.py`'s
publisher put into the stream first (not timed), then `hanport.server.worker`'s own
`_ingest` on each fetched batch of 500 (decode, the PostgreSQL write, the report, the acks),
in this process, timed by its CPU and, with `--profile`, under cProfile (the store's write then
runs in the profiled thread instead of a worker thread).

    python benchmarks/bench_worker_nats.py [--gateways 1000] [--rounds 60] [--profile]
                                           [--server postgresql://postgres@127.0.0.1:5432]

The first reading is 5 minutes before an hour's end (meters' hours are sealed in the run). A
database of its own is made and dropped. Prints the load, µs of CPU per reading, readings/s
per core.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import os
import pstats
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import bench_server
from nats_cluster import Cluster, Node

from hanport.server import worker
from hanport.server.connect import connect
from hanport.server.settings import ServerSettings
from hanport.server.stream import SUBJECTS, ensure_consumer, ensure_stream
from hanport.store import open_store


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def _inline(function: Callable[..., Any], /, *args: Any) -> Any:
    return function(*args)


async def run(urls: list[str], database: str, gateways: int, rounds: int, profile: bool) -> None:
    settings = ServerSettings(database=database, nats=tuple(urls), replicas=3)
    client = await connect(urls, "bench-worker", timeout_s=60.0)
    js = client.jetstream()
    await ensure_stream(js, settings)
    await ensure_consumer(js, settings)
    count = gateways * rounds
    for index in range(rounds):
        for g in range(gateways):
            subject = f"hanport.v1.gw{g:05d}.m.reading"
            await client.publish(subject, bench_server.payload(g, index).encode())
        await client.flush()
    while (await js.stream_info(settings.stream)).state.messages < count:
        await asyncio.sleep(0.2)
    database_ = worker._Database(lambda: open_store(database, ZoneInfo(settings.zone)))
    subscription = await js.pull_subscribe(
        SUBJECTS[0], durable=settings.consumer, stream=settings.stream
    )
    profiler = cProfile.Profile() if profile else None
    if profile:
        asyncio.to_thread = _inline  # type: ignore[assignment]  # the write in this thread
    done = 0
    began, wall = time.process_time(), time.monotonic()
    if profiler:
        profiler.enable()
    while done < count:
        messages = await subscription.fetch(settings.batch, timeout=10.0)
        assert await worker._ingest(client, database_, messages, 1, set())
        done += len(messages)
    await client.flush()
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - began, time.monotonic() - wall
    print(
        f"{done} readings ({gateways} meters x {rounds}, batches of {settings.batch}) in "
        f"{wall:.1f} s: {cpu / done * 1e6:.1f} µs of CPU per reading, {done / cpu:.0f} "
        f"readings/s per core; load {load()}"
    )
    database_.close()
    await client.close()
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(35)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateways", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    print(f"load before: {load()}")
    name = f"hanport_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    with tempfile.TemporaryDirectory() as folder:
        cluster = Cluster([Node(f"n{i}", Path(folder) / f"n{i}") for i in (1, 2, 3)])
        for node in cluster.nodes:
            node.directory.mkdir()
        try:
            for index in range(3):
                cluster.start(index)
            cluster.wait_healthy()
            job = run(
                cluster.urls, f"{args.server}/{name}", args.gateways, args.rounds, args.profile
            )
            if args.loop == "uvloop":  # not a dependency: pip install uvloop to compare
                uvloop = importlib.import_module("uvloop")
                uvloop.run(job)
            else:
                asyncio.run(job)
        finally:
            for index in range(3):
                cluster.kill(index)
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
