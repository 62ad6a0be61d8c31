"""Signing in and out, the first-start setup, and API tokens."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hanport.web.accounts import AccountError, Session, Token, User
from hanport.web.api import JsonText
from hanport.web.auth import (
    COOKIE,
    DEVICE_COOKIE,
    caller,
    check_same_origin,
    device_cookie,
    end_cookie,
    start_cookie,
)
from hanport.web.context import AppContext, context
from hanport.web.errors import ApiError, error_body, request_language
from hanport.web.limits import Busy, Key, address_key

__all__ = ["ACCOUNT_ROUTES"]

Handler = Callable[[Request], Awaitable[Response]]
T = TypeVar("T")
_DEVICES_PER_BROWSER = 4


async def _session(request: Request) -> Response:
    app = context(request)
    try:
        found = caller(request, app.accounts)
    except ApiError as error:
        if error.status_code != 401:
            raise
        body = {
            **error_body(error.code, error.text(request_language(request)), error.params),
            "setup_needed": app.accounts.count() == 0,
            "setup_code_required": app.setup_code is not None,
        }
        return JsonText(json.dumps(body), status_code=401)
    if found.session is None:
        return JsonText(json.dumps(_user_fields(found.user)))
    return JsonText(_session_json(found.session))


async def _login(request: Request) -> Response:
    """Sign in. Failures count per address and per name, or per device for a browser that
    signed in as this name before (hanport.web.limits), so strangers cannot lock its owner out."""
    app = context(request)
    check_same_origin(request)
    name, password = _credentials(await _json_object(request))
    address = _address(request)
    cookie = request.cookies.get(DEVICE_COOKIE, "")
    device = _trusted(app, cookie, name)
    keys: list[Key] = [("address", address), ("device", device) if device else ("name", name)]
    _refuse_while_locked(app, keys)
    user = await _password_work(app, address, app.accounts.check_password, name, password)
    if user is None:
        app.limiter.failed(keys, time.monotonic())
        raise ApiError(401, "web.sign_in_failed")
    app.limiter.forget(keys if device else keys[:1])
    return _signed_in(app, user, cookie)


async def _setup(request: Request) -> Response:
    """The first start: create the administrator, only while there is no account at all (and,
    when the app listens beyond loopback, with the setup code `hanport run` printed)."""
    app = context(request)
    check_same_origin(request)
    body = await _json_object(request)
    name, password = _credentials(body)
    if app.accounts.count():
        raise ApiError(409, "web.admin_exists")
    if app.setup_code is not None:
        _check_setup_code(app, _address(request), body.get("setup_code"))
    async with app.setup_lock:  # two setups at once: the second finds the first's account
        if app.accounts.count():
            raise ApiError(409, "web.admin_exists")
        try:
            user = await _password_work(
                app, _address(request), app.accounts.add_user, name, password, "admin"
            )
        except AccountError as error:
            raise ApiError.of(422, error) from None
        if app.setup_code is not None:
            app.setup_code.use()
    response = _signed_in(app, user, request.cookies.get(DEVICE_COOKIE, ""))
    response.status_code = 201
    return response


def _check_setup_code(app: AppContext, address: str, given: object) -> None:
    assert app.setup_code is not None
    keys: list[Key] = [("address", address)]
    _refuse_while_locked(app, keys)
    if app.setup_code.matches(given):
        return
    app.limiter.failed(keys, time.monotonic())
    if not given:
        raise ApiError(403, "web.setup_code_missing")
    raise ApiError(403, "web.setup_code_wrong")


def _refuse_while_locked(app: AppContext, keys: list[Key]) -> None:
    wait = app.limiter.wait_s(keys, time.monotonic())
    if wait > 0:
        seconds = int(wait) + 1
        raise ApiError(429, "web.too_many", {"Retry-After": str(seconds)}, seconds=seconds)


async def _password_work(app: AppContext, address: str, work: Callable[..., T], *args: Any) -> T:
    """`work` (which hashes a password) in a worker thread, when the gate gives it a turn."""
    try:
        async with app.gate.turn(address):
            return await asyncio.to_thread(work, *args)
    except Busy:
        raise ApiError(429, "web.busy", {"Retry-After": "5"}) from None


def _address(request: Request) -> str:
    return address_key(request.client.host if request.client else "?")


def _trusted(app: AppContext, cookie: str, name: str) -> str | None:
    """The id of the device whose cookie says it signed in as `name` before, or None."""
    for secret in cookie.split(".")[:_DEVICES_PER_BROWSER]:
        device = app.accounts.trusted_device(secret, name)
        if device is not None:
            return device
    return None


async def _logout(request: Request) -> Response:
    app = context(request)
    found = caller(request, app.accounts)
    response = Response(status_code=204)
    if found.session is not None:
        app.accounts.close_session(request.cookies[COOKIE])
        end_cookie(response, app.web.tls)
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
        raise ApiError(422, "web.token_name")
    try:
        secret, token = app.accounts.create_token(user, name)
    except AccountError as error:
        raise ApiError.of(422, error) from None
    return JsonText(json.dumps({**_token(token), "token": secret}), status_code=201)


async def _revoke_token(request: Request) -> Response:
    app = context(request)
    user = caller(request, app.accounts).user
    token_id = request.path_params["token_id"]
    if not app.accounts.revoke_token(token_id, None if user.admin else user):
        raise ApiError(404, "web.no_token", id=token_id)
    return Response(status_code=204)


def _signed_in(app: AppContext, user: User, device_cookie_value: str) -> Response:
    """The session (and its cookie), and a device cookie that now also trusts this browser for
    `user` (a shared browser keeps the devices of its last few users)."""
    secret, session = app.accounts.open_session(user)
    response = JsonText(_session_json(session))
    start_cookie(response, secret, session, app.web.tls)
    kept = device_cookie_value.split(".")[:_DEVICES_PER_BROWSER] if device_cookie_value else []
    old = next((s for s in kept if app.accounts.trusted_device(s, user.name)), None)
    others = [s for s in kept if s != old and len(s) <= 64]
    new = app.accounts.trust_device(user, replacing=old)
    device_cookie(response, ".".join([new, *others][:_DEVICES_PER_BROWSER]), app.web.tls)
    return response


def _session_json(session: Session) -> str:
    return json.dumps({**_user_fields(session.user), "csrf": session.csrf})


def _user_fields(user: User) -> dict[str, object]:
    """Who is signed in; `admin` for what an administrator (or an operator) may change, and the
    sites on `hanport server` (empty in the household app)."""
    return {"user": user.name, "role": user.role, "admin": user.admin, "sites": list(user.sites)}


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


def _credentials(body: dict[str, Any]) -> tuple[str, str]:
    name, password = body.get("username"), body.get("password")
    if not isinstance(name, str) or not isinstance(password, str) or not name or not password:
        raise ApiError(422, "web.credentials")
    return name, password


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "web.body_not_json") from None
    except RecursionError:  # "[[[[…": Python's parser gives up, but it is only bad input
        raise ApiError(422, "web.body_nested") from None
    if not isinstance(body, dict):
        raise ApiError(422, "web.body_not_object")
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
