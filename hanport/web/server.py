"""Serving the app: uvicorn on a socket bound before the reader starts, with its guards."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import ssl
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from hanport.i18n.catalogue import Message
from hanport.settings.values import ConfigError
from hanport.web.connections import MAX_HEAD_BYTES, ConnectionGuard, guarded_protocol
from hanport.web.settings import WebSettings, is_loopback
from hanport.web.setup_code import issue_setup_code, setup_code_for

__all__ = ["bind", "serve", "setup_code"]

GRACE_S = 0.5
"""At a stop, requests still running after this long are dropped."""
HANDSHAKE_S = 10.0
_SPARE_FILES = 64
"""Open files kept for the database, the meter, MQTT and the rest besides the connections."""

log = logging.getLogger(__name__)


def bind(web: WebSettings) -> socket.socket:
    """The app's listening socket, after checking that it may listen there.

    Beyond loopback the socket gets a one-time setup code (`setup_code_for`): while no account
    exists, creating the first one needs it, and `hanport run` prints it.
    """
    if web.tls_cert and web.tls_key:
        _check_tls(web.tls_cert, web.tls_key)
    family = socket.AF_INET6 if ":" in web.listen else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((web.listen, web.port))
    except OSError as error:
        sock.close()
        why: object = (
            Message("web.address_in_use") if error.errno == errno.EADDRINUSE else error.strerror
        )
        raise ConfigError(
            "web.cannot_listen", address=f"{web.listen}:{web.port}", why=why
        ) from None
    sock.listen(128)
    sock.setblocking(False)
    if not is_loopback(web.listen):
        issue_setup_code(sock)
    return sock


def setup_code(listener: socket.socket) -> str | None:
    """The one-time setup code for `hanport run` to print (None on loopback: none needed)."""
    code = setup_code_for(listener)
    return code.text if code is not None else None


def _check_tls(cert: str, key: str) -> None:
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as error:
        raise ConfigError("web.tls_unusable", cert=cert, key=key, why=error) from None


async def serve(
    app: ASGIApp,
    sock: socket.socket,
    web: WebSettings,
    stopping: Callable[[], None],
    guard: ConnectionGuard | None = None,
) -> None:
    """Serve `app` on `sock` until cancelled; `stopping` is called first when it stops."""
    guard = ConnectionGuard() if guard is None else guard
    guard.cap = _room_for(guard.cap)
    config = uvicorn.Config(
        app,
        http=guarded_protocol(guard),
        ws="none",  # no WebSocket endpoints: an upgrade would bypass the guard
        log_level="error",  # a hostile request is answered, not written to the log
        access_log=False,
        ssl_certfile=web.tls_cert,
        ssl_keyfile=web.tls_key,
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        lifespan="off",
        date_header=False,
    )
    server = _Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        await asyncio.shield(serving)
    finally:
        stopping()
        server.stop()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(3):
                await asyncio.gather(serving, return_exceptions=True)


def _room_for(connections: int) -> int:
    """How many connections fit in the open-file limit (raised toward its maximum if needed)."""
    try:
        import resource
    except ImportError:  # not on Unix
        return connections
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + _SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
    if soft == resource.RLIM_INFINITY:
        return connections
    return min(connections, max(16, soft - _SPARE_FILES))


class _Server(uvicorn.Server):
    """uvicorn's server without its signal handlers (`hanport run` handles SIGINT/SIGTERM),
    without its ten wake-ups a second (they kept the Date header fresh and looked for the exit
    flag, and cost several % of a core on a small machine): it waits for `stop()`; with a
    deadline for TLS handshakes; and a stop that never reports the requests it ends."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._stop = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        config = self.config
        loop = asyncio.get_running_loop()

        def protocol() -> asyncio.Protocol:
            made: asyncio.Protocol = config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state={}, _loop=loop
            )
            return made

        handshake_s = HANDSHAKE_S if config.ssl else None
        self.servers = [
            await loop.create_server(
                protocol,
                sock=sock,
                ssl=config.ssl,
                backlog=config.backlog,
                ssl_handshake_timeout=handshake_s,
            )
            for sock in sockets or []
        ]
        self.started = True

    async def main_loop(self) -> None:
        self.server_state.default_headers = list(self.config.encoded_headers)
        await self._stop.wait()

    def stop(self) -> None:
        self.should_exit = True
        self._stop.set()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Stop listening, close idle connections, give running requests `GRACE_S`, then drop
        their connections and end their tasks (web.guards.EndOnStop keeps that quiet)."""
        for server in self.servers:
            server.close()
        connections: set[Any] = self.server_state.connections
        for connection in list(connections):
            connection.shutdown()
        tasks = self.server_state.tasks
        if tasks:
            await asyncio.wait(set(tasks), timeout=GRACE_S)
        for connection in list(connections):
            connection.transport.abort()
        await asyncio.sleep(0)  # their connection_lost: the tasks see a disconnect
        for task in list(tasks):
            task.cancel()
        if tasks:
            await asyncio.wait(set(tasks), timeout=GRACE_S)
