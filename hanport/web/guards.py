"""The ASGI layers in front of the app: the Host check, the body limit, and a quiet stop.

**Host.** A page on evil.example can make its name resolve to this machine's address (DNS
rebinding) and then talk to the app as if it were its own site, Origin and all; only the Host
header gives it away. So the app answers only to the names it is served under: loopback names,
this machine's host name (also with `.local`, `.lan`, `.home`, `.home.arpa`, `.internal`), the
names in `[web] hosts`, and any IP address (an address cannot be rebound: a page can only be at
it by being served from it).
Others get 421 with a sentence saying where to add the name.

**Body.** No endpoint takes more than a small JSON object, so a body over `MAX_BODY_BYTES` is
refused with 413 before it is read: at once when Content-Length says so, or as soon as a
chunked body passes the limit. Either way the connection is closed, so the rest is not read.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable, Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hanport.web.errors import ApiError, error_json, language_of
from hanport.web.settings import WebSettings

__all__ = ["MAX_BODY_BYTES", "BodyLimit", "EndOnStop", "HostCheck", "served_names"]

MAX_BODY_BYTES = 64 * 1024
_LOOPBACK_NAMES = ("localhost", "localhost.localdomain")
_HOME_SUFFIXES = (".local", ".lan", ".home", ".home.arpa", ".internal", ".localdomain")
"""Suffixes home routers and mDNS give a machine's name. None can be registered on the public
internet, so a rebinding page cannot be served under one."""


def served_names(web: WebSettings) -> set[str]:
    """The host names (besides IP addresses) the app answers to."""
    machine = socket.gethostname().lower().rstrip(".")
    short = machine.split(".", 1)[0]
    names = {*_LOOPBACK_NAMES, *web.hosts}
    if short:
        names |= {machine, short, *(short + suffix for suffix in _HOME_SUFFIXES)}
    return names


class HostCheck:
    def __init__(self, app: ASGIApp, names: Iterable[str]) -> None:
        self.app = app
        names = {name.lower() for name in names}
        self._exact = {name for name in names if not name.startswith(".")}
        self._suffixes = tuple(name for name in names if name.startswith("."))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if not host:
            await _refuse(scope, send, 400, "web.no_host")
        elif not self.allows(host):
            name = _host_name(host)[:100]
            await _refuse(scope, send, 421, "web.wrong_host", name=name)
        else:
            await self.app(scope, receive, send)

    def allows(self, host: str) -> bool:
        name = _host_name(host)
        if _is_address(name) or name in self._exact:
            return True
        return any(name.endswith(suffix) or name == suffix[1:] for suffix in self._suffixes)


def _host_name(host: str) -> str:
    """The name in a Host header: without the port or an IPv6 address's brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    name, colon, port = host.rpartition(":")
    if colon and port.isdigit() and ":" not in name:
        host = name
    return host.rstrip(".")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > self.max_bytes):
            await _refuse(scope, send, 413, "web.body_too_large", close=True, kib=self.kib)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise ApiError(413, "web.body_too_large", {"Connection": "close"}, kib=self.kib)
            return message

        await self.app(scope, limited, send)

    @property
    def kib(self) -> int:
        return self.max_bytes // 1024


class EndOnStop:
    """While the server stops, what it still runs is cancelled: that is the end, not an error.

    uvicorn reports a request task it cancels as an "Exception in ASGI application" with a
    traceback; the server (web.server) drops such connections first and this layer lets their
    tasks end quietly. An error the app has already answered (500, logged in one line by its
    handler) is not raised again either, so uvicorn does not log it a second time.
    """

    def __init__(self, app: ASGIApp, stopping: Callable[[], bool]) -> None:
        self.app = app
        self.stopping = stopping

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except asyncio.CancelledError:
            if not self.stopping():
                raise
        except Exception:
            if not started:
                raise


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


async def _refuse(
    scope: Scope, send: Send, status: int, code: str, close: bool = False, **params: object
) -> None:
    """Answer below the app (no route ran): the error in the request's language."""
    headers_in = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
    language = language_of(headers_in, scope.get("query_string", b"").decode("latin-1"))
    body = error_json(code, language, **params)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
