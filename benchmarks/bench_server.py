"""`hanport server` under many gateways: a private 3-node NATS cluster (JetStream, MQTT), the
server with 2 ingest workers, and one publisher process with ≥ 8 MQTT connections sending for
10,000 simulated gateways (10,000 topics) at 0.1 Hz, QoS 1, in the wire format of docs/server.md.

Prints the load, then: readings sent and stored, lost and duplicated (each site's stored
meter times against what was sent), the ingest lag (stream → commit) p50/p99 from the
server's /metrics, and readings/s per worker core (committed readings / the workers' CPU
seconds). `--burst N` then sends N readings as fast as the publisher can, for the highest
sustained rate. `--database` takes a PostgreSQL URL once that store exists (default: SQLite).

    .venv/bin/python benchmarks/bench_server.py --seconds 600            # the issue's run
    .venv/bin/python benchmarks/bench_server.py --seconds 60 --gateways 2000   # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from mqtt_broker import free_port
from nats_cluster import Cluster, Node

from hanport.model import Reading
from hanport.store import open_store
from hanport.upstream.wire import reading_payload, reading_topic

START = datetime(2025, 12, 31, 23, 55, tzinfo=UTC)
"""The first reading's meter time: 5 minutes before an hour's end, so that a run seals every
meter's hour as a long run does once an hour (`--start` to choose another)."""
METER_YEAR = 365 * 8640
FIRST = [START]
"""The first meter time of this run (`--start`)."""


def payload(gateway: int, index: int) -> str:
    moment = FIRST[0] + timedelta(seconds=10 * index)
    return reading_payload(
        Reading(
            meter_id=f"M{gateway:05d}",
            meter_model="LGF5E360",
            meter_time=moment,
            received_at=moment,
            power_import_w=1000 + (gateway + index) % 3000,
            power_export_w=0,
            voltage_l1_v=Decimal("230.1"),
            voltage_l2_v=Decimal("229.8"),
            voltage_l3_v=Decimal("231.0"),
            current_l1_a=Decimal("2.5"),
            current_l2_a=Decimal("1.9"),
            current_l3_a=Decimal("3.1"),
            energy_import_wh=4_000_000 + index * 3,
            energy_export_wh=812_044,
        )
    )


async def publish(
    ports: list[int], gateways: int, first_round: int, rounds: int, period_s: float
) -> int:
    """Round r sends reading r of every gateway, spread over `period_s` (0: at full speed)."""
    import logging

    import aiomqtt

    quiet = logging.getLogger("bench.mqtt")
    quiet.setLevel(logging.ERROR)  # aiomqtt warns of every queued publish call

    connections = [
        aiomqtt.Client(
            "127.0.0.1",
            ports[i % len(ports)],
            identifier=f"bench-{i}",
            max_inflight_messages=200,
            max_queued_outgoing_messages=0,
            logger=quiet,
        )
        for i in range(CONNECTIONS)
    ]
    sent = 0
    for client in connections:
        await client.__aenter__()
    try:
        began = time.monotonic()
        for index in range(first_round, first_round + rounds):
            slot = period_s / gateways
            for first in range(0, gateways, 200):
                group = range(first, min(first + 200, gateways))
                await asyncio.gather(
                    *(
                        connections[g % CONNECTIONS].publish(
                            reading_topic(f"gw{g:05d}", "m"), payload(g, index), qos=1
                        )
                        for g in group
                    )
                )
                sent += len(group)
                if slot:
                    done = (index - first_round) * period_s + (first + len(group)) * slot
                    due = began + done
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
    finally:
        for client in connections:
            await client.__aexit__(None, None, None)
    return sent


CONNECTIONS = 8


def metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        return str(answer.read().decode())


def metric(text: str, name: str) -> float:
    return sum(float(v) for v in re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M))


def wait_drained(port: int, deadline_s: float) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        text = metrics(port)
        if metric(text, "hanport_server_consumer_pending") == 0 and (
            metric(text, "hanport_server_consumer_ack_pending") == 0
        ):
            return
        time.sleep(1)


def check_store(database: str, gateways: int, rounds: int) -> tuple[int, int, int]:
    """(stored, lost, duplicated) over every site's meter."""
    store = open_store(database, ZoneInfo("Europe/Tallinn"), upgrade=False)
    stored = lost = duplicated = 0
    try:
        end = FIRST[0] + timedelta(days=3650)
        for g in range(gateways):
            times = [r.meter_time for r in store.readings(f"gw{g:05d}/m", FIRST[0], end)]
            stored += len(times)
            duplicated += len(times) - len(set(times))
            lost += rounds - len(set(times))
    finally:
        store.close()
    return stored, lost, duplicated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateways", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--burst", type=int, default=0, help="readings sent at full speed after")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--start", default=START.isoformat(), help="the first meter time")
    args = parser.parse_args()
    FIRST[0] = datetime.fromisoformat(args.start)
    print(f"load before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        cluster = Cluster([Node(f"n{i}", base / f"n{i}") for i in (1, 2, 3)])
        for node in cluster.nodes:
            node.directory.mkdir()
        for index in range(3):
            cluster.start(index)
        server: subprocess.Popen[bytes] | None = None
        try:
            cluster.wait_healthy()
            database = args.database or str(base / "server.db")
            port = free_port()
            config = base / "hanport.toml"
            config.write_text(
                f'[server]\ndatabase = "{database}"\nnats = "{",".join(cluster.urls)}"\n'
                f"workers = {args.workers}\nreplicas = 3\nbatch = 500\nport = {port}\n",
                encoding="utf-8",
            )
            server = subprocess.Popen(
                [sys.executable, "-m", "hanport", "server", "--config", str(config)],
                stdout=subprocess.DEVNULL,
                stderr=(base / "server.log").open("wb"),
            )
            _wait_up(port)
            ports = [node.mqtt_port for node in cluster.nodes]
            rounds = _steady(args, ports, port, database)
            if args.burst:
                rounds += _burst(args, ports, port, database, rounds)
            if database.startswith("postgresql"):
                _sizes(database, args.gateways * rounds)
        finally:
            if server is not None:
                server.send_signal(signal.SIGTERM)
                server.wait(30)
            for index in range(3):
                cluster.kill(index)


def _steady(args: argparse.Namespace, ports: list[int], port: int, database: str) -> int:
    rounds: int = max(1, args.seconds // 10)
    began = time.monotonic()
    sent = asyncio.run(publish(ports, args.gateways, 0, rounds, 10.0))
    took = time.monotonic() - began
    wait_drained(port, 300)
    text = metrics(port)
    print(
        f"steady: {args.gateways} gateways x {rounds} readings at 0.1 Hz over {took:.0f} s, "
        f"{CONNECTIONS} MQTT connections; load {os.getloadavg()}"
    )
    stored, lost, duplicated = check_store(database, args.gateways, rounds)
    print(f"  sent {sent}, stored {stored}, lost {lost}, duplicated {duplicated}")
    p50 = metric(text, 'hanport_server_ingest_lag_recent_ms{quantile="0.5"}')
    p99 = metric(text, 'hanport_server_ingest_lag_recent_ms{quantile="0.99"}')
    _rates(text, "  ", f"ingest lag p50 {p50:.0f} ms, p99 {p99:.0f} ms; ")
    return rounds


def _burst(args: argparse.Namespace, ports: list[int], port: int, database: str, done: int) -> int:
    before = metrics(port)
    rounds: int = max(1, args.burst // args.gateways)
    began = time.monotonic()
    sent = asyncio.run(publish(ports, args.gateways, done, rounds, 0.0))
    published = time.monotonic() - began
    wait_drained(port, 600)
    took = time.monotonic() - began
    after = metrics(port)
    committed = _delta(after, before, "hanport_server_readings_committed_total")
    cpu = _delta(after, before, "hanport_server_worker_cpu_seconds_total")
    stored, lost, duplicated = check_store(database, args.gateways, done + rounds)
    print(
        f"burst: {sent} readings published in {published:.1f} s, all committed after {took:.1f} s "
        f"({committed / took:.0f}/s); {committed:.0f} committed with {cpu:.1f} worker CPU s: "
        f"{committed / max(cpu, 1e-9):.0f} readings/s per worker "
        f"core; load {os.getloadavg()}"
    )
    print(f"  in all: stored {stored}, lost {lost}, duplicated {duplicated}")
    return rounds


def _sizes(database: str, stored: int) -> None:
    """PostgreSQL's bytes (`pg_total_relation_size` of every table after VACUUM, the blocks'
    partitions together), per reading stored, and scaled to a meter-year (8,640 readings a
    day). A short run keeps much of it in the open hour's tables and in rollup rows of
    periods just begun; `bench_pg.py --days 365` measures a whole meter-year."""
    import psycopg

    from hanport.store.postgres.connection import split_site

    with psycopg.connect(split_site(database)[0], autocommit=True) as db:
        db.execute("VACUUM")
        rows = db.execute(
            "SELECT coalesce(p.relname, c.relname), sum(pg_total_relation_size(c.oid)) "
            "FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid "
            "LEFT JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace GROUP BY 1"
        ).fetchall()
        (sealed,) = db.execute("SELECT coalesce(sum(n), 0) FROM blocks").fetchone() or (0,)
    found = {name: int(size) for name, size in rows}
    total = sum(found.values())
    each = total / max(stored, 1)
    blocks = found.get("blocks", 0) / max(sealed, 1)
    parts = ", ".join(
        f"{name} {found.get(name, 0) / 1e6:.1f}"
        for name in ("blocks", "pending", "rollups", "rollup_state", "meters")
    )
    print(
        f"PostgreSQL: {total / 1e6:.1f} MB for {stored} readings ({parts} MB): "
        f"{each:.1f} B per reading, {each * METER_YEAR / 1e6:.0f} MB per meter-year at that "
        f"rate; blocks alone {blocks:.1f} B per sealed reading ({sealed} sealed); "
        f"load {os.getloadavg()}"
    )


def _delta(after: str, before: str, name: str) -> float:
    return metric(after, name) - metric(before, name)


def _rates(text: str, indent: str, lead: str) -> None:
    committed = metric(text, "hanport_server_readings_committed_total")
    cpu = metric(text, "hanport_server_worker_cpu_seconds_total")
    per_core = committed / cpu if cpu else 0.0
    print(
        f"{indent}{lead}{committed:.0f} committed with {cpu:.1f} worker CPU s: "
        f"{per_core:.0f} readings/s per worker core"
    )


def _wait_up(port: int) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not come up")


if __name__ == "__main__":
    main()
