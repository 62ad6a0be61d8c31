"""The live stream: Server-Sent Events with each reading as it is decoded, and the status.

Each browser gets its own small hub subscription, so a slow phone on a bad network drops its own
oldest readings and never holds up the reader, the store or another browser.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from hanport.hub import Subscription
from hanport.model import Reading
from hanport.output import reading_json
from hanport.web.auth import caller
from hanport.web.context import AppContext, context

__all__ = ["LIVE_ROUTES"]

STATUS_EVERY_S = 5.0


async def _stream(request: Request) -> Response:
    app = context(request)
    caller(request, app.accounts)
    subscription = app.hub.subscribe("browser", 50)
    return StreamingResponse(
        _events(app, subscription),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(app: AppContext, subscription: Subscription) -> AsyncIterator[str]:
    try:
        yield "retry: 2000\n\n"
        yield _event("status", app.status_json())
        if app.hub.latest is not None:
            yield _reading_event(app.hub.latest)
        while True:
            try:
                async with asyncio.timeout(STATUS_EVERY_S):
                    reading = await subscription.get()
            except TimeoutError:
                yield _event("status", app.status_json())
                continue
            yield _reading_event(reading)
    finally:
        app.hub.unsubscribe(subscription)


def _reading_event(reading: Reading) -> str:
    meter = json.dumps(reading.meter_id or "")
    return _event("reading", f'{{"meter":{meter},"reading":{reading_json(reading)}}}')


def _event(name: str, data: str) -> str:
    return f"event: {name}\ndata: {data}\n\n"


LIVE_ROUTES = [Route("/api/v1/stream", _stream)]
