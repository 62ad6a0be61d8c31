"""The EV endpoints of /api/v1: each charger's state and why its limit is what it is, the limits
kept, and (administrators only) the mode and the departure time.

    GET  /api/v1/ev              the control's state (`hanport.ev.status.ev_status`)
    GET  /api/v1/ev/limits       the limits sent, with their reasons (?charger, ?from, ?to)
    POST /api/v1/ev/mode         {"mode": "cheapest", "departure": "06:30"}   admin only
    POST /api/v1/ev/departure    {"departure": "06:30"}                       admin only

The control is the one `hanport run` offers (`view.find(EvControl)`); without it (no `[ev]`
set up) every endpoint answers 404 with a sentence saying how to switch it on.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hanport.settings.values import ConfigError
from hanport.web import params
from hanport.web.api import JsonText
from hanport.web.auth import caller
from hanport.web.context import AppContext, context
from hanport.web.errors import ApiError, request_language

if TYPE_CHECKING:
    from hanport.ev.control import EvControl
    from hanport.ev.limits_log import LimitRecord

__all__ = ["EV_ROUTES", "ev_control"]

_LIMITS_SHOWN = 1000


def ev_control(app: AppContext) -> EvControl | None:
    """The running EV control, if `hanport run` has one."""
    from hanport.ev.control import EvControl

    return app.view.find(EvControl)


async def _state(request: Request) -> Response:
    control = _control(request)
    return _status(control, request)


async def _limits(request: Request) -> Response:
    app = context(request)
    control = _control(request)
    query = request.query_params
    start, end = params.period(query, app.store.zone, timedelta(days=1), timedelta(days=31))
    charger = query.get("charger") or None
    language = request_language(request)
    stored = await asyncio.to_thread(_stored, app, start, end, charger)
    records = _with_recent(stored, control, start, end, charger)
    body = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "limits": [r.as_dict(language) for r in records[-_LIMITS_SHOWN:]],
    }
    return JsonText(json.dumps(body, ensure_ascii=False))


async def _mode(request: Request) -> Response:
    control = _control(request, admin=True)
    body = await _json_object(request)
    mode, departure = body.get("mode"), body.get("departure")
    modes = ", ".join(_modes())
    if not isinstance(mode, str) or ("departure" in body and not isinstance(departure, str)):
        raise ApiError(422, "ev.run.body_mode", modes=modes)
    _change(control, mode, departure)
    return _status(control, request)


async def _departure(request: Request) -> Response:
    control = _control(request, admin=True)
    departure = (await _json_object(request)).get("departure")
    if not isinstance(departure, str):
        raise ApiError(422, "ev.run.body_departure")
    _change(control, control.mode, departure)
    return _status(control, request)


def _change(control: EvControl, mode: str, departure: str | None) -> None:
    try:
        control.set_mode(mode, departure)
    except ConfigError as error:
        raise ApiError.of(422, error) from None


def _stored(
    app: AppContext, start: datetime, end: datetime, charger: str | None
) -> list[LimitRecord]:
    from hanport.ev.records import read_limits

    return read_limits(app.store, start, end, charger)


def _with_recent(
    stored: list[LimitRecord],
    control: EvControl,
    start: datetime,
    end: datetime,
    charger: str | None,
) -> list[LimitRecord]:
    """The stored limits, and those decided since the last write (not stored yet)."""
    newest = stored[-1].at if stored else start
    recent = [
        r
        for r in control.log.latest(_LIMITS_SHOWN, charger)
        if newest < r.at < end and r not in stored
    ]
    return stored + recent


def _control(request: Request, admin: bool = False) -> EvControl:
    app = context(request)
    caller(request, app.accounts, admin=admin)
    control = ev_control(app)
    if control is None:
        raise ApiError(404, "ev.run.not_running")
    return control


def _status(control: EvControl, request: Request) -> Response:
    status = control.status(request_language(request), datetime.now(UTC))
    return JsonText(json.dumps(status, ensure_ascii=False))


def _modes() -> tuple[str, ...]:
    from hanport.ev.settings import MODES

    return MODES


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "web.body_not_json") from None
    except RecursionError:
        raise ApiError(422, "web.body_nested") from None
    if not isinstance(body, dict):
        raise ApiError(422, "web.body_not_object")
    return body


EV_ROUTES = [
    Route("/api/v1/ev", _state),
    Route("/api/v1/ev/limits", _limits),
    Route("/api/v1/ev/mode", _mode, methods=["POST"]),
    Route("/api/v1/ev/departure", _departure, methods=["POST"]),
]
