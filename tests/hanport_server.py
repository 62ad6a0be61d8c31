"""A `hanport server` process on the private NATS cluster (`server`, a module fixture), and its
/healthz, /metrics and store as the tests see them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
    database: Path
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
        store = open_store(str(self.database), ZoneInfo("Europe/Tallinn"), upgrade=False)
        try:
            far = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))
            end = far + timedelta(days=365 * 100)
            return [
                r.meter_time for r in store.readings(f"{site}/{meter}", far, end) if r.meter_time
            ]
        finally:
            store.close()


def wait_until(check: object, deadline_s: float, what: str | Callable[[], str]) -> None:
    """Until `check()` holds; else fail with `what` (a callable is asked only then, so that it
    tells the state at the deadline)."""
    assert callable(check)
    end = time.monotonic() + deadline_s
    while not check():
        assert time.monotonic() < end, what() if callable(what) else what
        time.sleep(0.25)


@pytest.fixture(scope="module", name="server")
def server_fixture(
    cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    base = tmp_path_factory.mktemp("server")
    port = free_port()
    database = base / "server.db"
    config = base / "hanport.toml"
    config.write_text(
        "[server]\n"
        f'database = "{database}"\n'
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
