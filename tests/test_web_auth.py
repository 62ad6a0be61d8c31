"""Accounts, sessions, CSRF, tokens and the login limit, through the real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient
from webapp import PASSWORD, WebApp, make_app

from hanport.web.accounts import AccountError, Accounts, hash_password, verify_password
from hanport.web.limits import LoginLimiter

PROTECTED = [
    "/api/v1/meters",
    "/api/v1/readings/latest",
    "/api/v1/readings",
    "/api/v1/series",
    "/api/v1/energy",
    "/api/v1/status",
    "/api/v1/fields",
    "/api/v1/export",
    "/api/v1/stream",
    "/api/v1/tokens",
]


@pytest.fixture
def web(tmp_path: Path) -> WebApp:
    return make_app(tmp_path / "app.db", hours=1.2)


def setup_admin(client: TestClient) -> str:
    answer = client.post("/api/v1/setup", json={"username": "admin", "password": PASSWORD})
    assert answer.status_code == 201
    csrf: str = answer.json()["csrf"]
    return csrf


@pytest.mark.parametrize("path", PROTECTED)
def test_no_credentials_is_401_with_a_plain_sentence(web: WebApp, path: str) -> None:
    answer = TestClient(web.app).get(path)
    assert answer.status_code == 401
    assert answer.json() == {"error": "Sign in, or send an API token as 'Authorization: Bearer …'."}


def test_first_start_setup_then_sign_in_and_out(web: WebApp) -> None:
    client = TestClient(web.app)
    before = client.get("/api/v1/session")
    assert before.status_code == 401
    assert before.json()["setup_needed"] is True
    csrf = setup_admin(client)
    cookie = client.cookies.get("hanport_session")
    assert cookie
    session = client.get("/api/v1/session").json()
    assert session == {"user": "admin", "role": "admin", "csrf": csrf}
    again = client.post("/api/v1/setup", json={"username": "eve", "password": PASSWORD})
    assert again.status_code == 409  # the setup page is gone once an account exists
    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/status").status_code == 401
    stranger = TestClient(web.app)
    stranger.cookies.set("hanport_session", cookie)
    assert stranger.get("/api/v1/status").status_code == 401  # the old cookie is dead
    login = client.post("/api/v1/session", json={"username": "admin", "password": PASSWORD})
    assert login.status_code == 200
    header = login.headers["set-cookie"].lower()
    assert "httponly" in header
    assert "samesite=strict" in header
    assert "secure" not in header  # plain HTTP on loopback; TLS sets Secure
    assert client.get("/api/v1/status").status_code == 200


def test_setup_refuses_a_short_password(web: WebApp) -> None:
    answer = TestClient(web.app).post("/api/v1/setup", json={"username": "a", "password": "short"})
    assert answer.status_code == 422
    assert "at least 10 characters" in answer.json()["error"]


def test_changes_with_the_cookie_need_the_csrf_header(web: WebApp) -> None:
    client = TestClient(web.app)
    csrf = setup_admin(client)
    refused = client.post("/api/v1/tokens", json={"name": "HA"})
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["error"]
    wrong = client.post("/api/v1/tokens", json={"name": "HA"}, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    made = client.post("/api/v1/tokens", json={"name": "HA"}, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201


def test_cross_site_and_form_logins_are_refused(web: WebApp) -> None:
    client = TestClient(web.app)
    setup_admin(client)
    body = {"username": "admin", "password": PASSWORD}
    evil = client.post("/api/v1/session", json=body, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    form = client.post("/api/v1/session", data=body)
    assert form.status_code == 415


def test_api_tokens_work_until_revoked(web: WebApp) -> None:
    client = TestClient(web.app)
    csrf = setup_admin(client)
    made = client.post(
        "/api/v1/tokens", json={"name": "Home Assistant"}, headers={"X-CSRF-Token": csrf}
    )
    token = made.json()
    assert token["token"].startswith("hp_")
    bearer = TestClient(web.app, headers={"Authorization": f"Bearer {token['token']}"})
    assert bearer.get("/api/v1/status").status_code == 200
    assert bearer.post("/api/v1/tokens", json={"name": "script"}).status_code == 201  # no CSRF
    listed = client.get("/api/v1/tokens").json()["tokens"]
    assert [t["name"] for t in listed] == ["Home Assistant", "script"]
    assert listed[0]["last_used"] is not None
    assert token["token"] not in str(listed)
    path = f"/api/v1/tokens/{token['id']}"
    assert client.delete(path, headers={"X-CSRF-Token": csrf}).status_code == 204
    revoked = bearer.get("/api/v1/status")
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["error"]
    malformed = TestClient(web.app, headers={"Authorization": "Basic abc"}).get("/api/v1/status")
    assert malformed.status_code == 401


def test_another_users_token_is_out_of_reach(web: WebApp) -> None:
    accounts = web.context.accounts
    admin = accounts.add_user("admin", PASSWORD)
    viewer = accounts.add_user("guest", PASSWORD, "viewer")
    _, admins_token = accounts.create_token(admin, "admin's")
    guest_secret, _ = accounts.create_token(viewer, "guest's")
    guest = TestClient(web.app, headers={"Authorization": f"Bearer {guest_secret}"})
    assert [t["name"] for t in guest.get("/api/v1/tokens").json()["tokens"]] == ["guest's"]
    assert guest.delete(f"/api/v1/tokens/{admins_token.id}").status_code == 404
    assert [t.name for t in accounts.tokens()] == ["admin's", "guest's"]  # still there
    accounts.remove_user("guest")
    assert guest.get("/api/v1/status").status_code == 401  # a removed user's token dies


def test_an_expired_session_is_401(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    web = make_app(tmp_path / "app.db", hours=0.1, clock=lambda: now[0])
    client = TestClient(web.app)
    setup_admin(client)
    now[0] += 13 * 86400
    assert client.get("/api/v1/status").status_code == 200  # used: extended
    now[0] += 13 * 86400
    assert client.get("/api/v1/status").status_code == 200
    now[0] += 15 * 86400  # unused for longer than 14 days
    assert client.get("/api/v1/status").status_code == 401


def test_sign_in_is_rate_limited(web: WebApp) -> None:
    client = TestClient(web.app)
    setup_admin(client)
    for _ in range(5):
        wrong = client.post("/api/v1/session", json={"username": "admin", "password": "nope" * 3})
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "Wrong user name or password."
    blocked = client.post("/api/v1/session", json={"username": "admin", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 800
    assert "Too many failed sign-ins" in blocked.json()["error"]


def test_limiter_counts_per_address_and_per_name() -> None:
    limiter = LoginLimiter(per_address=2, per_name=3, window_s=100)
    limiter.failed("a", "x", 0)
    assert limiter.wait_s("a", "x", 1) == 0
    limiter.failed("a", "y", 1)
    assert limiter.wait_s("a", "z", 2) == 98  # the address is blocked whatever the name
    limiter.failed("b", "x", 3)
    limiter.failed("c", "x", 4)
    assert limiter.wait_s("d", "x", 5) == 95  # the name is blocked from every address
    assert limiter.wait_s("d", "x", 101) == 0  # the window passed


def test_passwords_are_hashed_with_scrypt_and_salted() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt$32768$8$1$")
    assert first != second
    assert PASSWORD not in first
    assert verify_password(PASSWORD, first)
    assert not verify_password(PASSWORD + "x", first)
    assert not verify_password(PASSWORD, "garbage")


def test_account_rules(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path / "a.db")
    accounts.add_user("anna", PASSWORD)
    with pytest.raises(AccountError, match="already a user 'anna'"):
        accounts.add_user("anna", PASSWORD)
    with pytest.raises(AccountError, match="without spaces"):
        accounts.add_user("an na", PASSWORD)
    with pytest.raises(AccountError, match="role must be one of admin, viewer"):
        accounts.add_user("bob", PASSWORD, "root")
    assert accounts.check_password("anna", PASSWORD) is not None
    assert accounts.check_password("anna", "wrong password") is None
    assert accounts.check_password("nobody", PASSWORD) is None
    accounts.set_password("anna", PASSWORD + "2")
    assert accounts.check_password("anna", PASSWORD) is None
    accounts.close()
