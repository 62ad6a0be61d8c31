"""Who is asking: a session cookie (the browser) or a bearer token (scripts, Home Assistant).

Requests that change something and come with the cookie must carry the session's CSRF token in
`X-CSRF-Token`; a token in `Authorization` is not sent by browsers on their own, so it needs
none. Logging in and the first-start setup accept only JSON bodies from the same origin (the
Host header itself is checked by web.guards.HostCheck). A sign-in also leaves a long-lived
device cookie, sent only to the sign-in endpoint, by which hanport.web.limits knows the browser.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from hanport.web.accounts import DEVICE_DAYS, Accounts, Session, User
from hanport.web.errors import ApiError
from hanport.web.scope import SCOPE, scope_of

__all__ = [
    "COOKIE",
    "DEVICE_COOKIE",
    "Caller",
    "caller",
    "check_same_origin",
    "device_cookie",
    "end_cookie",
    "start_cookie",
]

COOKIE = "hanport_session"
DEVICE_COOKIE = "hanport_device"
_SIGN_IN_PATH = "/api/v1/session"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Caller:
    user: User
    session: Session | None = None
    """None when the caller used an API token."""


def caller(request: Request, accounts: Accounts, admin: bool = False) -> Caller:
    """The authenticated caller, or a 401/403 `ApiError` with a plain sentence."""
    found = _from_token(request, accounts) or _from_cookie(request, accounts)
    if found is None:
        raise ApiError(401, "web.sign_in")
    if found.session is not None and request.method in _UNSAFE:
        sent = request.headers.get("x-csrf-token")
        if sent != found.session.csrf:
            raise ApiError(403, "web.csrf")
    if admin and not found.user.admin:
        raise ApiError(403, "web.admin_only")
    SCOPE.set(scope_of(found.user.role, found.user.sites))
    return found


def _from_token(request: Request, accounts: Accounts) -> Caller | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "web.bearer_form")
    user = accounts.token_user(secret.strip())
    if user is None:
        raise ApiError(401, "web.token_invalid")
    return Caller(user)


def _from_cookie(request: Request, accounts: Accounts) -> Caller | None:
    secret = request.cookies.get(COOKIE)
    if not secret:
        return None
    session = accounts.session(secret)
    return Caller(session.user, session) if session is not None else None


def check_same_origin(request: Request) -> None:
    """Refuse cross-site form posts: JSON only, and an Origin (if sent) of this very host."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ApiError(415, "web.json_only")
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise ApiError(403, "web.other_site")


def start_cookie(response: Response, secret: str, session: Session, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        secret,
        max_age=max(int(session.expires - time.time()), 0),
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure,
    )


def end_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=secure)


def device_cookie(response: Response, secret: str, secure: bool) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        secret,
        max_age=DEVICE_DAYS * 86400,
        path=_SIGN_IN_PATH,
        httponly=True,
        samesite="strict",
        secure=secure,
    )
