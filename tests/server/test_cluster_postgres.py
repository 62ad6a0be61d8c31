"""The core cluster tests of test_cluster again, over the PostgreSQL store (the server's own in
production) on a private PostgreSQL cluster, each ending with the rows themselves checked; and
that cluster stopped and started again under the server while a gateway sends."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hanport_server import ServerProcess, start_server, wait_until
from nats_cluster import (
    Cluster,
    cluster_fixture,  # noqa: F401 (the fixture)
)
from private_postgres import PrivatePostgres
from test_cluster import (  # the same tests, over the `server` of this module
    test_a_gateway_offline_for_an_hour_and_killed_sends_everything_once_back,
    test_a_worker_killed_mid_batch_loses_nothing,
    test_every_reading_is_stored_once_and_the_outbox_empties,
)
from upstream_gateway import Gateway, meter_readings

__all__ = [
    "test_a_gateway_offline_for_an_hour_and_killed_sends_everything_once_back",
    "test_a_worker_killed_mid_batch_loses_nothing",
    "test_every_reading_is_stored_once_and_the_outbox_empties",
]

METER = "LGF5E360-1"


@pytest.fixture(scope="module", name="postgres")
def postgres_fixture() -> Iterator[PrivatePostgres]:
    with PrivatePostgres() as found:
        yield found


@pytest.fixture(scope="module", name="server")
def postgres_server_fixture(
    cluster: Cluster, postgres: PrivatePostgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    base = tmp_path_factory.mktemp("server-postgres")
    with start_server(cluster, base, postgres.url("hanport")) as found:
        yield found


@pytest.fixture(autouse=True)
def _rows_hold_each_reading_once(server: ServerProcess) -> Iterator[None]:
    """After each test, every site it sent: each reading in the rows exactly once (the tests
    themselves compare the stored meter times with those sent)."""
    before = _sites(server)
    yield
    for site in _sites(server) - before:
        wanted = server.stored_times(site, METER)
        assert wanted, site
        assert server.stored_rows(site, METER).problems(wanted) == [], site


def _sites(server: ServerProcess) -> set[str]:
    """The sites with a stored meter."""
    import psycopg

    with psycopg.connect(server.database) as db:
        found = db.execute("SELECT key FROM meters").fetchall()
    return {key.partition("/")[0] for (key,) in found}


def _token(server: ServerProcess, site: str) -> str:
    """A token of a new user who sees `site` (the accounts beside the server's database)."""
    user = f"user-{site}"
    hanport = [sys.executable, "-m", "hanport", "--lang", "en"]
    accounts = ["--server", "--database", server.database]
    add = [*hanport, "user", "add", user, "--site", site, "--password-stdin", *accounts]
    base = server.log.parent
    subprocess.run(add, input=b"correct horse battery", check=True, capture_output=True, cwd=base)
    made = [*hanport, "token", "create", "tests", "--user", user, *accounts]
    found = subprocess.run(made, check=True, capture_output=True, text=True, cwd=base)
    return found.stdout.split()[-1]


def _get(server: ServerProcess, path: str, token: str) -> tuple[int, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}")
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_postgresql_stopped_and_started_again_under_the_server_loses_nothing(
    cluster: Cluster, server: ServerProcess, postgres: PrivatePostgres, tmp_path: Path
) -> None:
    """`pg_ctl stop -m fast` (every connection ended) while a gateway sends, readings keep coming
    while it is down, then it starts again: every reading stored once, the outbox empties; the
    log says the outage in one sentence (per worker), that it is over, and no traceback; the app
    beside ingest answers 503 with a sentence meanwhile and 200 at once afterwards."""
    said_before = len(server.log.read_text(encoding="utf-8"))
    gateway = Gateway(tmp_path / "gw.db", cluster.nodes[0].mqtt_url, "home-p")
    try:
        sent = meter_readings(900)
        wanted = sorted(r.meter_time for r in sent if r.meter_time)
        gateway.send(sent[:300])
        wait_until(lambda: len(server.stored_times("home-p", METER)) == 300, 60, "first part")
        token = _token(server, "home-p")
        assert _get(server, "/api/v1/meters", token)[0] == 200
        postgres.stop("fast")
        gateway.send(sent[300:700])
        time.sleep(6)  # two ack waits: every worker has tried, failed and tried again
        status, health = server.health()
        assert status == 200, health  # NATS and the workers are up: ingest only waits
        assert (health["status"], health["database"]) == ("degraded", False), health
        assert "hanport_server_database_up 0" in server.metrics()
        status, refused = _get(server, "/api/v1/meters", token)
        assert status == 503, refused
        assert refused["code"] == "web.store_unavailable", refused
        assert gateway.outbox_size() > 0  # nothing was acknowledged past the stored part
        postgres.start()
        status, meters = _get(server, "/api/v1/meters", token)
        assert status == 200, meters
        gateway.send(sent[700:])
        wait_until(lambda: server.stored_times("home-p", METER) == wanted, 90, "stored")
        wait_until(lambda: gateway.outbox_size() == 0, 90, f"outbox emptied: {server.metrics()}")
        assert server.health()[1]["database"] is True
        assert "hanport_server_database_up 1" in server.metrics()
    finally:
        gateway.stop()
        if not postgres.running():
            postgres.start()
    assert server.stored_rows("home-p", METER).problems(wanted) == []
    said = server.log.read_text(encoding="utf-8")[said_before:]
    assert "Traceback" not in said, said
    failed = [line for line in said.splitlines() if line.startswith("The database refused")]
    assert 1 <= len(failed) <= 2, said  # each worker says it once
    assert not any("PostgreSQL database" in line for line in failed), failed  # not two nested
    assert "The database accepts readings again." in said, said
    assert server.health()[0] == 200


def test_postgresql_crashed_and_back_between_writes_goes_unnoticed(
    cluster: Cluster, server: ServerProcess, postgres: PrivatePostgres, tmp_path: Path
) -> None:
    """`pg_ctl stop -m immediate` (a crash) and a start while nothing is written: the workers and
    the app find their connections ended before they use them (`IDLE_CHECK_S`) and connect
    again, so the next readings and requests go through without a failure or a sentence."""
    from hanport.store.postgres.connection import IDLE_CHECK_S

    gateway = Gateway(tmp_path / "gw.db", cluster.nodes[1].mqtt_url, "home-q")
    try:
        sent = meter_readings(200)
        gateway.send(sent[:100])
        wait_until(lambda: len(server.stored_times("home-q", METER)) == 100, 60, "first part")
        token = _token(server, "home-q")
        assert _get(server, "/api/v1/meters", token)[0] == 200
        said_before = len(server.log.read_text(encoding="utf-8"))
        postgres.stop("immediate")
        postgres.start()
        time.sleep(IDLE_CHECK_S + 0.5)
        status, meters = _get(server, "/api/v1/meters", token)
        assert status == 200, meters
        gateway.send(sent[100:])
        wanted = sorted(r.meter_time for r in sent if r.meter_time)
        wait_until(lambda: server.stored_times("home-q", METER) == wanted, 60, "stored")
        wait_until(lambda: gateway.outbox_size() == 0, 60, "outbox emptied")
    finally:
        gateway.stop()
        if not postgres.running():
            postgres.start()
    said = server.log.read_text(encoding="utf-8")[said_before:]
    assert "database" not in said, said
