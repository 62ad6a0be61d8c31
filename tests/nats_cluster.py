"""A private 3-node NATS cluster with JetStream and the MQTT listener, on loopback ports.

Debian's nats-server (2.9: MQTT 3.1.1, which needs a server_name and JetStream) is installed
with apt-get when it is missing; these tests never skip. `kill(i)` is SIGKILL, `start(i)`
brings the node back with its JetStream files and its ports.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nats
import pytest
from mqtt_broker import free_port


def nats_server() -> str:
    found = shutil.which("nats-server") or shutil.which("nats-server", path="/usr/sbin:/usr/bin")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "nats-server"], check=True)
        found = shutil.which("nats-server", path="/usr/sbin:/usr/bin")
    assert found is not None, "apt-get installed no nats-server"
    return found


@dataclass
class Node:
    name: str
    directory: Path
    client_port: int = field(default_factory=free_port)
    cluster_port: int = field(default_factory=free_port)
    mqtt_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.client_port}"

    @property
    def mqtt_url(self) -> str:
        return f"mqtt://127.0.0.1:{self.mqtt_port}"

    def config(self, routes: list[int]) -> str:
        joined = ", ".join(f"nats://127.0.0.1:{port}" for port in routes)
        return (
            f"server_name: {self.name}\n"
            f"listen: 127.0.0.1:{self.client_port}\n"
            f"http: 127.0.0.1:{self.http_port}\n"
            f'jetstream {{ store_dir: "{self.directory / "js"}" }}\n'
            f"cluster {{ name: hanport, listen: 127.0.0.1:{self.cluster_port}, "
            f"routes: [{joined}] }}\n"
            f"mqtt {{ listen: 127.0.0.1:{self.mqtt_port} }}\n"
        )


@dataclass
class Cluster:
    nodes: list[Node]

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def start(self, index: int) -> None:
        node = self.nodes[index]
        routes = [n.cluster_port for n in self.nodes]
        (node.directory / "nats.conf").write_text(node.config(routes), encoding="utf-8")
        with (node.directory / "nats.log").open("ab") as log:
            node.process = subprocess.Popen(
                [nats_server(), "-c", str(node.directory / "nats.conf")], stdout=log, stderr=log
            )

    def kill(self, index: int) -> None:
        process = self.nodes[index].process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(10)

    def wait_healthy(self, deadline_s: float = 120.0, *, restarted: bool = False) -> None:
        """Every running node answers /healthz ok (JetStream current, meta leader known); after
        a restart, every node serves (see `_serving`)."""
        end = time.monotonic() + deadline_s
        check = _serving if restarted else _healthy
        for node in self.nodes:
            if node.process is None or node.process.poll() is not None:
                continue
            while not check(node):
                if time.monotonic() >= end:
                    log = (node.directory / "nats.log").read_text(encoding="utf-8")
                    raise AssertionError(f"{node.name} is not healthy:\n{log[-3000:]}")
                time.sleep(0.2)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _serving(node: Node) -> bool:
    """Its ports answer and it knows the JetStream meta leader (a node just restarted may keep
    /healthz failing for a long while on MQTT sessions of clients that died with it)."""
    if not (_listening(node.client_port) and _listening(node.mqtt_port)):
        return False
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{node.http_port}/jsz", timeout=2) as r:
            meta = json.loads(r.read()).get("meta_cluster") or {}
    except OSError:
        return False
    return bool(meta.get("leader")) and int(meta.get("cluster_size", 0)) == 3


def _healthy(node: Node) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{node.http_port}/healthz", timeout=2) as r:
            return bool(json.loads(r.read()).get("status") == "ok")
    except OSError:
        return False


@pytest.fixture(scope="module", name="cluster")
def cluster_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    base = tmp_path_factory.mktemp("nats")
    nodes = []
    for number in (1, 2, 3):
        directory = base / f"n{number}"
        directory.mkdir()
        nodes.append(Node(f"n{number}", directory))
    found = Cluster(nodes)
    try:
        for index in range(3):
            found.start(index)
        found.wait_healthy()
        yield found
    finally:
        for index in range(3):
            found.kill(index)


class SoloNats:
    """One NATS node (JetStream, MQTT) whose clients without credentials are a user that may
    not subscribe to `deny`; `allow_everything()` lifts that by a configuration reload."""

    def __init__(self, directory: Path, deny: str | None = None) -> None:
        self.node = Node("solo", directory)
        directory.mkdir(parents=True, exist_ok=True)
        self._write(deny)
        with (directory / "nats.log").open("ab") as log:
            self.process = subprocess.Popen(
                [nats_server(), "-c", str(directory / "nats.conf")], stdout=log, stderr=log
            )
        end = time.monotonic() + 30
        while not _healthy(self.node):
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < end, self.log()
            time.sleep(0.2)

    @property
    def mqtt_url(self) -> str:
        return self.node.mqtt_url

    def log(self) -> str:
        return (self.node.directory / "nats.log").read_text(encoding="utf-8")

    def _write(self, deny: str | None) -> None:
        node = self.node
        rule = f'permissions: {{ subscribe: {{ deny: ["{deny}"] }} }}' if deny else ""
        (node.directory / "nats.conf").write_text(
            f"server_name: {node.name}\n"
            f"listen: 127.0.0.1:{node.client_port}\n"
            f"http: 127.0.0.1:{node.http_port}\n"
            f'jetstream {{ store_dir: "{node.directory / "js"}" }}\n'
            f"mqtt {{ listen: 127.0.0.1:{node.mqtt_port} }}\n"
            "accounts { A { jetstream: enabled, users: [\n"
            f"  {{ user: gw, password: gw, {rule} }}\n"
            "  { user: ops, password: ops }\n"
            "] } }\n"
            "no_auth_user: gw\n",
            encoding="utf-8",
        )

    def allow_everything(self) -> None:
        self._write(None)
        self.process.send_signal(signal.SIGHUP)

    def publish(self, subject: str, payload: bytes) -> None:
        """Publish on core NATS, as `hanport server` does."""

        async def send() -> None:
            client = await nats.connect(f"nats://ops:ops@127.0.0.1:{self.node.client_port}")
            await client.publish(subject, payload)
            await client.flush()
            await client.close()

        asyncio.run(send())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
