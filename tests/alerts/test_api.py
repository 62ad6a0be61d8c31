"""The alerts' API on the real app: the history from the database joined with the running
alerts, the active ones, the rules for administrators only (and changed at once), the OpenAPI
document naming them in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from webapp import PASSWORD, WebApp, make_app

from hanport.alerts.journal import write_history
from hanport.alerts.rules import ReadingSeen
from hanport.alerts.service import AlertService
from hanport.alerts.settings import alert_settings
from hanport.grid import Site
from hanport.model import Reading
from hanport.quality.scenarios import TALLINN
from hanport.store.sqlite import SqliteStore

NOW = datetime.now(UTC).replace(microsecond=0)


def _seen(at: datetime, current: str) -> ReadingSeen:
    return ReadingSeen(_reading(at, current), at)


def _reading(at: datetime, current: str) -> Reading:
    return Reading(
        meter_id="M1",
        received_at=at,
        current_l1_a=Decimal(current),
        current_l2_a=Decimal(1),
        current_l3_a=Decimal(1),
        voltage_l1_v=Decimal(230),
        voltage_l2_v=Decimal(230),
        voltage_l3_v=Decimal(230),
    )


def _service() -> AlertService:
    settings = alert_settings({"overcurrent_s": (0, "test"), "clear_s": (0, "test")})
    return AlertService(settings, site=Site(fuse_a=Decimal(25)), zone=TALLINN, channels=[])


@pytest.fixture
def web(tmp_path: Path) -> WebApp:
    return make_app(tmp_path / "app.db", hours=0.1)


def _clients(web: WebApp) -> tuple[TestClient, TestClient]:
    accounts = web.context.accounts
    admin, _ = accounts.create_token(accounts.add_user("admin", PASSWORD), "admin")
    user, _ = accounts.create_token(accounts.add_user("viewer", PASSWORD, "viewer"), "viewer")
    return (
        TestClient(web.app, headers={"Authorization": f"Bearer {admin}"}),
        TestClient(web.app, headers={"Authorization": f"Bearer {user}"}),
    )


def test_history_joins_the_database_and_the_running_alerts(web: WebApp, tmp_path: Path) -> None:
    admin, viewer = _clients(web)
    service = _service()
    old = service.observe(_seen(NOW - timedelta(hours=2), "30"))
    service.observe(_seen(NOW - timedelta(hours=2) + timedelta(seconds=10), "5"))
    store = SqliteStore(tmp_path / "app.db", TALLINN)  # what the sink's writer did
    try:
        write_history(store, [service.records[old[0].id]])
    finally:
        store.close()
    assert viewer.get("/api/v1/alerts").json()["alerts"][0]["rule"] == "overcurrent"
    web.context.view.offer(service)
    service.observe(_seen(NOW, "31"))  # not in the database yet
    alerts = viewer.get("/api/v1/alerts").json()["alerts"]
    assert [(a["subject"], a["active"]) for a in alerts] == [("L1", True), ("L1", False)]
    assert alerts[0]["started"].endswith("+02:00") or alerts[0]["started"].endswith("+03:00")
    assert "31" in alerts[0]["message"]
    estonian = viewer.get("/api/v1/alerts", headers={"Accept-Language": "et"}).json()["alerts"]
    assert (estonian[0]["language"], estonian[0]["title"]) == (
        "et",
        "L1 vool üle 100 % peakaitsest",
    )
    assert estonian[1]["title"] == "L1 vool on jälle alla piiri"
    assert "31" in estonian[0]["message"]
    only = viewer.get("/api/v1/alerts", params={"rule": "phase_lost"}).json()
    assert only == {"alerts": []}
    wrong = viewer.get("/api/v1/alerts", params={"rule": "nonsense"})
    assert wrong.status_code == 422
    assert "overcurrent" in wrong.json()["error"]
    active = viewer.get("/api/v1/alerts/active").json()
    assert active["running"] is True
    assert [a["subject"] for a in active["active"]] == ["L1"]
    assert admin.get("/api/v1/alerts/active").json() == active


def test_active_alerts_from_the_history_when_alerts_do_not_run(web: WebApp, tmp_path: Path) -> None:
    _, viewer = _clients(web)
    service = _service()
    fired = service.observe(_seen(NOW - timedelta(minutes=5), "30"))
    store = SqliteStore(tmp_path / "app.db", TALLINN)
    try:
        write_history(store, [service.records[fired[0].id]])
    finally:
        store.close()
    body = viewer.get("/api/v1/alerts/active").json()
    assert (body["running"], [a["rule"] for a in body["active"]]) == (False, ["overcurrent"])


def test_rules_for_administrators_only_and_changed_at_once(web: WebApp) -> None:
    admin, viewer = _clients(web)
    assert viewer.get("/api/v1/alerts/settings").status_code == 403
    idle = admin.put("/api/v1/alerts/settings", json={"overcurrent_pct": 90})
    assert (idle.status_code, idle.json()["code"]) == (409, "alerts.api_not_running")
    service = _service()
    web.context.view.offer(service)
    shown = admin.get("/api/v1/alerts/settings").json()
    assert shown["values"]["overcurrent_pct"] == 100
    assert next(r for r in shown["rules"] if r["kind"] == "phase_lost")["severity"] == "critical"
    assert viewer.put("/api/v1/alerts/settings", json={"overcurrent_pct": 50}).status_code == 403
    changed = admin.put(
        "/api/v1/alerts/settings",
        json={
            **shown["values"],
            "overcurrent_pct": 40,
            "import_power": True,
            "import_power_w": 5000,
        },
    )
    assert changed.status_code == 200
    assert changed.json()["values"]["overcurrent_pct"] == 40
    assert changed.json()["values"]["import_power"] is True
    assert service.engine.rules["overcurrent"].threshold == Decimal(40)
    fired = service.observe(_seen(NOW, "11"))  # 11 A ≥ 40 % of 25 A
    assert [n.rule for n in fired] == ["overcurrent"]
    bad = admin.put(
        "/api/v1/alerts/settings", json={"overcurrent_pct": 5}, headers={"Accept-Language": "et"}
    )
    assert bad.status_code == 422
    assert "alerts.overcurrent_pct" in bad.json()["error"]
    unknown = admin.put("/api/v1/alerts/settings", json={"webhook_url": "http://x"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "alerts.setting_unknown")
    assert admin.put("/api/v1/alerts/settings", content=b"[1]").status_code == 422


def test_the_openapi_document_names_the_alerts_in_both_languages(web: WebApp) -> None:
    admin, _ = _clients(web)
    document = admin.get("/api/v1/openapi.json").json()
    paths = {p for p in document["paths"] if p.startswith("/api/v1/alerts")}
    assert paths == {"/api/v1/alerts", "/api/v1/alerts/active", "/api/v1/alerts/settings"}
    put = document["paths"]["/api/v1/alerts/settings"]["put"]
    assert put["tags"] == ["alerts"]
    assert put["x-summary-et"].startswith("Reeglite lävede")
