"""Signing in and out, the first-start setup, and API tokens."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hanport.web.accounts import AccountError, Session, Token
from hanport.web.api import JsonText
from hanport.web.auth import COOKIE, caller, check_same_origin, end_cookie, start_cookie
from hanport.web.context import AppContext, context

__all__ = ["ACCOUNT_ROUTES"]

Handler = Callable[[Request], Awaitable[Response]]


async def _session(request: Request) -> Response:
    app = context(request)
    try:
        found = caller(request, app.accounts)
    except HTTPException as error:
        if error.status_code != 401:
            raise
        body = {"error": error.detail, "setup_needed": app.accounts.count() == 0}
        return JsonText(json.dumps(body), status_code=401)
    if found.session is None:
        return JsonText(json.dumps({"user": found.user.name, "role": found.user.role}))
    return JsonText(_session_json(found.session))


async def _login(request: Request) -> Response:
    app = context(request)
    check_same_origin(request)
    name, password = await _credentials(request)
    address = request.client.host if request.client else "?"
    wait = app.limiter.wait_s(address, name, time.monotonic())
    if wait > 0:
        raise HTTPException(
            429,
            f"Too many failed sign-ins; try again in {int(wait) + 1} seconds.",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    user = await asyncio.to_thread(app.accounts.check_password, name, password)
    if user is None:
        app.limiter.failed(address, name, time.monotonic())
        raise HTTPException(401, "Wrong user name or password.")
    app.limiter.succeeded(address)
    return _signed_in(app, *app.accounts.open_session(user))


async def _setup(request: Request) -> Response:
    """The first start: create the administrator, only while there is no account at all."""
    app = context(request)
    check_same_origin(request)
    name, password = await _credentials(request)
    if app.accounts.count():
        raise HTTPException(409, "The administrator exists already; sign in instead.")
    try:
        user = await asyncio.to_thread(app.accounts.add_user, name, password, "admin")
    except AccountError as error:
        raise HTTPException(422, str(error)) from None
    response = _signed_in(app, *app.accounts.open_session(user))
    response.status_code = 201
    return response


async def _logout(request: Request) -> Response:
    app = context(request)
    found = caller(request, app.accounts)
    response = Response(status_code=204)
    if found.session is not None:
        app.accounts.close_session(request.cookies[COOKIE])
        end_cookie(response, app.settings.web.tls)
    return response


async def _tokens(request: Request) -> Response:
    app = context(request)
    user = caller(request, app.accounts).user
    tokens = app.accounts.tokens(None if user.admin else user)
    return JsonText(json.dumps({"tokens": [_token(t) for t in tokens]}))


async def _create_token(request: Request) -> Response:
    app = context(request)
    user = caller(request, app.accounts).user
    body = await _json_object(request)
    name = body.get("name")
    if not isinstance(name, str):
        raise HTTPException(422, 'Give the token a name, e.g. {"name": "Home Assistant"}.')
    try:
        secret, token = app.accounts.create_token(user, name)
    except AccountError as error:
        raise HTTPException(422, str(error)) from None
    return JsonText(json.dumps({**_token(token), "token": secret}), status_code=201)


async def _revoke_token(request: Request) -> Response:
    app = context(request)
    user = caller(request, app.accounts).user
    token_id = request.path_params["token_id"]
    if not app.accounts.revoke_token(token_id, None if user.admin else user):
        raise HTTPException(404, f"There is no token {token_id} of yours.")
    return Response(status_code=204)


def _signed_in(app: AppContext, secret: str, session: Session) -> Response:
    response = JsonText(_session_json(session))
    start_cookie(response, secret, session, app.settings.web.tls)
    return response


def _session_json(session: Session) -> str:
    return json.dumps({"user": session.user.name, "role": session.user.role, "csrf": session.csrf})


def _token(token: Token) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "user": token.user,
        "created": _iso(token.created),
        "last_used": _iso(token.last_used) if token.last_used is not None else None,
    }


def _iso(moment: int) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat()


async def _credentials(request: Request) -> tuple[str, str]:
    body = await _json_object(request)
    name, password = body.get("username"), body.get("password")
    if not isinstance(name, str) or not isinstance(password, str) or not name or not password:
        raise HTTPException(422, 'Send {"username": …, "password": …} as JSON.')
    return name, password


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(422, "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise HTTPException(422, "The body must be a JSON object.")
    return body


def _by_method(**handlers: Handler) -> Handler:
    """One endpoint for several methods, so a 405 names them all in its Allow header."""

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return endpoint


ACCOUNT_ROUTES = [
    Route(
        "/api/v1/session",
        _by_method(GET=_session, POST=_login, DELETE=_logout),
        methods=["GET", "POST", "DELETE"],
    ),
    Route("/api/v1/setup", _setup, methods=["POST"]),
    Route("/api/v1/tokens", _by_method(GET=_tokens, POST=_create_token), methods=["GET", "POST"]),
    Route("/api/v1/tokens/{token_id:int}", _revoke_token, methods=["DELETE"]),
]
