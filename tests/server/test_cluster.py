"""Readings from gateways through a real 3-node NATS cluster (JetStream, MQTT) into the store:
every reading stored exactly once, through worker kills, a node's death and a gateway's outage."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from hanport_server import (
    ServerProcess,
    server_fixture,  # noqa: F401 (the fixture)
    wait_until,
)
from mqtt_broker import free_port
from nats_cluster import (
    Cluster,
    cluster_fixture,  # noqa: F401 (the fixture)
)
from upstream_gateway import Gateway, meter_readings

from hanport.store import local_file
from hanport.web.accounts import Accounts


def emptied(gateway: Gateway, server: ServerProcess) -> str:
    return f"the outbox empties: {gateway.state()}\n{server.state()}"


def test_every_reading_is_stored_once_and_the_outbox_empties(
    cluster: Cluster, server: ServerProcess, tmp_path: Path
) -> None:
    gateway = Gateway(tmp_path / "gw.db", cluster.nodes[0].mqtt_url, "home-a")
    try:
        sent = meter_readings(300)
        gateway.send(sent)
        wanted = sorted(r.meter_time for r in sent if r.meter_time)
        wait_until(lambda: server.stored_times("home-a", "LGF5E360-1") == wanted, 60, "stored")
        wait_until(lambda: gateway.outbox_size() == 0, 30, "the outbox empties on the watermark")
    finally:
        gateway.stop()
    assert "hanport_server_readings_committed_total" in server.metrics()


def test_a_worker_killed_mid_batch_loses_nothing(
    cluster: Cluster, server: ServerProcess, tmp_path: Path
) -> None:
    gateway = Gateway(tmp_path / "gw.db", cluster.nodes[1].mqtt_url, "home-b")
    try:
        sent = meter_readings(4000)
        gateway.send(sent)
        wanted = sorted(r.meter_time for r in sent if r.meter_time)
        wait_until(lambda: len(server.stored_times("home-b", "LGF5E360-1")) > 0, 60, "started")
        victims = server.wait_healthy()["workers"]
        assert isinstance(victims, dict)
        for pid in victims.values():
            os.kill(int(pid), signal.SIGKILL)
        assert len(server.stored_times("home-b", "LGF5E360-1")) < len(wanted), "killed too late"
        wait_until(lambda: server.stored_times("home-b", "LGF5E360-1") == wanted, 120, "stored")
        wait_until(lambda: gateway.outbox_size() == 0, 120, lambda: emptied(gateway, server))
        restarted = server.wait_healthy()["workers"]
        assert isinstance(restarted, dict)
        assert set(restarted.values()).isdisjoint(victims.values())
    finally:
        gateway.stop()
    assert "hanport_server_worker_restarts_total 2" in server.metrics()


def test_a_nats_node_killed_and_restarted_loses_nothing(
    cluster: Cluster, server: ServerProcess, tmp_path: Path
) -> None:
    gateway = Gateway(tmp_path / "gw.db", cluster.nodes[0].mqtt_url, "home-c")
    try:
        sent = meter_readings(600)
        gateway.send(sent[:200])
        cluster.kill(2)
        gateway.send(sent[200:400])
        cluster.start(2)
        cluster.wait_healthy(restarted=True)
        gateway.send(sent[400:])
        wanted = sorted(r.meter_time for r in sent if r.meter_time)
        wait_until(lambda: server.stored_times("home-c", "LGF5E360-1") == wanted, 120, "stored")
        wait_until(lambda: gateway.outbox_size() == 0, 120, lambda: emptied(gateway, server))
    finally:
        gateway.stop()


def test_the_gateway_s_own_node_dies_and_it_moves_on(
    cluster: Cluster, server: ServerProcess, tmp_path: Path
) -> None:
    """The node a gateway speaks MQTT to is killed: the gateway keeps its outbox, and once the
    node is back every reading is stored, once."""
    gateway = Gateway(tmp_path / "gw.db", cluster.nodes[1].mqtt_url, "home-d", resend_s=2)
    try:
        sent = meter_readings(400)
        gateway.send(sent[:100])
        cluster.kill(1)
        gateway.send(sent[100:300])
        cluster.start(1)
        cluster.wait_healthy(restarted=True)
        gateway.send(sent[300:])
        wanted = sorted(r.meter_time for r in sent if r.meter_time)
        wait_until(lambda: server.stored_times("home-d", "LGF5E360-1") == wanted, 120, "stored")
        wait_until(lambda: gateway.outbox_size() == 0, 120, lambda: emptied(gateway, server))
    finally:
        gateway.stop()


def test_a_gateway_offline_for_an_hour_and_killed_sends_everything_once_back(
    cluster: Cluster, server: ServerProcess, tmp_path: Path
) -> None:
    """An hour of readings (simulated time: 360 at 10 s) kept while nothing answers, the gateway
    stopped where it stood, then started again with the server reachable."""
    database = tmp_path / "gw.db"
    nowhere = f"mqtt://127.0.0.1:{free_port()}"
    sent = meter_readings(360)
    offline = Gateway(database, nowhere, "home-e")
    try:
        offline.send(sent)
        wait_until(lambda: offline.outbox_size() == 360, 30, "kept in the outbox")
    finally:
        offline.stop()
    assert server.stored_times("home-e", "LGF5E360-1") == []
    back = Gateway(database, cluster.nodes[2].mqtt_url, "home-e")
    try:
        back.send(sent[:50])  # the meter sends some of the same again: harmless
        wanted = sorted(r.meter_time for r in sent if r.meter_time)
        wait_until(lambda: server.stored_times("home-e", "LGF5E360-1") == wanted, 60, "stored")
        wait_until(lambda: back.outbox_size() == 0, 60, "outbox emptied")
    finally:
        back.stop()


def test_stats_health_and_metrics(cluster: Cluster, server: ServerProcess, tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    gateway = Gateway(tmp_path / "gw.db", cluster.nodes[0].mqtt_url, "home-f")
    try:
        gateway.send(meter_readings(30))
        wait_until(lambda: len(server.stored_times("home-f", "LGF5E360-1")) == 30, 60, "stored")
    finally:
        gateway.stop()
    command = [sys.executable, "-m", "hanport", "server", "stats"]
    command += ["--database", str(server.database), "--nats", ",".join(cluster.urls)]
    found = subprocess.run([*command, "--json"], capture_output=True, check=True)
    shown = json.loads(found.stdout)
    row = next(m for m in shown["meters"] if m["site"] == "home-f")
    assert (row["meter"], row["readings"]) == ("LGF5E360-1", 30)
    assert row["first"].startswith("2026-01-10T08:00:00")
    assert shown["consumer"]["pending"] is not None
    table = subprocess.run(command, capture_output=True, check=True, text=True)
    assert "home-f" in table.stdout
    status, health = server.health()
    assert status == 200
    assert health["nats"] is True
    assert "hanport_server_consumer_pending" in server.metrics()


def test_a_real_gateway_killed_with_sigkill_loses_nothing(
    cluster: Cluster, server: ServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`hanport run` on the simulator with [upstream], killed with SIGKILL while it sends, then
    started again: every reading its database holds is on the server, once."""
    import subprocess
    import sys
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from hanport.store import RecordStore, open_store
    from hanport.upstream.outbox import KIND

    database = tmp_path / "gw.db"
    config = tmp_path / "hanport.toml"
    config.write_text(
        f'[meter]\ndatabase = "{database}"\n[web]\nenabled = false\n'
        f'[upstream]\nurl = "{cluster.nodes[0].mqtt_url}"\nsite = "home-g"\nresend_s = 2\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HANPORT_DATABASE", str(database))
    command = [sys.executable, "-m", "hanport", "run", "--config", str(config)]
    command += ["--interval", "0.05"]
    far, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)

    def on_server() -> list[datetime]:
        store = open_store(str(server.database), ZoneInfo("Europe/Tallinn"), upgrade=False)
        try:
            ids = [m.id for m in store.meters() if m.id.startswith("home-g/")]
            return [r.meter_time for i in ids for r in store.readings(i, far, end) if r.meter_time]
        finally:
            store.close()

    def local() -> tuple[set[datetime], set[datetime]]:
        """The meter times the gateway keeps, and those still in its outbox."""
        store = open_store(str(database), ZoneInfo("Europe/Tallinn"), upgrade=False)
        try:
            assert isinstance(store, RecordStore)
            outbox = {r.time for r in store.records(KIND, far, end)}
            times = {r.meter_time for m in store.meters() for r in store.readings(m.id, far, end)}
            return {t for t in times if t is not None}, outbox
        finally:
            store.close()

    with (tmp_path / "gw.log").open("wb") as log:
        first = subprocess.Popen(command, stdout=log, stderr=log)
        try:
            wait_until(lambda: len(on_server()) >= 40, 60, "the first run sends")
        finally:
            first.kill()
            first.wait(10)
        second = subprocess.Popen(command, stdout=log, stderr=log)
        try:
            wait_until(lambda: len(on_server()) >= 120, 60, "the second run sends")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(20)
    earlier, _ = local()
    third = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:  # the third run keeps adding readings; what the first two kept must leave the outbox
        wait_until(
            lambda: not local()[1] & earlier, 60, "the outbox empties on the server's watermark"
        )
    finally:
        third.send_signal(signal.SIGTERM)
        third.wait(20)
    kept, waiting = local()  # the last readings of the stop wait in the outbox for the next start
    stored = on_server()
    assert len(kept) >= 120
    assert kept <= set(stored) | waiting
    assert len(stored) == len(set(stored))


def test_the_app_beside_ingest_shows_a_site_user_only_their_site(
    cluster: Cluster, server: ServerProcess, tmp_path: Path
) -> None:
    import json
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    for site in ("home-t1", "home-t2"):
        gateway = Gateway(tmp_path / f"{site}.db", cluster.nodes[0].mqtt_url, site)
        try:
            gateway.send(meter_readings(5))
            wait_until(lambda s=site: len(server.stored_times(s, "LGF5E360-1")) == 5, 60, site)
        finally:
            gateway.stop()
    accounts = ["--server", "--database", str(server.database)]
    hanport = [sys.executable, "-m", "hanport", "--lang", "en"]
    add = [*hanport, "user", "add", "tess", "--site", "home-t1", "--password-stdin", *accounts]
    subprocess.run(add, input=b"correct horse battery", check=True, capture_output=True)
    made = [*hanport, "token", "create", "tests", "--user", "tess", *accounts]
    secret = subprocess.run(made, check=True, capture_output=True, text=True).stdout.split()[-1]

    def get(path: str) -> tuple[int, Any]:
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}")
        request.add_header("Authorization", f"Bearer {secret}")
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, meters = get("/api/v1/meters")
    assert status == 200
    assert [m["id"] for m in meters["meters"]] == ["home-t1/LGF5E360-1"]
    status, refused = get("/api/v1/readings/latest?meter=home-t2/LGF5E360-1")
    assert (status, refused["code"]) == (404, "web.no_such_meter")
    assert server.health()[0] == 200


def test_the_app_shows_a_sites_readings_live_as_the_gateway_sends_them(
    cluster: Cluster, server: ServerProcess, tmp_path: Path
) -> None:
    accounts = Accounts(local_file(str(server.database)), 30)
    try:
        user = accounts.add_user("lea", "correct horse battery", "viewer", ["home-l"])
        token = accounts.create_token(user, "live test")[0]
    finally:
        accounts.close()
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/api/v1/stream",
        headers={"Authorization": f"Bearer {token}"},
    )
    lines: list[str] = []
    with urllib.request.urlopen(request, timeout=30) as stream:
        gateway = Gateway(tmp_path / "gw.db", cluster.nodes[1].mqtt_url, "home-l")
        other = Gateway(tmp_path / "gw2.db", cluster.nodes[1].mqtt_url, "home-m")
        try:
            other.send(meter_readings(1))
            gateway.send(meter_readings(1))
            end = time.monotonic() + 30
            while not any('"meter":"home-l/LGF5E360-1"' in line for line in lines):
                assert time.monotonic() < end, "".join(lines)
                lines.append(stream.readline().decode())
        finally:
            gateway.stop()
            other.stop()
    assert not any("home-m" in line for line in lines)
