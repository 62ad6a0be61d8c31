"""The OCPP central system: stations connect to `ws://HOST:PORT/<charge point id>`.

Subprotocols `ocpp2.0.1` and `ocpp1.6` (the first a station offers of these, in that order); a
station that offers neither is refused in the handshake. A listed charger with a password must
send it with HTTP Basic auth, user name = its charge point id (OCPP security profile 1; over TLS,
with `ssl`, profile 2); a wrong or missing password gets 401. A station that is not listed is
accepted with the site's defaults and the fuse guard on. Each connected station joins the fleet
until it disconnects; its standing fallback then keeps it safe.
"""

from __future__ import annotations

import asyncio
import hmac
import http
import logging
import ssl
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Protocol
from urllib.parse import unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed, InvalidHeader
from websockets.headers import build_www_authenticate_basic, parse_authorization_basic
from websockets.http11 import Request, Response

from hanport.ev.charger import Fleet
from hanport.ev.charger_settings import ChargerSettings
from hanport.ev.errors import EvError
from hanport.ev.ocpp_link import StationLink
from hanport.ev.profiles import Strategy
from hanport.ev.wording import say

__all__ = ["SUBPROTOCOLS", "OcppServer", "charge_point_id", "tls_context"]

log = logging.getLogger(__name__)

SUBPROTOCOLS = ("ocpp2.0.1", "ocpp1.6")


class _Station(Protocol):
    id: str

    async def start(self) -> None: ...

    async def configure(self) -> None: ...


REALM = "hanport OCPP"


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """A server context for wss:// (OCPP security profile 2) from a certificate and its key."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context


def charge_point_id(path: str) -> str:
    """The last part of the URL path: `/ocpp/garage` → `garage`."""
    return unquote(urlsplit(path).path.rstrip("/").rpartition("/")[2])


class OcppServer:
    def __init__(
        self,
        host: str,
        port: int,
        fleet: Fleet,
        *,
        chargers: Mapping[str, ChargerSettings] | None = None,
        failsafe_a: Decimal = Decimal(0),
        ssl_context: ssl.SSLContext | None = None,
        heartbeat_s: int = 60,
        ttl_s: float | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.fleet = fleet
        self.chargers = dict(chargers or {})
        self.failsafe_a = failsafe_a
        self.ssl_context = ssl_context
        self.heartbeat_s = heartbeat_s
        self.ttl_s = ttl_s
        self._server: Server | None = None

    async def run(self, started: Callable[[int], None] | None = None) -> None:
        """Serve until cancelled; `started` gets the port (useful with port 0)."""
        try:
            server = await serve(
                self._connected,
                self.host,
                self.port,
                subprotocols=list(SUBPROTOCOLS),  # type: ignore[arg-type]
                process_request=self._authorize,
                ssl=self.ssl_context,
                ping_interval=30,
            )
        except OSError as error:
            address = f"{self.host}:{self.port}"
            raise EvError("ev.error.ocpp_listen", address=address, detail=str(error)) from None
        self._server = server
        async with server:
            if started is not None:
                started(server.sockets[0].getsockname()[1])
            await server.serve_forever()

    def _authorize(self, connection: ServerConnection, request: Request) -> Response | None:
        charger_id = charge_point_id(request.path)
        if not charger_id:
            return connection.respond(
                http.HTTPStatus.NOT_FOUND, "The URL must end in the charge point id.\n"
            )
        listed = self.chargers.get(charger_id)
        if listed is None or listed.password is None:
            return None
        try:
            user, password = parse_authorization_basic(request.headers["Authorization"])
        except (KeyError, InvalidHeader):
            return _unauthorized(connection, "Missing credentials\n")
        if user != charger_id or not hmac.compare_digest(
            password.encode(errors="surrogateescape"), listed.password.encode()
        ):
            log.warning("%s", say("ev.event.ocpp_wrong_password", charger=charger_id))
            return _unauthorized(connection, "Invalid credentials\n")
        return None

    async def _connected(self, connection: ServerConnection) -> None:
        charger_id = charge_point_id(connection.request.path if connection.request else "")
        version = {"ocpp1.6": "1.6", "ocpp2.0.1": "2.0.1"}.get(connection.subprotocol or "")
        if version is None:
            await connection.close(1002, "ocpp1.6 or ocpp2.0.1 subprotocol required")
            return
        listed = self.chargers.get(charger_id)
        strategy: Strategy = (
            "tx" if listed is not None and listed.profiles == "tx" else "station_max"
        )
        link = StationLink(charger_id, version, self.failsafe_a, strategy)
        if self.ttl_s is not None:
            link.ttl_s = self.ttl_s
        station = _station(version, charger_id, connection, link, self.heartbeat_s)
        log.info(say("ev.event.charger_connected", charger=charger_id, detail=f"OCPP {version}"))
        self.fleet.add(link)
        tasks = [asyncio.create_task(station.start()), asyncio.create_task(link.run_sender())]
        tasks.append(asyncio.create_task(_configure(station)))
        try:
            await tasks[0]
        except ConnectionClosed:
            pass
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.fleet.remove(link)
            log.info(say("ev.event.charger_lost", charger=charger_id))


def _station(
    version: str, charger_id: str, connection: ServerConnection, link: StationLink, heartbeat_s: int
) -> _Station:
    if version == "1.6":
        from hanport.ev.ocpp16 import Station16

        return Station16(charger_id, connection, link, heartbeat_s)
    from hanport.ev.ocpp201 import Station201

    return Station201(charger_id, connection, link, heartbeat_s)


async def _configure(station: _Station) -> None:
    try:
        await station.configure()
    except Exception as error:  # a station may refuse or not know these settings
        log.info("%s", say("ev.event.ocpp_kept_settings", charger=station.id, detail=error))


def _unauthorized(connection: ServerConnection, body: str) -> Response:
    response = connection.respond(http.HTTPStatus.UNAUTHORIZED, body)
    response.headers["WWW-Authenticate"] = build_www_authenticate_basic(REALM)
    return response
