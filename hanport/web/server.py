"""Serving the app inside `hanport run`: uvicorn on a socket bound before the reader starts."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import ssl
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import uvicorn

from hanport.codec.decoder import Decoder
from hanport.config import Settings
from hanport.hub import Hub
from hanport.reader import ReaderState
from hanport.setting_values import ConfigError
from hanport.store.sqlite import SqliteStore
from hanport.web.accounts import Accounts
from hanport.web.settings import is_loopback

__all__ = ["bind", "serve_app"]

log = logging.getLogger(__name__)


def bind(settings: Settings, database: str) -> socket.socket:
    """The app's listening socket, after checking that it may listen there.

    Another address than loopback needs at least one account (`hanport user add`), so that a
    fresh install never offers its first-start page to the whole network.
    """
    web = settings.web
    if web.tls_cert and web.tls_key:
        _check_tls(web.tls_cert, web.tls_key)
    if not is_loopback(web.listen):
        accounts = Accounts(database)
        try:
            if accounts.count() == 0:
                raise ConfigError(
                    f"The app would listen on {web.listen}, beyond this machine, and has no "
                    "account yet; create one with 'hanport user add NAME' first (or keep "
                    "web.listen = 127.0.0.1)."
                )
        finally:
            accounts.close()
    family = socket.AF_INET6 if ":" in web.listen else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((web.listen, web.port))
    except OSError as error:
        sock.close()
        reason = "another program uses it" if error.errno == errno.EADDRINUSE else error.strerror
        raise ConfigError(
            f"The app cannot listen on {web.listen}:{web.port} ({reason}); stop that program or "
            "choose another port with --port or web.port."
        ) from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _check_tls(cert: str, key: str) -> None:
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as error:
        raise ConfigError(
            f"The TLS certificate {cert} and key {key} (web.tls_cert, web.tls_key) cannot be "
            f"used: {error}."
        ) from None


async def serve_app(
    hub: Hub,
    state: ReaderState,
    settings: Settings,
    database: str,
    decoder: Decoder | None,
    sock: socket.socket,
) -> None:
    """Serve until cancelled; then close connections (live streams too) within a second."""
    from hanport.web.app import create_app
    from hanport.web.context import AppContext

    store = SqliteStore(database, ZoneInfo(settings.timezone))
    accounts = Accounts(database, settings.web.session_days)
    context = AppContext(hub, state, settings, store, accounts, decoder)
    config = uvicorn.Config(
        create_app(context),
        log_level="warning",
        access_log=False,
        ssl_certfile=settings.web.tls_cert,
        ssl_keyfile=settings.web.tls_key,
        timeout_graceful_shutdown=1,
        lifespan="off",
        date_header=False,
    )
    server = _Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        await asyncio.shield(serving)
    finally:
        server.stop()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(3):
                await asyncio.gather(serving, return_exceptions=True)
        sock.close()
        store.close()
        accounts.close()


class _Server(uvicorn.Server):
    """uvicorn's server without its signal handlers (`hanport run` handles SIGINT/SIGTERM) and
    without its ten wake-ups a second (they kept the Date header fresh and looked for the exit
    flag, and cost several % of a core on a small machine): it waits for `stop()`."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._stop = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def main_loop(self) -> None:
        self.server_state.default_headers = list(self.config.encoded_headers)
        await self._stop.wait()

    def stop(self) -> None:
        self.should_exit = True
        self._stop.set()
