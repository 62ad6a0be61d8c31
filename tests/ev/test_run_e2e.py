"""End to end: a real `hanport run` subprocess with `[ev] ocpp_listen`, fed simulated meter
telegrams (the built-in simulator, 20× fast) over TCP by the test, with the `ocpp` package's
own ChargePoints (1.6 and 2.0.1) connected over websockets on loopback and a private Mosquitto.

The stations get the standing fallback at stack level 0 and the live limit above it (a
TxProfile for the one set to `profiles = "tx"`); the API shows each one's limit and why; the
limits are kept in the database and published on MQTT; when the meter's telegrams stop, the
fail-safe limit reaches every station within 30 s of the last telegram (on the test's clock,
which is the receive clock here).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mqtt_broker import Broker, Subscriber, free_port

from hanport.ev.records import read_limits
from hanport.sim.home import HomeSimulator
from hanport.store import open_store
from hanport.web.accounts import Accounts

from .ocpp_station import Sim16, Sim201, station

FAST = 20  # a telegram every 0.5 s
TOKEN = [""]


class Meter:
    """The simulator's telegrams over TCP, as a network HAN dongle sends them, until `stop()`."""

    def __init__(self) -> None:
        self.simulator = HomeSimulator(seed=2, start=datetime(2026, 1, 15, 1, 0, tzinfo=UTC))
        self.last_sent = 0.0
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []
        self.stopped = False

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port: int = self.server.sockets[0].getsockname()[1]
        return port

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        with contextlib.suppress(ConnectionError):
            while not self.stopped:
                writer.write(self.simulator.next_telegram())
                await writer.drain()
                self.last_sent = time.monotonic()
                await asyncio.sleep(10 / FAST)

    async def stop(self) -> float:
        """No more telegrams (the dongle unplugged); the time of the last one."""
        self.stopped = True
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        return self.last_sent


async def until(check: Callable[[], object], seconds: float, what: str) -> float:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)
    return time.monotonic()


def _live(profiles: list[dict[str, Any]], purpose: str | None = None) -> list[dict[str, Any]]:
    return [
        p
        for p in profiles
        if p["stack_level"] >= 1 and (purpose is None or p["charging_profile_purpose"] == purpose)
    ]


def _paused_after(sim: Any, index: int) -> Callable[[], bool]:
    """A live profile at 0 A among those `sim` got from `index` on."""
    return lambda: any(_limit(p) == 0 for p in _live(sim.profiles[index:]))


def _limit(profile: dict[str, Any]) -> Decimal:
    schedule = profile["charging_schedule"]
    first = schedule[0] if isinstance(schedule, list) else schedule
    return Decimal(str(first["charging_schedule_period"][0]["limit"]))


@contextlib.asynccontextmanager
async def hanport_run(
    tmp: Path, meter_port: int, ocpp_port: int, broker: Broker
) -> AsyncIterator[subprocess.Popen[str]]:
    (tmp / "hanport.toml").write_text(
        f"""
[mqtt]
url = "{broker.url}"

[[ev.chargers]]
id = "cp16tx"
kind = "ocpp"
profiles = "tx"
max_a = 16
"""
    )
    env = {k: v for k, v in os.environ.items() if k != "HANPORT_CONFIG"}
    env.update(
        HANPORT_DATABASE=str(tmp / "ev.db"),
        HANPORT_EV_OCPP_LISTEN=f"127.0.0.1:{ocpp_port}",
        PYTHONUNBUFFERED="1",
    )
    accounts = Accounts(str(tmp / "ev.db"))
    user = accounts.add_user("admin", "correct horse battery")
    TOKEN[0], _ = accounts.create_token(user, "e2e")
    accounts.close()
    command = [sys.executable, "-m", "hanport", "run", "--source", f"tcp://127.0.0.1:{meter_port}"]
    log = (tmp / "run.log").open("w")
    process = subprocess.Popen(
        [*command, "--port", "0"], cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    try:
        await until(lambda: _listening(ocpp_port) or process.poll() is not None, 60, "OCPP")
        assert process.poll() is None, (tmp / "run.log").read_text()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _api(tmp: Path, path: str) -> Any:
    """GET `path` from the app of the `hanport run` in `tmp` (its address from its output)."""
    found = re.search(r"http://127\.0\.0\.1:\d+", (tmp / "run.log").read_text())
    assert found is not None
    request = urllib.request.Request(found.group(0) + path)
    request.add_header("Authorization", f"Bearer {TOKEN[0]}")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_hanport_run_controls_ocpp_stations_and_falls_back_when_the_meter_stops(
    tmp_path: Path, broker: Broker, request: pytest.FixtureRequest
) -> None:
    subscriber = Subscriber(broker)
    try:
        taken = asyncio.run(_scenario(tmp_path, broker, subscriber))
    finally:
        subscriber.close()
    shown = ",".join(f"{name}={s:.1f}" for name, s in taken.items())
    request.node.user_properties.append(("failsafe_s", shown))  # for docs/benchmarks.md
    store = open_store(str(tmp_path / "ev.db"), ZoneInfo("Europe/Tallinn"))
    try:
        now = datetime.now(UTC)
        kept = read_limits(store, now - timedelta(hours=1), now + timedelta(minutes=1))
    finally:
        store.close()
    assert {r.charger_id for r in kept} >= {"cp16", "cp16tx", "cs201"}
    assert any(r.reason.code == "meter_stale" and r.limit_a == 0 for r in kept)
    assert any(r.limit_a > 0 for r in kept)
    text = (tmp_path / "run.log").read_text()
    assert "EV limit for cp16" in text


async def _scenario(tmp: Path, broker: Broker, subscriber: Subscriber) -> dict[str, float]:
    """The seconds from the last telegram to the fail-safe at each station."""
    taken: dict[str, float] = {}
    meter = Meter()
    meter_port = await meter.start()
    ocpp_port = free_port()
    async with hanport_run(tmp, meter_port, ocpp_port, broker):
        url = f"ws://127.0.0.1:{ocpp_port}/ocpp"
        async with (
            station(Sim16, url, "cp16") as cp16,
            station(Sim16, url, "cp16tx") as cp16tx,
            station(Sim201, url, "cs201") as cs201,
        ):
            await cp16.boot()
            await cp16.status("Charging")
            await cp16tx.boot()
            transaction = await cp16tx.start_transaction(1000)
            await cp16tx.status("Charging")
            await cs201.boot()
            await cs201.status("Occupied")
            await cs201.transaction("Started", 0, [0, 0, 0], 0)

            def fallback(sim: Any, purpose: str) -> bool:
                return any(
                    p["stack_level"] == 0 and p["charging_profile_purpose"] == purpose
                    for p in sim.profiles
                )

            await until(lambda: fallback(cp16, "ChargePointMaxProfile"), 30, "1.6 fallback")
            await until(lambda: fallback(cs201, "ChargingStationMaxProfile"), 30, "2.0.1 fb")
            await until(lambda: fallback(cp16tx, "TxDefaultProfile"), 30, "TxDefault fallback")
            stack0 = next(p for p in cp16.profiles if p["stack_level"] == 0)
            assert (stack0["connector_id"], _limit(stack0)) == (0, Decimal(0))
            await until(
                lambda: any(_limit(p) > 0 for p in _live(cp16tx.profiles, "TxProfile")),
                60,
                "a TxProfile above 0 A",
            )
            tx = _live(cp16tx.profiles, "TxProfile")[-1]
            assert tx["transaction_id"] == transaction
            await until(lambda: any(_limit(p) > 0 for p in _live(cp16.profiles)), 60, "live")
            await until(lambda: any(_limit(p) > 0 for p in _live(cs201.profiles)), 60, "live")
            sent = {id(sim): len(sim.profiles) for sim in (cp16, cp16tx, cs201)}
            state = await asyncio.to_thread(_api, tmp, "/api/v1/ev")
            assert {c["id"] for c in state["chargers"]} == {"cp16", "cp16tx", "cs201"}
            assert all(c["reason"]["text"] for c in state["chargers"])
            assert state["failsafe"]["active"] is False

            last = await meter.stop()
            for sim in (cp16, cp16tx, cs201):
                arrived = await until(_paused_after(sim, sent[id(sim)]), 40, f"fail-safe {sim.id}")
                taken[sim.id] = arrived - last
                assert taken[sim.id] <= 30, f"{sim.id}: {taken[sim.id]:.1f} s"
            status = await asyncio.to_thread(_api, tmp, "/api/v1/status")
            assert status["ev"]["failsafe"]["active"] is True
            limits = await asyncio.to_thread(_api, tmp, "/api/v1/ev/limits?charger=cp16")
            assert limits["limits"][-1]["reason"]["code"] == "meter_stale"
    state = subscriber.wait_for(
        "hanport/ev/state", lambda m: json.loads(m.payload)["failsafe"]["active"], timeout=5
    )
    assert {c["id"] for c in json.loads(state.payload)["chargers"]} >= {"cp16", "cs201"}
    grid = [m for m in subscriber.messages if m.topic.endswith("/grid")]
    assert grid
    assert "current_l1_a" in json.loads(grid[0].payload)
    discovery = [m for m in subscriber.messages if m.topic.startswith("homeassistant/device/")]
    assert any("ev_failsafe" in json.loads(m.payload)["cmps"] for m in discovery)
    return taken
