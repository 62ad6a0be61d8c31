"""/api/v1/quality and /api/v1/quality/report on the real app: the week of the simulator's voltage
scenario, half of it kept by the quality sink (records) and half not sealed yet, gives the
hand-computed figures once, and the report downloads as PDF and CSV in both languages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from webapp import PASSWORD, ZONE, WebApp, make_app

from hanport.quality import Method
from hanport.quality.keeper import catch_up
from hanport.store.sqlite import SqliteStore
from quality.voltage_readings import MONDAY, voltage_readings

WEEK = {"from": "2026-03-02", "to": "2026-03-08"}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> WebApp:
    database = tmp_path_factory.mktemp("quality-api") / "app.db"
    store = SqliteStore(database, ZONE)
    store.write(list(voltage_readings()))
    catch_up(store, _meter(), Method(), MONDAY + timedelta(days=3, hours=12))  # sealed to Thu noon
    store.close()
    return make_app(Path(database), hours=0.5)  # and a second meter, the household's


@pytest.fixture(scope="module")
def client(web: WebApp) -> TestClient:
    user = web.context.accounts.add_user("admin", PASSWORD)
    secret, _ = web.context.accounts.create_token(user, "tests")
    return TestClient(web.app, headers={"Authorization": f"Bearer {secret}"})


def _meter() -> str:
    return voltage_readings()[0].meter_id or ""


def _figures(client: TestClient, **extra: str) -> dict[str, Any]:
    answer = client.get("/api/v1/quality", params={**WEEK, "meter": _meter(), **extra})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json(parse_float=Decimal)
    return body


def test_the_week_kept_and_unsealed_gives_the_hand_computed_figures(client: TestClient) -> None:
    body = _figures(client)
    assert body["verdicts"] == {"l1": "fail", "l2": "fail", "l3": "pass"}
    (week,) = body["weeks"]
    l1, l2, l3 = week["phases"]
    assert (l1["complete"], l1["within_band"], l1["within_band_pct"]) == (
        1007,
        983,
        Decimal("97.61"),
    )
    assert (l2["within_band"], l2["within_wide"]) == (1003, 1006)
    assert l3["within_band"] == 1007
    assert len(body["windows"]) == 1008
    overs = [e for e in body["events"] if e["kind"] == "overvoltage"]
    assert len(overs) == 1  # ongoing in the kept state at noon, ended in the unsealed part
    assert overs[0]["start"] == "2026-03-05T09:00:00+00:00"  # 11:00 in Tallinn
    assert overs[0]["ongoing"] is False


def test_summary_leaves_out_the_means(client: TestClient) -> None:
    assert "windows" not in _figures(client, detail="summary")


def test_two_meters_need_a_name(client: TestClient) -> None:
    answer = client.get("/api/v1/quality", params=WEEK)
    assert answer.status_code == 422
    assert answer.json()["code"] == "web.which_meter"


def test_a_period_backwards_is_a_sentence(client: TestClient) -> None:
    answer = client.get(
        "/api/v1/quality", params={"from": "2026-03-08", "to": "2026-03-01", "meter": _meter()}
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "web.period_order"


@pytest.mark.parametrize(("form", "lang", "marker"), [
    ("pdf", "en", b"%PDF-"), ("pdf", "et", b"%PDF-"), ("csv", "en", b"events"),
    ("csv", "et", b"s\xc3\xbcndmused"),
])  # fmt: skip
def test_the_report_downloads(client: TestClient, form: str, lang: str, marker: bytes) -> None:
    answer = client.get(
        "/api/v1/quality/report", params={**WEEK, "meter": _meter(), "format": form, "lang": lang}
    )
    assert answer.status_code == 200
    assert answer.content.startswith(marker)
    assert "attachment" in answer.headers["content-disposition"]
    assert "2026-03-02-2026-03-08" in answer.headers["content-disposition"]


def test_signed_out_it_is_refused(web: WebApp) -> None:
    assert TestClient(web.app).get("/api/v1/quality", params=WEEK).status_code == 401


def test_the_document_lists_the_endpoints_in_both_languages(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/quality/report"]["get"]
    assert operation["tags"] == ["quality"]
    assert operation["x-summary-et"].startswith("Pinge kvaliteedi aruande")
    assert "x-summary-et" in document["paths"]["/api/v1/quality"]["get"]
