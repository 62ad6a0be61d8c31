"""The live stream: Server-Sent Events with each reading as it is decoded, and the status.

Each browser gets its own small hub subscription, so a slow phone on a bad network drops its own
oldest readings and never holds up the reader, the store or another browser. When `hanport run`
stops, every stream ends at once (AppContext.stop_streams), so the stop never waits for them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from hanport.grid import Site
from hanport.model import Reading
from hanport.output import reading_json
from hanport.runtime.hub import Subscription
from hanport.web.auth import caller
from hanport.web.context import AppContext, context
from hanport.web.errors import ApiError
from hanport.web.grid import grid_json
from hanport.web.scope import SCOPE

__all__ = ["LIVE_ROUTES"]

STATUS_EVERY_S = 5.0


async def _stream(request: Request) -> Response:
    app = context(request)
    caller(request, app.accounts)
    if app.stopping:
        raise ApiError(503, "web.stopping")
    scope = SCOPE.get()
    subscription = app.hub.subscribe("browser", 50, None if scope is None else scope.sites)
    ended = asyncio.Event()
    app.streams.add(ended)
    return StreamingResponse(
        _events(app, subscription, ended),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(
    app: AppContext, subscription: Subscription, ended: asyncio.Event
) -> AsyncIterator[str]:
    try:
        yield "retry: 2000\n\n"
        yield _event("status", app.status_json())
        if app.hub.latest is not None:
            yield _reading_event(app.hub.latest, app.settings.site)
        while not ended.is_set():
            reading = await _next_reading(subscription, ended)
            if reading is not None:
                yield _reading_event(reading, app.settings.site)
            elif not ended.is_set():
                yield _event("status", app.status_json())
    finally:
        app.streams.discard(ended)
        app.hub.unsubscribe(subscription)


async def _next_reading(subscription: Subscription, ended: asyncio.Event) -> Reading | None:
    """The next reading; None after STATUS_EVERY_S without one, or when the stream ends."""
    reading = asyncio.ensure_future(subscription.get())
    end = asyncio.ensure_future(ended.wait())
    try:
        await asyncio.wait({reading, end}, timeout=STATUS_EVERY_S, return_when="FIRST_COMPLETED")
    finally:
        end.cancel()
        if not reading.done():
            reading.cancel()
    return reading.result() if reading.done() and not reading.cancelled() else None


def _reading_event(reading: Reading, site: Site) -> str:
    """The reading and the grid's verdicts on it (the app draws them as they come)."""
    meter = json.dumps(reading.meter_id or "")
    grid = json.dumps(grid_json(site, reading))
    return _event("reading", f'{{"meter":{meter},"reading":{reading_json(reading)},"grid":{grid}}}')


def _event(name: str, data: str) -> str:
    return f"event: {name}\ndata: {data}\n\n"


LIVE_ROUTES = [Route("/api/v1/stream", _stream)]
