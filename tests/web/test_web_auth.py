"""Accounts, sessions, CSRF, tokens and the login limit, through the real app."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from webapp import PASSWORD, WebApp, make_app

from hanport.web import passwords
from hanport.web.accounts import AccountError, Accounts
from hanport.web.limits import Busy, LoginLimiter, PasswordGate, address_key
from hanport.web.passwords import hash_password, verify_password
from hanport.web.setup_code import SetupCode

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


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dozens of sign-ins: hash at a test-only cost (the real one is checked below)."""
    monkeypatch.setattr(passwords, "TEST_SCRYPT_N", 2**10)


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
    assert answer.json() == {
        "error": "Sign in, or send an API token as 'Authorization: Bearer …'.",
        "code": "web.sign_in",
        "params": {},
    }


def test_first_start_setup_then_sign_in_and_out(web: WebApp) -> None:
    client = TestClient(web.app)
    before = client.get("/api/v1/session")
    assert before.status_code == 401
    assert before.json()["setup_needed"] is True
    csrf = setup_admin(client)
    cookie = client.cookies.get("hanport_session")
    assert cookie
    session = client.get("/api/v1/session").json()
    assert session == {"user": "admin", "role": "admin", "admin": True, "sites": [], "csrf": csrf}
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
    limiter = LoginLimiter({"address": 2, "name": 3}, window_s=100)

    def keys(address: str, name: str) -> list[tuple[str, str]]:
        return [("address", address), ("name", name)]

    limiter.failed(keys("a", "x"), 0)
    assert limiter.wait_s(keys("a", "x"), 1) == 0
    limiter.failed(keys("a", "y"), 1)
    assert limiter.wait_s(keys("a", "z"), 2) == 98  # the address is blocked whatever the name
    limiter.failed(keys("b", "x"), 3)
    limiter.failed(keys("c", "x"), 4)
    assert limiter.wait_s(keys("d", "x"), 5) == 95  # the name is blocked from every address
    assert limiter.wait_s(keys("d", "x"), 101) == 0  # the window passed


def test_passwords_are_hashed_with_scrypt_and_salted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "TEST_SCRYPT_N", None)  # the real cost
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt$131072$8$1$")  # OWASP 2023: N=2^17, r=8, p=1
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


def test_a_device_that_signed_in_before_is_not_locked_out_by_strangers(web: WebApp) -> None:
    owner = TestClient(web.app, client=("192.0.2.10", 50000))
    setup_admin(owner)  # the first sign-in: this browser now has a device cookie for admin
    assert owner.cookies.get("hanport_device")
    for n in range(20):  # someone guesses admin's password from 20 addresses
        stranger = TestClient(web.app, client=(f"198.51.100.{n}", 50000))
        guess = stranger.post("/api/v1/session", json={"username": "admin", "password": "x" * 12})
        assert guess.status_code == (401 if n < 10 else 429)
    new_phone = TestClient(web.app, client=("192.0.2.11", 50000))
    body = {"username": "admin", "password": PASSWORD}
    assert new_phone.post("/api/v1/session", json=body).status_code == 429  # untrusted: locked
    assert owner.post("/api/v1/session", json=body).status_code == 200  # the owner's own device
    assert owner.get("/api/v1/status").status_code == 200


def test_a_device_cookie_is_limited_on_its_own_and_only_for_its_user(web: WebApp) -> None:
    owner = TestClient(web.app, client=("192.0.2.10", 50000))
    setup_admin(owner)
    web.context.accounts.add_user("bob", PASSWORD, "viewer")
    cookie = owner.cookies.get("hanport_device")
    assert cookie
    for n in range(10):  # a stolen cookie, used from many addresses
        thief = TestClient(web.app, client=(f"203.0.113.{n}", 50000))
        thief.cookies.set("hanport_device", cookie, path="/api/v1/session")
        wrong = thief.post("/api/v1/session", json={"username": "admin", "password": "y" * 12})
        assert wrong.status_code == 401
    locked = owner.post("/api/v1/session", json={"username": "admin", "password": PASSWORD})
    assert locked.status_code == 429  # that device is locked now, nothing else
    fresh = TestClient(web.app, client=("192.0.2.12", 50000))
    assert (
        fresh.post("/api/v1/session", json={"username": "admin", "password": PASSWORD}).status_code
        == 200
    )
    bob = owner.post("/api/v1/session", json={"username": "bob", "password": PASSWORD})
    assert bob.status_code == 200  # admin's device cookie says nothing about bob


def test_a_shared_browser_keeps_the_devices_of_its_users(web: WebApp) -> None:
    tablet = TestClient(web.app, client=("192.0.2.10", 50000))
    setup_admin(tablet)
    web.context.accounts.add_user("bob", PASSWORD, "viewer")
    body = {"username": "bob", "password": PASSWORD}
    assert tablet.post("/api/v1/session", json=body).status_code == 200
    assert tablet.post("/api/v1/session", json=body).status_code == 200  # replaces bob's own
    secrets = str(tablet.cookies.get("hanport_device")).split(".")
    assert len(secrets) == 2
    accounts = web.context.accounts
    assert [bool(accounts.trusted_device(s, "bob")) for s in secrets] == [True, False]
    assert [bool(accounts.trusted_device(s, "admin")) for s in secrets] == [False, True]


def test_limiter_keys_are_bounded_in_number_and_length() -> None:
    limiter = LoginLimiter(max_keys=100)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(2000):
        limiter.failed([("address", f"10.0.{n // 256}.{n % 256}"), ("name", f"{n}" * 5000)], n)
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert limiter.tracked("name") == limiter.tracked("address") == 100
    assert grown < 600_000  # 100 names of 20 kB each would be 2 MB
    assert limiter.wait_s([("name", "1999" * 5000)], 2000) == 0  # still counted, by its hash
    for _ in range(9):
        limiter.failed([("name", "1999" * 5000)], 2000)
    assert limiter.wait_s([("name", "1999" * 5000)], 2000) > 0


def test_ipv6_clients_are_counted_by_their_64_network() -> None:
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff:1:2:3")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:192.0.2.1") == address_key("192.0.2.1") == "192.0.2.1"


def test_password_checks_take_turns() -> None:
    async def scenario() -> list[str]:
        gate = PasswordGate(parallel=2, queue=2, per_address=2)
        running, most, results = 0, 0, []

        async def check(address: str) -> None:
            nonlocal running, most
            try:
                async with gate.turn(address):
                    running += 1
                    most = max(most, running)
                    await asyncio.sleep(0.01)
                    running -= 1
                results.append("ok")
            except Busy:
                results.append("busy")

        await asyncio.gather(*(check(f"a{n}") for n in range(6)), check("a0"), check("a0"))
        assert most == 2  # two hashes at once, the others waited
        return results

    results = asyncio.run(scenario())
    assert results.count("ok") == 4  # two running, two waiting; beyond that: busy
    assert results.count("busy") == 4


def test_hashing_is_bounded_to_two_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    running, most = 0, 0
    lock = threading.Lock()
    real = hashlib.scrypt

    def counting(*args: Any, **kwargs: Any) -> bytes:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)  # long enough for a second (and, were it allowed, a third) to enter
        with lock:
            running -= 1
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    threads = [threading.Thread(target=hash_password, args=(PASSWORD,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == passwords.PARALLEL_HASHES == 2


def test_older_hashes_verify_and_are_rehashed_at_the_next_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = Accounts(tmp_path / "a.db")
    monkeypatch.setattr(passwords, "TEST_SCRYPT_N", 2**15)  # as hanport 0.1 made them
    accounts.add_user("anna", PASSWORD)
    monkeypatch.setattr(passwords, "TEST_SCRYPT_N", None)

    def stored() -> str:
        with sqlite3.connect(tmp_path / "a.db") as db:
            found: str = db.execute("SELECT password FROM users").fetchone()[0]
        return found

    assert stored().startswith("scrypt$32768$")
    assert accounts.check_password("anna", "wrong password") is None
    assert stored().startswith("scrypt$32768$")  # only the right password is stored anew
    assert accounts.check_password("anna", PASSWORD) is not None
    assert stored().startswith("scrypt$131072$8$1$")
    assert accounts.check_password("anna", PASSWORD) is not None
    accounts.close()


def test_beyond_loopback_the_first_account_needs_the_setup_code(tmp_path: Path) -> None:
    code = SetupCode("7KQ4M-XR9TD")
    web = make_app(tmp_path / "app.db", hours=0.1, setup_code=code)
    client = TestClient(web.app, client=("192.0.2.10", 50000))
    before = client.get("/api/v1/session").json()
    assert (before["setup_needed"], before["setup_code_required"]) == (True, True)
    body = {"username": "admin", "password": PASSWORD}
    missing = client.post("/api/v1/setup", json=body)
    assert missing.status_code == 403
    assert "one-time setup code that hanport run printed" in missing.json()["error"]
    for _ in range(4):
        wrong = client.post("/api/v1/setup", json={**body, "setup_code": "AAAAA-AAAAA"})
        assert wrong.status_code == 403
        assert "setup code is wrong" in wrong.json()["error"]
    guessing = client.post("/api/v1/setup", json={**body, "setup_code": "7KQ4M-XR9TD"})
    assert guessing.status_code == 429  # five wrong codes from this address: wait
    assert web.context.accounts.count() == 0
    other = TestClient(web.app, client=("192.0.2.11", 50000))
    made = other.post("/api/v1/setup", json={**body, "setup_code": " 7kq4m xr9td "})
    assert made.status_code == 201  # typed in lower case, with spaces: still the code
    assert code.used
    web.context.accounts.remove_user("admin")  # the code dies once used
    again = other.post("/api/v1/setup", json={**body, "setup_code": "7KQ4M-XR9TD"})
    assert again.status_code == 403


def test_setup_codes_are_random_and_easy_to_type() -> None:
    codes = {SetupCode().text for _ in range(50)}
    assert len(codes) == 50
    for text in codes:
        assert len(text) == 11
        assert text[5] == "-"
        assert not set(text) & set("ILOU")
    assert SetupCode("0000-11111").matches("OOOO-IIlll")  # misread letters count as digits
