"""The app's server under a thousand idle and slow connections: it keeps answering real ones.

The server runs in this process on a thread of its own (the real uvicorn protocol, the real app,
real sockets), with the request-head deadline shortened from 10 s to 2 s to keep the test short.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import resource
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from webapp import PASSWORD, WebApp, make_app, simulated

from hanport.web import server
from hanport.web.connections import ConnectionGuard
from hanport.web.guards import EndOnStop
from hanport.web.server import serve
from hanport.web.settings import WebSettings
from web.test_web_server import self_signed

HEAD_S = 2.0


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Served:
    url: str
    loop: asyncio.AbstractEventLoop
    logged: list[logging.LogRecord]
    """Warnings and errors logged by uvicorn (which does not pass them to the root logger)
    and by hanport."""

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@contextlib.contextmanager
def serving(app: Any, stopping: Any, guard: ConnectionGuard, **web: Any) -> Iterator[Served]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.setblocking(False)
    loop = asyncio.new_event_loop()
    task = loop.create_task(serve(app, sock, WebSettings(**web), stopping, guard))

    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(task)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop).result(10)  # uvicorn configured
    collect = Collect()
    for name in ("uvicorn", "hanport"):
        logging.getLogger(name).addHandler(collect)
    try:
        yield Served(f"http://127.0.0.1:{sock.getsockname()[1]}", loop, collect.records)
    finally:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(10)
        loop.close()
        sock.close()
        for name in ("uvicorn", "hanport"):
            logging.getLogger(name).removeHandler(collect)


def serving_app(web: WebApp, guard: ConnectionGuard, **settings: Any) -> Any:
    return serving(web.app, web.context.stop_streams, guard, **settings)


@pytest.fixture
def web(tmp_path: Path) -> WebApp:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 3000:  # 1,000 client sockets and the server's own ends, in this one process
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    return make_app(tmp_path / "app.db", hours=0.1)


def closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:  # reset
        return True


def trickle(socks: list[socket.socket], stop: threading.Event) -> None:
    while not stop.wait(0.5):
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.send(b"x")


def messages(records: list[logging.LogRecord]) -> list[str]:
    return [record.getMessage() for record in records]


def test_real_requests_are_answered_while_a_thousand_connections_idle(web: WebApp) -> None:
    user = web.context.accounts.add_user("admin", PASSWORD)
    token, _ = web.context.accounts.create_token(user, "test")
    guard = ConnectionGuard(head_s=HEAD_S)
    with serving_app(web, guard) as served, contextlib.ExitStack() as opened:
        bearer = {"Authorization": f"Bearer {token}"}

        def connect() -> socket.socket:
            return opened.enter_context(socket.create_connection(("127.0.0.1", served.port)))

        live = opened.enter_context(httpx.Client(base_url=served.url, timeout=10, headers=bearer))
        with live.stream("GET", "/api/v1/stream") as stream:
            events = stream.iter_lines()
            assert next(events) == "retry: 2000"
            idle = [connect() for _ in range(500)]
            slow = [connect() for _ in range(500)]
            for sock in slow:  # a header that never ends
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            for sock in idle + slow:
                sock.setblocking(False)
            trickling = threading.Thread(target=trickle, args=(slow, stop := threading.Event()))
            trickling.start()  # a byte every half second must not buy more time
            try:
                answered = []
                for _ in range(20):  # each on a new connection, while the thousand are open
                    with httpx.Client(base_url=served.url, timeout=5) as client:
                        answered.append(client.get("/").status_code)
                        answered.append(client.get("/api/v1/openapi.json").status_code)
                assert answered == [200] * 40
                still_open = idle + slow
                give_up = time.monotonic() + HEAD_S + 10  # only if the deadline never came
                while still_open and time.monotonic() < give_up:
                    time.sleep(0.2)
                    still_open = [sock for sock in still_open if not closed(sock)]
            finally:
                stop.set()
                trickling.join()
            assert still_open == []  # the deadline closed every one of them
            assert guard.count("busy") == 1  # the live stream
            served.loop.call_soon_threadsafe(web.context.hub.publish, simulated(1)[0])
            while not (line := next(events)).startswith("event: "):
                pass
            assert line in ("event: reading", "event: status")  # the stream lives on
    assert messages(served.logged) == []


def test_idle_connections_make_room_and_busy_ones_keep_theirs(web: WebApp) -> None:
    user = web.context.accounts.add_user("admin", PASSWORD)
    token, _ = web.context.accounts.create_token(user, "test")
    guard = ConnectionGuard(cap=20, head_s=30)
    with serving_app(web, guard) as served, contextlib.ExitStack() as opened:
        bearer = {"Authorization": f"Bearer {token}"}
        live = opened.enter_context(httpx.Client(base_url=served.url, timeout=10, headers=bearer))
        events = opened.enter_context(live.stream("GET", "/api/v1/stream")).iter_lines()
        assert next(events) == "retry: 2000"
        held = [
            opened.enter_context(socket.create_connection(("127.0.0.1", served.port)))
            for _ in range(50)
        ]
        for sock in held:
            sock.setblocking(False)
        give_up = time.monotonic() + 10
        while not all(closed(sock) for sock in held[:30]) and time.monotonic() < give_up:
            time.sleep(0.1)
        with httpx.Client(base_url=served.url, timeout=5) as client:
            assert client.get("/").status_code == 200
        assert all(closed(sock) for sock in held[:30])  # the oldest went first
        assert not any(closed(sock) for sock in held[-10:])
        assert len(guard) <= 20  # the cap: the stream and the newest idle ones
        served.loop.call_soon_threadsafe(web.context.hub.publish, simulated(1)[0])
        while next(events) != "event: reading":
            pass  # the busy stream kept its place


def test_a_body_that_never_ends_is_cut_off(web: WebApp) -> None:
    with serving_app(web, ConnectionGuard(head_s=30, body_s=1)) as served:
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            sock.sendall(
                b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
            )
            assert sock.recv(1024) == b""  # closed (within the socket's 10 s), unanswered
        with httpx.Client(base_url=served.url, timeout=5) as client:
            assert client.get("/").status_code == 200
    assert messages(served.logged) == []  # the app saw a disconnect, and that is no error


def test_a_head_over_16_kib_is_one_sentence(web: WebApp) -> None:
    with (
        serving_app(web, ConnectionGuard()) as served,
        socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock,
    ):
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert json.loads(body) == {
        "error": "This is not an HTTP/1.1 request, or its head is over 16 KiB.",
        "code": "web.not_http",
        "params": {"kib": "16"},
    }
    assert messages(served.logged) == []  # a stranger cannot fill the log


def test_a_tls_handshake_that_never_comes_is_cut_off(
    web: WebApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "HANDSHAKE_S", 1.0)  # 10 s in use
    cert, key = self_signed(tmp_path)
    guard = ConnectionGuard()
    with serving_app(web, guard, tls_cert=str(cert), tls_key=str(key)) as served:
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            assert sock.recv(1024) == b""  # no ClientHello: closed, not held for asyncio's 60 s
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # self-signed
        url = served.url.replace("http:", "https:")
        with httpx.Client(base_url=url, verify=context) as client:
            assert client.get("/").status_code == 200


def test_a_request_still_running_at_the_stop_ends_quietly() -> None:
    """Not only live streams: whatever still runs when the server stops is dropped, unlogged."""
    stopping = [False]
    started = threading.Event()

    async def slow(scope: Any, receive: Any, send: Any) -> None:
        started.set()
        await asyncio.sleep(30)  # an export, say, that is not done yet

    app = EndOnStop(slow, lambda: stopping[0])
    with contextlib.ExitStack() as stack:
        served = stack.enter_context(
            serving(app, lambda: stopping.__setitem__(0, True), ConnectionGuard())
        )
        sock = stack.enter_context(socket.create_connection(("127.0.0.1", served.port), 10))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert started.wait(10)
        asked = time.monotonic()
        stack.pop_all().close()  # stops the server (and closes this end)
        took_s = time.monotonic() - asked
    assert took_s < 5  # a guard only (GRACE_S is 0.5 s)
    assert messages(served.logged) == []
