"""The ASGI app: /api/v1 (JSON, the live stream, the OpenAPI document) and the dashboard."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hanport.i18n import text
from hanport.store.connection import StoreError
from hanport.web.api import DATA_ROUTES, JsonText
from hanport.web.api_accounts import ACCOUNT_ROUTES
from hanport.web.api_alerts import ALERT_ROUTES
from hanport.web.api_costs import COST_ROUTES
from hanport.web.api_ev import EV_ROUTES
from hanport.web.api_quality import QUALITY_ROUTES
from hanport.web.api_summary import SUMMARY_ROUTES
from hanport.web.assets import Assets
from hanport.web.context import AppContext
from hanport.web.errors import error_body, error_of, request_language
from hanport.web.guards import BodyLimit, EndOnStop, HostCheck, served_names
from hanport.web.live import LIVE_ROUTES
from hanport.web.openapi import openapi_document

__all__ = ["STATIC", "SecurityHeaders", "create_app"]

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


def create_app(context: AppContext) -> ASGIApp:
    document = json.dumps(openapi_document())
    assets = Assets(STATIC)

    async def openapi(request: Request) -> Response:
        return JsonText(document)

    async def static(request: Request) -> Response:
        return assets.response(request, request.path_params["name"])

    routes = [
        *ACCOUNT_ROUTES,
        *DATA_ROUTES,
        *ALERT_ROUTES,
        *LIVE_ROUTES,
        *COST_ROUTES,
        *SUMMARY_ROUTES,
        *EV_ROUTES,
        *QUALITY_ROUTES,
        Route("/api/v1/openapi.json", openapi),
        Route("/", _page(assets, "index.html")),
        Route("/manifest.webmanifest", _page(assets, "manifest.webmanifest")),
        Route("/sw.js", _page(assets, "sw.js")),
        Route("/static/{name:path}", static),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: _http_error,
            ClientDisconnect: _gone,
            ConnectionError: _Unavailable(),
            Exception: _server_error,
        },
    )
    app.state.hanport = context
    web = context.web
    checked = HostCheck(BodyLimit(app), served_names(web))
    headed = SecurityHeaders(checked, hsts=web.tls)
    return EndOnStop(headed, lambda: context.stopping)


def _page(assets: Assets, name: str) -> Callable[[Request], Awaitable[Response]]:
    async def page(request: Request) -> Response:
        return assets.response(request, name)

    return page


async def _http_error(request: Request, error: Exception) -> Response:
    """Every API error as `{"error": sentence, "code": code, "params": {…}}`, in the request's
    language (hanport.web.errors)."""
    assert isinstance(error, HTTPException)
    language = request_language(request)
    body = json.dumps(error_of(error, language, request.url.path, request.method))
    return JsonText(body, status_code=error.status_code, headers=error.headers)


async def _gone(request: Request, error: Exception) -> Response:
    """The client went away (or missed a deadline) before its request arrived: nobody to tell."""
    return Response(status_code=400)


class _Unavailable:
    """A store that cannot be reached (PostgreSQL stopped, a network cut; the store connects again
    at the next request): 503 with one sentence, and in the log one sentence (no traceback) at
    most every `SAY_EVERY_S`. Any other `ConnectionError` is an internal error."""

    SAY_EVERY_S = 60.0

    def __init__(self) -> None:
        self._said = -self.SAY_EVERY_S

    async def __call__(self, request: Request, error: Exception) -> Response:
        if not isinstance(error, StoreError):
            return await _server_error(request, error)
        reason = str(error.params.get("error", error))
        now = time.monotonic()
        if now - self._said >= self.SAY_EVERY_S:
            self._said = now
            log.warning("%s", text("web.store_unavailable_log", "en", error=reason))
        sentence = text("web.store_unavailable", request_language(request), error=reason)
        body = error_body("web.store_unavailable", sentence, {"error": reason})
        return JsonText(json.dumps(body), status_code=503, headers={"Retry-After": "5"})


async def _server_error(request: Request, error: Exception) -> Response:
    log.exception("%s", text("web.failed_log", "en", method=request.method, path=request.url.path))
    sentence = text("web.internal", request_language(request))
    return JsonText(json.dumps(error_body("web.internal", sentence, {})), status_code=500)


class SecurityHeaders:
    """Adds the security headers to every response (and HSTS when served over TLS)."""

    def __init__(self, app: ASGIApp, hsts: bool) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", _CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, with_headers)
