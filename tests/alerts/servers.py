"""Real servers on loopback for the channel tests: HTTP (webhook, ntfy, Telegram) and SMTP."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ParamSpec

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from mqtt_broker import free_port, make_tls

USER, PASSWORD = "alerts", "pa55 word"


P = ParamSpec("P")


def run_async(test: Callable[P, Coroutine[object, object, None]]) -> Callable[P, None]:
    """An `async def` test, run in its own event loop."""

    @functools.wraps(test)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpServer:
    """Records every POST; answers with `answers` in turn (then 200 with `body`)."""

    answers: list[tuple[int, bytes]] = field(default_factory=list)
    body: bytes = b'{"ok":true}'
    requests: list[Request] = field(default_factory=list)
    port: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, count: int, timeout: float = 10.0) -> list[Request]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.requests) >= count, timeout), (
                f"{len(self.requests)} requests of {count}"
            )
            return list(self.requests)


@contextmanager
def http_server(answers: list[tuple[int, bytes]] | None = None) -> Iterator[HttpServer]:
    state = HttpServer(answers or [])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with state.changed:
                state.requests.append(Request(self.path, dict(self.headers.items()), body))
                status, answer = state.answers.pop(0) if state.answers else (200, state.body)
                state.changed.notify_all()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@dataclass
class Mailbox:
    port: int
    ca_file: Path
    mails: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def url(self, password: str = PASSWORD) -> str:
        return f"smtp://{USER}:{password.replace(' ', '%20')}@localhost:{self.port}"

    def wait(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.mails) >= count, timeout)
            return list(self.mails)


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        mail = message_from_bytes(envelope.content, policy=policy.default)
        with self.box.changed:
            self.box.mails.append(mail)
            self.box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.box.changed.notify_all()
        return "250 OK"


def _authenticate(
    server: object, session: object, envelope: object, mechanism: str, data: object
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(directory: Path, starttls: bool = True) -> Iterator[Mailbox]:
    """aiosmtpd on 127.0.0.1 with STARTTLS (a throwaway certificate) and AUTH required."""
    import ssl

    tls = make_tls(directory / "smtp-tls", "smtp")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls.cert_file, tls.key_file)
    box = Mailbox(free_port(), tls.ca_file)
    options: dict[str, Any] = {"authenticator": _authenticate, "auth_require_tls": True}
    if starttls:
        options |= {"tls_context": context, "require_starttls": True}
    else:
        options |= {"auth_require_tls": False}
    controller = Controller(
        _Handler(box), hostname="127.0.0.1", port=box.port, server_hostname="localhost", **options
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
