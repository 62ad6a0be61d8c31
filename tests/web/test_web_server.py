"""The app served by a real `hanport run`: live stream, TLS, where it may listen, clean exit."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from webapp import PASSWORD


class Running:
    def __init__(self, process: subprocess.Popen[str], url: str, announcement: str) -> None:
        self.process = process
        self.url = url
        self.announcement = announcement

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()  # reads and closes the pipes


def start(tmp_path: Path, *flags: str, env: dict[str, str] | None = None) -> Running:
    environ = {**os.environ, "HANPORT_DATABASE": str(tmp_path / "run.db"), **(env or {})}
    environ.pop("HANPORT_CONFIG", None)
    command = [sys.executable, "-m", "hanport", "run", "--interval", "0.5", "--port", "0", *flags]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"(https?://\S+:\d+)", line)
        if found:
            return Running(process, found.group(1), line)
        if not line and process.poll() is not None:
            break
    process.kill()
    _, err = process.communicate()
    raise AssertionError(f"hanport run did not announce the app: {err}")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    app = start(tmp_path, "--seed", "3")
    yield app
    app.stop()


def sign_up(client: httpx.Client) -> str:
    answer = client.post("/api/v1/setup", json={"username": "admin", "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    csrf: str = answer.json()["csrf"]
    return csrf


def events(client: httpx.Client, count: int) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    with client.stream("GET", "/api/v1/stream", timeout=30) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        name = ""
        for line in stream.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                found.append((name, line[6:]))
                if sum(1 for kind, _ in found if kind == "reading") >= count:
                    return found
    return found


def test_live_readings_reach_a_signed_in_browser(running: Running) -> None:
    with httpx.Client(base_url=running.url, timeout=30) as client:
        assert client.get("/api/v1/stream").status_code == 401
        sign_up(client)
        seen = events(client, 3)
        assert seen[0][0] == "status"
        readings = [data for kind, data in seen if kind == "reading"]
        assert len(readings) == 3
        assert len(set(readings)) == 3  # the simulator's frames, one after another
        assert '"power_import_w":' in readings[-1]
        latest = client.get("/api/v1/readings/latest").json()
        assert latest["reading"]["energy_import_wh"] >= 4_215_300
        status = client.get("/api/v1/status").json()
        assert status["status"] == "connected"
        assert status["format"] == "p1"
        assert status["unverified"] is False
        assert status["retry_in_s"] is None
        page = client.get("/")
        assert page.status_code == 200
        assert "<html" in page.text.lower()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_with_a_stream_open_is_prompt_and_quiet(
    tmp_path: Path, stop: signal.Signals
) -> None:
    running = start(tmp_path, "--seed", "3")
    host, port = running.url.split("//")[1].rsplit(":", 1)
    try:
        with (
            httpx.Client(base_url=running.url, timeout=30) as client,
            httpx.Client(base_url=running.url, timeout=30) as other_tab,
            socket.create_connection((host, int(port))) as half_sent,
        ):
            sign_up(client)
            assert other_tab.get("/").status_code == 200  # its connection stays open, idle
            half_sent.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            with client.stream("GET", "/api/v1/stream") as stream:
                lines = stream.iter_lines()
                next(lines)
                asked = time.monotonic()
                running.process.send_signal(stop)
                code = running.process.wait(timeout=15)
                took_s = time.monotonic() - asked
                try:
                    rest: list[str] | None = list(lines)
                except httpx.RemoteProtocolError:
                    rest = None  # cut off in the middle
        _, err = running.process.communicate()
    finally:
        running.stop()
    print(f"{stop.name} to exit with a live stream open: {took_s:.2f} s")
    assert code == (0 if stop == signal.SIGTERM else 130)
    assert took_s < 5  # a guard only; the figure is measured in benchmarks/bench_web.py
    assert "Traceback" not in err
    assert "ERROR" not in err
    assert err.splitlines()[-1] == "Stopped."
    assert rest is not None  # the stream was ended, not cut off


def test_on_the_network_the_first_account_needs_the_printed_code(tmp_path: Path) -> None:
    app = start(tmp_path, "--listen", "0.0.0.0")
    try:
        found = re.search(r"one-time setup code (\w{5}-\w{5})", app.announcement)
        assert found, app.announcement
        body = {"username": "anna", "password": PASSWORD}
        with httpx.Client(base_url=app.url.replace("0.0.0.0", "127.0.0.1")) as client:
            assert client.get("/api/v1/session").json()["setup_code_required"] is True
            assert client.post("/api/v1/setup", json=body).status_code == 403
            made = client.post("/api/v1/setup", json={**body, "setup_code": found.group(1)})
            assert made.status_code == 201, made.text
            login = client.post("/api/v1/session", json=body)
            assert login.status_code == 200
    finally:
        app.stop()
    again = start(tmp_path, "--listen", "0.0.0.0")  # an account exists: no code is printed
    try:
        assert "setup code" not in again.announcement
        assert "sign in there" in again.announcement
    finally:
        again.stop()


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_100_mb_body_is_refused_and_never_held(running: Running) -> None:
    host, port = running.url.split("//")[1].rsplit(":", 1)
    before = _rss_kib(running.process.pid)
    size = 100 * 2**20
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
            + f"Content-Length: {size}\r\n\r\n".encode()
        )
        first = sock.recv(65536)
        if first.startswith(b"HTTP/1.1 100"):  # the server wants it all: send it as a client would
            chunk = b'{"username": "' + b"a" * (2**20 - 14)
            for _ in range(100):
                sock.sendall(chunk)
                chunk = b"a" * 2**20
            first = b""
        first += _rest_of_answer(sock)
    assert first.startswith(b"HTTP/1.1 413"), first[:200]
    assert b"over 64 KiB" in first
    chunked = _send_chunked(host, int(port), 100)
    assert chunked.startswith(b"HTTP/1.1 413"), chunked[:200]
    grown_kib = _rss_kib(running.process.pid) - before
    assert grown_kib < 30 * 1024, f"hanport run grew by {grown_kib} KiB"
    with httpx.Client(base_url=running.url, timeout=30) as client:
        assert client.get("/api/v1/session").status_code == 401  # still answering


def _send_chunked(host: str, port: int, mib: int) -> bytes:
    """A body without Content-Length, 1 MiB a chunk, as long as the server takes it."""
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(
            b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        try:
            for _ in range(mib):
                sock.sendall(b"100000\r\n" + b"a" * 2**20 + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused part-way: the answer is waiting
        return _rest_of_answer(sock)


def _rest_of_answer(sock: socket.socket) -> bytes:
    """What the server sends until it closes (a reset after the answer ends it too)."""
    answer = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_a_taken_port_is_one_sentence(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        environ = {**os.environ, "HANPORT_DATABASE": str(tmp_path / "run.db")}
        command = [sys.executable, "-m", "hanport", "run", "--port", port, "--count", "1"]
        result = subprocess.run(
            command, check=False, capture_output=True, text=True, env=environ, timeout=60
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port} (another program uses it)" in result.stderr
    assert result.stderr.count("\n") == 1


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_tls_serves_https_with_secure_cookies(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    env = {"HANPORT_WEB_TLS_CERT": str(cert), "HANPORT_WEB_TLS_KEY": str(key)}
    app = start(tmp_path, env=env)
    try:
        assert app.url.startswith("https://")
        with httpx.Client(base_url=app.url, verify=False) as client:  # self-signed for the test
            answer = client.post("/api/v1/setup", json={"username": "a", "password": PASSWORD})
            assert answer.status_code == 201
            assert "secure" in answer.headers["set-cookie"].lower()
            assert answer.headers["strict-transport-security"] == "max-age=31536000"
    finally:
        app.stop()
    unusable = {"HANPORT_WEB_TLS_CERT": str(key), "HANPORT_WEB_TLS_KEY": str(key)}
    environ = {**os.environ, "HANPORT_DATABASE": str(tmp_path / "run.db"), **unusable}
    command = [sys.executable, "-m", "hanport", "run", "--count", "1"]
    result = subprocess.run(
        command, check=False, capture_output=True, text=True, env=environ, timeout=60
    )
    assert result.returncode == 2
    assert "cannot be used" in result.stderr
