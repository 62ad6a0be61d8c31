"""Every API error has its code and is said in the request's language (Accept-Language, or
`lang=et`), from the app's handlers down to the guards in front of it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient
from webapp import PASSWORD, WebApp, make_app

from hanport.web import passwords
from hanport.web.errors import ApiError, error_of, language_of

ESTONIAN = {"Accept-Language": "et-EE,et;q=0.9,en;q=0.8"}


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WebApp:
    monkeypatch.setattr(passwords, "TEST_SCRYPT_N", 2**10)
    return make_app(tmp_path / "app.db", hours=0.1)


@pytest.fixture
def client(web: WebApp) -> TestClient:
    user = web.context.accounts.add_user("admin", PASSWORD)
    secret, _ = web.context.accounts.create_token(user, "t")
    return TestClient(web.app, headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("et", "et"),
        ("et-EE", "et"),
        ("ET-ee,en;q=0.5", "et"),
        ("en-GB,et;q=0.5", "en"),
        ("fr-FR, et;q=0.3", "et"),
        ("de, fr", "en"),
        ("et;q=0, en", "en"),
        ("en;q=0.2, et;q=0.8", "et"),
        ("*", "en"),
        ("et;q=zero", "en"),
        ("", "en"),
    ],
)
def test_the_language_comes_from_accept_language(header: str, language: str) -> None:
    assert language_of([("accept-language", header)], "") == language


def test_the_lang_parameter_wins() -> None:
    assert language_of([("accept-language", "en")], "from=x&lang=et") == "et"
    assert language_of([("accept-language", "et")], "lang=en") == "en"
    assert language_of([("accept-language", "et")], "lang=de") == "et"  # not one we have
    assert language_of([], "") == "en"


def test_an_error_in_estonian_keeps_its_code(client: TestClient) -> None:
    english = client.get("/api/v1/energy", params={"period": "week"})
    estonian = client.get("/api/v1/energy", params={"period": "week"}, headers=ESTONIAN)
    assert english.status_code == estonian.status_code == 422
    assert english.json()["code"] == estonian.json()["code"] == "web.parameter_not_allowed"
    assert english.json()["error"].startswith("period='week' is not allowed; use ")
    assert estonian.json()["error"].startswith("period='week' pole lubatud; kasuta üht ")
    assert estonian.json()["parameter"] == "period"
    assert estonian.json()["params"]["value"] == "week"
    by_query = client.get("/api/v1/energy", params={"period": "week", "lang": "et"})
    assert by_query.json()["error"] == estonian.json()["error"]


def test_the_framework_s_own_errors_have_codes_too(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing", headers=ESTONIAN)
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "Otspunkti /api/v1/nothing pole; vaata /api/v1/openapi.json.",
        "code": "web.no_endpoint",
        "params": {"path": "/api/v1/nothing"},
    }
    wrong = client.delete("/api/v1/status", headers=ESTONIAN)
    assert wrong.status_code == 405
    assert wrong.json()["code"] == "web.method_not_allowed"
    assert wrong.json()["error"] == (
        "/api/v1/status ei võta vastu meetodit DELETE; vaata /api/v1/openapi.json."
    )


def test_signing_in_fails_in_the_browser_s_language(web: WebApp) -> None:
    client = TestClient(web.app)
    refused = client.get("/api/v1/status", headers=ESTONIAN)
    assert refused.status_code == 401
    assert refused.json()["code"] == "web.sign_in"
    assert refused.json()["error"].startswith("Logi sisse või saada API-võti")
    session = client.get("/api/v1/session", headers=ESTONIAN)
    assert session.json()["code"] == "web.sign_in"
    assert session.json()["setup_needed"] is True
    short = client.post(
        "/api/v1/setup", json={"username": "a", "password": "short"}, headers=ESTONIAN
    )
    assert short.status_code == 422
    assert short.json() == {
        "error": "Parool peab olema vähemalt 10 märki pikk.",
        "code": "accounts.password_short",
        "params": {"count": "10"},
    }


def test_the_guards_answer_in_the_request_s_language(web: WebApp) -> None:
    client = TestClient(web.app)
    rebound = client.get("/api/v1/status", headers={"Host": "evil.example", **ESTONIAN})
    assert rebound.status_code == 421
    assert rebound.json()["code"] == "web.wrong_host"
    assert rebound.json()["error"].startswith("hanport ei vasta nimele evil.example;")
    big = client.post(
        "/api/v1/session?lang=et",
        content=b"x" * 70_000,
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413
    assert big.json()["error"] == "Päringu sisu on üle 64 KiB, rohkem kui hanport vastu võtab."


def test_an_error_raised_without_a_code_is_still_answered() -> None:
    """A plain HTTPException (a library's, with its own detail): as it is, and a code."""

    def raw(detail: str, status: int = 404) -> dict[str, object]:
        return error_of(HTTPException(status, detail), "et", "/x", "GET")

    assert raw("The meter 'x' has no reading yet.") == {
        "error": "The meter 'x' has no reading yet.",
        "code": "web.http_error",
        "params": {"status": "404"},
    }
    assert raw("Bad Request", 400)["error"] == "Päring ebaõnnestus (HTTP 400)."
    coded = error_of(ApiError(404, "web.no_such_meter", meter="x", names="'y'"), "en", "/", "GET")
    assert coded["error"] == "There is no meter 'x'; there are 'y'."


def test_a_meter_without_a_reading_is_a_coded_404(web: WebApp, client: TestClient) -> None:
    meter = web.readings[0].meter_id or ""
    web.context.store.prune(datetime(2100, 1, 1, tzinfo=UTC))  # the meter stays, its readings go
    answer = client.get("/api/v1/readings/latest", params={"meter": meter}, headers=ESTONIAN)
    assert answer.status_code == 404
    assert answer.json() == {
        "error": f"Arvestil {meter!r} pole veel ühtki näitu.",
        "code": "web.meter_no_reading",
        "params": {"meter": meter},
    }


def test_a_crash_is_a_500_with_a_sentence_in_the_language(web: WebApp) -> None:
    async def broken(request: Request) -> Response:
        raise RuntimeError("a bug")

    inner = web.app
    while not hasattr(inner, "router"):
        inner = inner.app  # type: ignore[attr-defined]
    inner.router.routes.append(Route("/api/v1/broken", broken))
    answer = TestClient(web.app, raise_server_exceptions=False).get(
        "/api/v1/broken", headers=ESTONIAN
    )
    assert answer.status_code == 500
    assert answer.json()["code"] == "web.internal"
    assert answer.json()["error"].startswith("hanportis tekkis sisemine viga")


def test_an_unreachable_store_is_a_503_said_once_without_a_traceback(
    web: WebApp, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL down under the app (`hanport server`): 503 with a sentence in the language, the
    log's one sentence at most once a minute; another ConnectionError stays a 500."""
    import logging

    from hanport.store.postgres.connection import StoreUnavailable

    async def unreachable(request: Request) -> Response:
        raise StoreUnavailable("store.postgresql_lost", url="postgresql://db/h", error="gone")

    async def other(request: Request) -> Response:
        raise ConnectionResetError("a socket")

    inner = web.app
    while not hasattr(inner, "router"):
        inner = inner.app  # type: ignore[attr-defined]
    inner.router.routes.append(Route("/api/v1/unreachable", unreachable))
    inner.router.routes.append(Route("/api/v1/other", other))
    client = TestClient(web.app, raise_server_exceptions=False)
    with caplog.at_level(logging.WARNING, "hanport.web.app"):
        answers = [client.get("/api/v1/unreachable", headers=ESTONIAN) for _ in range(3)]
    assert {a.status_code for a in answers} == {503}
    assert answers[0].headers["Retry-After"] == "5"
    assert answers[0].json() == {
        "error": "Andmebaasiga ei saa praegu ühendust (gone); proovi hetke pärast uuesti.",
        "code": "web.store_unavailable",
        "params": {"error": "gone"},
    }
    said = [r for r in caplog.records if "database" in r.getMessage()]
    assert len(said) == 1
    assert said[0].exc_info is None
    assert client.get("/api/v1/other").status_code == 500
