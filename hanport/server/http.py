"""`/healthz` (JSON, 503 until the stream is there and every worker runs; 200 with status
`degraded` while the database refuses readings: ingest waits in the stream, nothing to restart)
and `/metrics`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

if TYPE_CHECKING:
    from hanport.server.run import Server

__all__ = ["make_app"]


def make_app(server: Server, web: ASGIApp | None = None) -> Starlette:
    """/healthz and /metrics, and the app and its API (`web`, hanport.web.tenant) beside them."""

    async def healthz(request: Request) -> Response:
        pids = server.workers.pids
        client = server.client
        connected = client is not None and client.is_connected
        ok = server.ready and connected and len(pids) == server.settings.workers
        database = server.database_ok
        body = {
            "status": ("ok" if database else "degraded") if ok else "starting",
            "nats": connected,
            "database": database,
            "workers": {str(n): pid for n, pid in pids.items()},
            "ack_floor": server.metrics.ack_floor,
            "pending": server.metrics.pending,
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    async def metrics(request: Request) -> Response:
        return PlainTextResponse(
            server.metrics.prometheus(), media_type="text/plain; version=0.0.4"
        )

    routes: list[Route | Mount] = [Route("/healthz", healthz), Route("/metrics", metrics)]
    if web is not None:
        routes.append(Mount("/", app=web))
    return Starlette(routes=routes)
