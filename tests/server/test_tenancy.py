"""The app on `hanport server`: every route of the OpenAPI document, asked by a user of site
alpha about site beta's objects, answers 404 or leaves them out; an operator sees both sites;
the household app is untouched by sites."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from webapp import PASSWORD, ZONE, simulated

from hanport.runtime.hub import Hub, Subscription
from hanport.settings.loader import Settings
from hanport.store.sqlite import SqliteStore
from hanport.web.accounts import AccountError, Accounts
from hanport.web.app import create_app
from hanport.web.context import AppContext
from hanport.web.openapi import openapi_document
from hanport.web.settings import WebSettings
from hanport.web.tenant import tenant_context

ALPHA = "alpha/1ESY1160000000"
BETA = "beta/1ESY1160000000"
METHODS = ("get", "post", "put", "delete", "patch")
DAY = {"from": "2026-01-10T00:00:00+00:00", "to": "2026-01-11T00:00:00+00:00"}


@dataclasses.dataclass
class Tenants:
    context: AppContext
    client: TestClient
    tokens: dict[str, str]
    beta_token_id: int


@pytest.fixture(scope="module")
def tenants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tenants]:
    database = tmp_path_factory.mktemp("tenants") / "server.db"
    store = SqliteStore(database, ZONE)
    readings = simulated(360)
    for meter in (ALPHA, BETA):
        store.write([dataclasses.replace(r, meter_id=meter) for r in readings])
    store.close()
    settings = Settings(sections={"web": WebSettings(hosts=("testserver",))})
    context = tenant_context(settings, str(database))
    accounts = context.accounts
    tokens = {}
    for name, role, sites in (
        ("ann", "viewer", ["alpha"]),
        ("bea", "viewer", ["beta"]),
        ("ops", "operator", []),
    ):
        user = accounts.add_user(name, PASSWORD, role, sites)
        tokens[name] = accounts.create_token(user, "tests")[0]
    bea = next(user for user in accounts.users() if user.name == "bea")
    _, spare = accounts.create_token(bea, "beta's spare")
    yield Tenants(context, TestClient(create_app(context)), tokens, spare.id)
    context.store.close()
    accounts.close()


def _routes() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, operations in openapi_document()["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                found.append((method, path, operation))
    return found


def _ask(tenants: Tenants, who: str, method: str, path: str, operation: dict[str, Any]) -> Any:
    names = {p["name"] for p in operation.get("parameters", [])}
    query = {"meter": BETA} if "meter" in names else {}
    path = path.replace("{token_id}", str(tenants.beta_token_id))
    body: dict[str, Any] | None = {} if "requestBody" in operation else None
    headers = {"Authorization": f"Bearer {tenants.tokens[who]}"}
    return tenants.client.request(method, path, params=query, json=body, headers=headers)


def _stream_start(tenants: Tenants, who: str) -> str:
    """The first events of /api/v1/stream (it never ends by itself)."""
    app = tenants.client.app
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/stream",
        "raw_path": b"/api/v1/stream",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {tenants.tokens[who]}".encode()),
        ],
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "http_version": "1.1",
    }
    chunks: list[bytes] = []
    got = asyncio.Event()

    async def receive() -> MutableMapping[str, Any]:
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if b"event: status" in b"".join(chunks):
                got.set()

    async def run() -> None:
        task = asyncio.ensure_future(app(scope, receive, send))
        await asyncio.wait_for(got.wait(), 10)
        task.cancel()

    asyncio.run(run())
    return b"".join(chunks).decode()


class _Recording(Hub):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[frozenset[str] | None] = []

    def subscribe(
        self, name: str, size: int = 1000, sites: frozenset[str] | None = None
    ) -> Subscription:
        self.asked.append(sites)
        return super().subscribe(name, size, sites)


def test_a_live_stream_asks_for_its_callers_sites_only(
    tenants: Tenants, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording = _Recording()
    monkeypatch.setattr(tenants.context, "hub", recording)
    _stream_start(tenants, "ann")
    _stream_start(tenants, "ops")
    assert recording.asked == [frozenset({"alpha"}), frozenset()]


def test_every_route_hides_the_other_site(tenants: Tenants) -> None:
    asked = 0
    for method, path, operation in _routes():
        if path == "/api/v1/stream":
            text = _stream_start(tenants, "ann")
            assert "event: status" in text
            assert "beta" not in text
            asked += 1
            continue
        response = _ask(tenants, "ann", method, path, operation)
        names = {p["name"] for p in operation.get("parameters", [])}
        assert response.status_code < 500, (method, path, response.text)
        if "meter" in names or "{token_id}" in path:
            assert response.status_code == 404, (method, path, response.text)
            params = response.json().get("params", {})
            assert "beta" not in str(params.get("names", "")), (method, path)
        else:
            assert response.status_code != 403 or path in _ADMIN_ONLY, (method, path)
            assert "beta" not in response.text, (method, path, response.text)
        asked += 1
    assert asked == len(_routes()) >= 30
    tokens = {"Authorization": f"Bearer {tenants.tokens['bea']}"}
    assert tenants.client.get("/api/v1/tokens", headers=tokens).status_code == 200
    still = [t.id for t in tenants.context.accounts.tokens()]
    assert tenants.beta_token_id in still  # alpha's DELETE did not revoke it


_ADMIN_ONLY = {"/api/v1/alerts/settings", "/api/v1/ev/mode", "/api/v1/ev/departure"}


def test_a_site_user_sees_their_own_site(tenants: Tenants) -> None:
    headers = {"Authorization": f"Bearer {tenants.tokens['ann']}"}
    meters = tenants.client.get("/api/v1/meters", headers=headers).json()
    assert [m["id"] for m in meters["meters"]] == [ALPHA]
    latest = tenants.client.get("/api/v1/readings/latest", headers=headers)
    assert latest.status_code == 200
    assert latest.json()["meter"] == ALPHA  # the only one it sees
    series = tenants.client.get("/api/v1/series", params={"meter": ALPHA, **DAY}, headers=headers)
    assert series.status_code == 200
    assert series.json()["rows"]
    for who, meter in (("ann", BETA), ("bea", ALPHA)):
        headers = {"Authorization": f"Bearer {tenants.tokens[who]}"}
        for path in ("/api/v1/readings", "/api/v1/series", "/api/v1/energy", "/api/v1/export"):
            got = tenants.client.get(path, params={"meter": meter, **DAY}, headers=headers)
            assert got.status_code == 404, (who, path)


def test_an_operator_sees_every_site(tenants: Tenants) -> None:
    headers = {"Authorization": f"Bearer {tenants.tokens['ops']}"}
    meters = tenants.client.get("/api/v1/meters", headers=headers).json()
    assert sorted(m["id"] for m in meters["meters"]) == [ALPHA, BETA]
    for method, path, operation in _routes():
        names = {p["name"] for p in operation.get("parameters", [])}
        if "meter" not in names or method != "get":
            continue
        response = _ask(tenants, "ops", method, path, operation)
        refused = response.status_code == 404 and "no_such_meter" in response.text
        assert not refused, (path, response.text)
    export = tenants.client.get("/api/v1/export", params={"meter": BETA, **DAY}, headers=headers)
    assert export.status_code == 200
    assert len(export.text.splitlines()) > 100


def test_no_caller_sees_nothing(tenants: Tenants) -> None:
    """Before authentication the store answers nothing (the scope fails closed)."""
    assert tenants.context.store.meters() == []
    assert tenants.context.store.latest(ALPHA) is None


def test_the_first_account_is_not_made_in_the_browser(tmp_path: Path) -> None:
    settings = Settings(sections={"web": WebSettings(hosts=("testserver",))})
    context = tenant_context(settings, str(tmp_path / "empty.db"))
    client = TestClient(create_app(context))
    body = {"username": "mallory", "password": PASSWORD}
    answer = client.post("/api/v1/setup", json=body, headers={"Origin": "http://testserver"})
    assert (answer.status_code, answer.json()["code"]) == (403, "web.setup_code_missing")
    assert context.accounts.count() == 0
    context.accounts.close()
    context.store.close()


def test_sites_only_for_viewers_and_checked(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path / "a.db")
    with pytest.raises(AccountError) as error:
        accounts.add_user("x", PASSWORD, "operator", ["alpha"])
    assert error.value.code == "accounts.sites_for_role"
    with pytest.raises(AccountError) as error:
        accounts.add_user("x", PASSWORD, "viewer", ["al.pha"])
    assert error.value.code == "accounts.site_invalid"
    user = accounts.add_user("x", PASSWORD, "viewer", ["b", "a", "a"])
    assert user.sites == ("a", "b")
    assert accounts.users()[0].sites == ("a", "b")
    assert json.dumps(user.sites) == '["a", "b"]'
    accounts.close()


def test_cli_adds_site_users_and_operators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from hanport.cli.main import main

    database = ["--server", "--database", str(tmp_path / "server.db")]
    for name, extra in (
        ("ann", ["--site", "alpha", "--site", "beta"]),
        ("ops", ["--role", "operator"]),
    ):
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD))
        argv = ["--lang", "en", "user", "add", name, *extra, "--password-stdin", *database]
        assert main(argv) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Created the account ann (viewer).",
        "Created the account ops (operator).",
    ]
    assert main(["--lang", "et", "user", "list", *database]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["KASUTAJA", "ROLL", "ASUKOHAD"]
    assert lines[1].split() == ["ann", "viewer", "alpha,beta"]
    assert lines[2].split() == ["ops", "operator"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD))
    argv = ["--lang", "et", "user", "add", "x", "--role", "operator", "--site", "a"]
    assert main([*argv, "--password-stdin", *database]) != 0
    assert "Asukohad on ainult vaatajal" in capsys.readouterr().err


def test_the_session_says_the_callers_sites_and_whether_they_administer(tenants: Tenants) -> None:
    def session(who: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {tenants.tokens[who]}"}
        answer = tenants.client.get("/api/v1/session", headers=headers)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    assert session("ann") == {"user": "ann", "role": "viewer", "admin": False, "sites": ["alpha"]}
    assert session("ops") == {"user": "ops", "role": "operator", "admin": True, "sites": []}
