"""A private Mosquitto per test (free port, temporary files) and an independent subscriber.

Import the fixtures into a test module (`from mqtt_broker import broker_fixture  # noqa: F401`);
they are named `broker`, `auth_broker` and `tls_broker`. Mosquitto is installed with apt-get
when it is missing; these tests never skip.
"""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as paho
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from paho.mqtt.enums import CallbackAPIVersion

USER, PASSWORD = "hanport", "s3cret pass"


def mosquitto() -> str:
    found = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "mosquitto"], check=True)
        found = shutil.which("mosquitto", path="/usr/sbin:/usr/bin")
    assert found is not None, "apt-get installed no mosquitto"
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Tls:
    ca_file: Path
    cert_file: Path
    key_file: Path


@dataclass
class Broker:
    """One Mosquitto on 127.0.0.1:`port`; `kill()` and `start()` again keep the port."""

    directory: Path
    password_file: Path | None = None
    tls: Tls | None = None
    acl_file: Path | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        if self.tls is not None:
            return f"mqtts://localhost:{self.port}"
        if self.password_file is not None:
            return f"mqtt://{USER}:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{self.port}"
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self, deadline_s: float = 20.0) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        config = self.directory / "mosquitto.conf"
        config.write_text(self._config())
        with (self.directory / "mosquitto.log").open("ab") as log:
            command = [mosquitto(), "-c", str(config)]
            self.process = subprocess.Popen(command, stdout=log, stderr=log)
        until = time.monotonic() + deadline_s
        while not _listening(self.port):
            if self.process.poll() is not None or time.monotonic() > until:
                raise RuntimeError((self.directory / "mosquitto.log").read_text())
            time.sleep(0.02)

    def reload(self) -> None:
        """Read the ACL file again (SIGHUP), without a restart."""
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def _config(self) -> str:
        lines = [f"listener {self.port} 127.0.0.1", "user root", "persistence false"]
        if self.password_file is not None:
            lines += ["allow_anonymous false", f"password_file {self.password_file}"]
        else:
            lines.append("allow_anonymous true")
        if self.acl_file is not None:
            lines.append(f"acl_file {self.acl_file}")
        if self.tls is not None:
            lines += [
                f"cafile {self.tls.ca_file}",
                f"certfile {self.tls.cert_file}",
                f"keyfile {self.tls.key_file}",
            ]
        return "\n".join(lines) + "\n"


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def make_tls(directory: Path, name: str = "test") -> Tls:
    """A throwaway CA, and a server certificate it signs for localhost and 127.0.0.1."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"hanport {name} CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_CA_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    server = (
        _builder(server_name, ca_name, key.public_key())
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    tls = Tls(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    tls.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    tls.cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    tls.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return tls


_CA_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
    )


def _started(broker: Broker) -> Iterator[Broker]:
    broker.start()
    try:
        yield broker
    finally:
        broker.kill()


@pytest.fixture(name="broker")
def broker_fixture(tmp_path: Path) -> Iterator[Broker]:
    """Anonymous Mosquitto."""
    yield from _started(Broker(tmp_path / "broker"))


@pytest.fixture(name="auth_broker")
def auth_broker_fixture(tmp_path: Path) -> Iterator[Broker]:
    """Mosquitto that only lets USER in with PASSWORD."""
    directory = tmp_path / "auth"
    directory.mkdir()
    passwords = directory / "passwords"
    subprocess.run(
        ["mosquitto_passwd", "-c", "-b", str(passwords), USER, PASSWORD],
        check=True,
        capture_output=True,
    )
    yield from _started(Broker(directory, password_file=passwords))


@pytest.fixture(name="tls_broker")
def tls_broker_fixture(tmp_path: Path) -> Iterator[Broker]:
    """Anonymous Mosquitto behind TLS with a certificate from a throwaway CA."""
    directory = tmp_path / "tls"
    yield from _started(Broker(directory, tls=make_tls(directory)))


@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    retain: bool
    at: float
    """time.monotonic() when it arrived."""


class Subscriber:
    """A plain paho client on its own thread that records every message on `topics`."""

    def __init__(self, broker: Broker, topics: str = "#") -> None:
        self.messages: list[Received] = []
        self.subscriptions = 0
        """How often it (re)subscribed: after a broker restart it reconnects by itself."""
        self._changed = threading.Condition()
        self._client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"checker-{id(self)}")
        self._client.on_message = self._on_message
        self._client.on_subscribe = self._on_subscribe
        self._client.on_connect = lambda client, *_: client.subscribe(topics, qos=1)
        self._client.reconnect_delay_set(1, 1)
        if broker.password_file is not None:
            self._client.username_pw_set(USER, PASSWORD)
        if broker.tls is not None:
            self._client.tls_set(ca_certs=str(broker.tls.ca_file))
        self._client.connect("localhost", broker.port)
        self._client.loop_start()
        self.wait_subscribed(1)

    def wait_subscribed(self, count: int, timeout: float = 20.0) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self.subscriptions >= count, timeout), (
                "the checking subscriber could not subscribe"
            )

    def publish(self, topic: str, payload: str) -> None:
        self._client.publish(topic, payload, qos=1).wait_for_publish(10)

    def _on_subscribe(self, *_: object) -> None:
        with self._changed:
            self.subscriptions += 1
            self._changed.notify_all()

    def close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def _on_message(self, _client: object, _data: object, message: paho.MQTTMessage) -> None:
        with self._changed:
            self.messages.append(
                Received(message.topic, bytes(message.payload), message.retain, time.monotonic())
            )
            self._changed.notify_all()

    def wait_for(
        self,
        topic: str,
        predicate: Callable[[Received], bool] = lambda _: True,
        timeout: float = 20.0,
        after: int = 0,
    ) -> Received:
        """The first message on `topic` (from index `after` on) that satisfies `predicate`."""
        until = time.monotonic() + timeout
        with self._changed:
            while True:
                for message in self.messages[after:]:
                    if message.topic == topic and predicate(message):
                        return message
                left = until - time.monotonic()
                if left <= 0:
                    seen = sorted({m.topic for m in self.messages})
                    raise AssertionError(f"nothing on {topic} within {timeout} s; seen {seen}")
                self._changed.wait(left)

    def on(self, topic: str) -> list[Received]:
        with self._changed:
            return [m for m in self.messages if m.topic == topic]


@pytest.fixture(name="subscriber")
def subscriber_fixture(broker: Broker) -> Iterator[Subscriber]:
    subscriber = Subscriber(broker)
    try:
        yield subscriber
    finally:
        subscriber.close()
