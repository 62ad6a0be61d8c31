"""A `hanport server` process on the private NATS cluster (`server`, a module fixture, over a
SQLite store; `start_server` for any store URL, e.g. PostgreSQL's), and its /healthz, /metrics and
store as the tests see them (`stored_times`, and `stored_rows` for PostgreSQL's rows themselves)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from mqtt_broker import free_port
from nats_cluster import Cluster

from hanport.store import open_store


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    port: int
    database: str
    """The store's path or URL, as the server was given it."""
    log: Path

    def health(self) -> tuple[int, dict[str, object]]:
        url = f"http://127.0.0.1:{self.port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=3) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=3) as r:
            return str(r.read().decode())

    def state(self) -> str:
        """/metrics and the log's last lines, for a failing test's message."""
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        return self.metrics() + "\n--- server log ---\n" + "\n".join(lines)

    def wait_healthy(self, deadline_s: float = 60.0) -> dict[str, object]:
        end = time.monotonic() + deadline_s
        while True:
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8")
            try:
                status, body = self.health()
                if status == 200:
                    return body
            except OSError:
                pass
            assert time.monotonic() < end, self.log.read_text(encoding="utf-8")
            time.sleep(0.2)

    def stored_times(self, site: str, meter: str) -> list[datetime]:
        """Every stored reading's meter time of that site's meter (the store's own reading)."""
        store = open_store(self.database, ZoneInfo("Europe/Tallinn"), upgrade=False)
        try:
            far = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))
            end = far + timedelta(days=365 * 100)
            return [
                r.meter_time for r in store.readings(f"{site}/{meter}", far, end) if r.meter_time
            ]
        finally:
            store.close()

    def stored_rows(self, site: str, meter: str) -> StoredRows:
        """That meter's rows in a PostgreSQL store, read with SQL and decoded (not through the
        store's reads, which keep one reading per time whatever the rows hold)."""
        import psycopg

        from hanport.store.postgres.connection import split_site
        from hanport.store.staged import readings_of

        rows = StoredRows()
        libpq, _site = split_site(self.database)
        tables = {"blocks": rows.sealed, "pending": rows.pending}
        with psycopg.connect(libpq) as db:
            for table, counts in tables.items():
                found = db.execute(
                    f"SELECT t.n, t.data FROM {table} t JOIN meters m ON m.id = t.meter "
                    "WHERE m.key = %s",
                    (f"{site}/{meter}",),
                    binary=True,
                ).fetchall()
                for n, data in found:
                    readings = readings_of(data)  # a block, or the open hour's staged row
                    if n != len(readings):
                        rows.miscounted += 1
                    for reading in readings:
                        assert reading.meter_time is not None
                        counts[reading.meter_time] += 1
                        seen = rows.kept.setdefault(reading.meter_time, reading)
                        if seen != reading:
                            rows.differing.add(reading.meter_time)
        return rows


@dataclass
class StoredRows:
    """One meter's rows in a PostgreSQL store: per meter time, how often the sealed blocks
    (closed hours, one block each) hold it and how often the pending rows (the open hour, one
    per write).

    The store's rule is that a reading stored again replaces the first, so the same reading in a
    pending row a second time (a batch written again after its acknowledgement was lost) is
    still stored once; two different readings for one meter time, a meter time twice in the
    sealed blocks, or a block whose `n` is not what it holds, are not."""

    sealed: Counter[datetime] = field(default_factory=Counter)
    pending: Counter[datetime] = field(default_factory=Counter)
    kept: dict[datetime, object] = field(default_factory=dict)
    differing: set[datetime] = field(default_factory=set)
    miscounted: int = 0

    def problems(self, wanted: list[datetime]) -> list[str]:
        """What keeps these rows from holding each of `wanted` exactly once (empty: nothing)."""
        found: list[str] = []
        times = set(self.sealed) | set(self.pending)
        if times != set(wanted):
            missing, extra = len(set(wanted) - times), len(times - set(wanted))
            found.append(f"{missing} meter times missing, {extra} not sent")
        twice = sorted(t for t, n in self.sealed.items() if n > 1)
        if twice:
            found.append(
                f"{len(twice)} meter times more than once in the sealed blocks: {twice[:3]}"
            )
        if self.differing:
            found.append(f"{len(self.differing)} meter times with different readings")
        if self.miscounted:
            found.append(f"{self.miscounted} blocks whose n is not what they hold")
        return found


def wait_until(check: object, deadline_s: float, what: str | Callable[[], str]) -> None:
    """Until `check()` holds; else fail with `what` (a callable is asked only then, so that it
    tells the state at the deadline)."""
    assert callable(check)
    end = time.monotonic() + deadline_s
    while not check():
        assert time.monotonic() < end, what() if callable(what) else what
        time.sleep(0.25)


@contextmanager
def start_server(cluster: Cluster, base: Path, database: str) -> Iterator[ServerProcess]:
    """`hanport server` over `database` (a SQLite path or a postgresql:// URL), working in `base`
    (where a PostgreSQL server keeps its accounts), healthy on entry, stopped (SIGTERM) on exit."""
    port = free_port()
    config = base / "hanport.toml"
    config.write_text(
        "[server]\n"
        f"database = {json.dumps(database)}\n"
        f'nats = "{",".join(cluster.urls)}"\n'
        "workers = 2\nreplicas = 3\nbatch = 200\nack_wait_s = 3\n"
        f"port = {port}\n",
        encoding="utf-8",
    )
    log = base / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "hanport", "server", "--config", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            cwd=base,
        )
    found = ServerProcess(process, port, database, log)
    try:
        found.wait_healthy()
        yield found
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture(scope="module", name="server")
def server_fixture(
    cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    base = tmp_path_factory.mktemp("server")
    with start_server(cluster, base, str(base / "server.db")) as found:
        yield found
