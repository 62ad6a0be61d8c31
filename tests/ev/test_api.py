"""The EV endpoints on the real app (Starlette's TestClient, the SQLite store, the accounts): the
control's state with each charger's limit and why, the limits kept in the store with their
reasons (in English and Estonian), the admin-only mode and departure, and the fail-safe in the
status."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient
from webapp import PASSWORD, WebApp, make_app

from hanport.ev.charger import ChargerReport
from hanport.ev.control import EvControl
from hanport.ev.records import LimitWriter
from hanport.ev.settings import EvSettings
from hanport.grid import Site
from hanport.model import Reading

D = Decimal
ESTONIAN = {"Accept-Language": "et"}


class Wallbox:
    """A charger that draws what it is allowed (a car at the wallbox)."""

    id = "garage"

    def __init__(self) -> None:
        self.limit_a = D(0)
        self.session_wh = D(1500)

    def set_limit(self, limit_a: Decimal, phases: int, now: datetime) -> None:
        self.limit_a = limit_a

    def report(self) -> ChargerReport:
        amps = (self.limit_a,) * 3
        return ChargerReport(
            "garage", True, "charging", amps, self.limit_a * 690, self.session_wh, kind="test"
        )


def _house(reading: Reading, amps: str, at: datetime) -> Reading:
    """The reading with L1 at `amps` (the oven on, with the car), L2 and L3 at 3 A."""
    return replace(
        reading, current_l1_a=D(amps), current_l2_a=D(3), current_l3_a=D(3), received_at=at
    )


@pytest.fixture
def web(tmp_path: Path) -> WebApp:
    return make_app(tmp_path / "app.db", hours=0.05)


@pytest.fixture
def control(web: WebApp) -> EvControl:
    control = EvControl(EvSettings(), Site(), ZoneInfo("Europe/Tallinn"))
    control.fleet.add(Wallbox())
    writer = LimitWriter(web.context.store)
    control.log.listen(writer.add)
    now = datetime.now(UTC)
    control.controller.observe(_house(web.readings[-1], "3", now - timedelta(seconds=60)))
    for decision in control.controller.step(now - timedelta(seconds=60), _reports(control)):
        control.fleet.get("garage").set_limit(decision.limit_a, 3, now)  # type: ignore[union-attr]
    control.controller.observe(_house(web.readings[-1], "25", now - timedelta(seconds=1)))
    control.controller.step(now - timedelta(seconds=1), _reports(control))
    assert asyncio.run(writer.flush()) >= 1
    web.context.view.offer(control)
    return control


def _reports(control: EvControl) -> list[ChargerReport]:
    return [charger.report() for charger in control.fleet]


def _client(web: WebApp, role: str = "admin") -> TestClient:
    user = web.context.accounts.add_user(role, PASSWORD, role)
    secret, _ = web.context.accounts.create_token(user, "test")
    return TestClient(web.app, headers={"Authorization": f"Bearer {secret}"})


def test_without_ev_control_the_endpoints_say_how_to_switch_it_on(web: WebApp) -> None:
    client = _client(web)
    answer = client.get("/api/v1/ev")
    assert answer.status_code == 404
    assert answer.json()["code"] == "ev.run.not_running"
    assert client.get("/api/v1/status").json()["ev"] is None


def test_the_state_says_each_chargers_limit_and_why(web: WebApp, control: EvControl) -> None:
    client = _client(web)
    state = client.get("/api/v1/ev").json()
    assert state["mode"] == "guard"
    assert state["failsafe"]["active"] is False
    (charger,) = state["chargers"]
    assert charger["id"] == "garage"
    assert charger["session_wh"] == "1500"
    assert charger["reason"]["code"] == "phase_limit"
    assert charger["reason"]["text"].startswith("L1 at ")
    assert D(charger["limit_a"]) < 16
    estonian = client.get("/api/v1/ev", headers=ESTONIAN).json()
    assert estonian["chargers"][0]["reason"]["text"].startswith("Faasil L1")
    assert {p["phase"] for p in state["phases"]} == {1, 2, 3}
    status = client.get("/api/v1/status").json()
    assert status["ev"]["failsafe"]["active"] is False


def test_the_limits_history_comes_from_the_store(web: WebApp, control: EvControl) -> None:
    control.log._records.clear()  # only what the store kept
    client = _client(web)
    limits = client.get("/api/v1/ev/limits").json()["limits"]
    assert [r["charger"] for r in limits] == ["garage"] * len(limits)
    assert limits[-1]["reason"]["code"] == "phase_limit"
    assert "L1" in limits[-1]["reason"]["text"]
    assert client.get("/api/v1/ev/limits", params={"charger": "other"}).json()["limits"] == []
    bad = client.get("/api/v1/ev/limits", params={"from": "yesterday"})
    assert bad.status_code == 422


def test_the_session_costs_when_prices_are_known(web: WebApp, control: EvControl) -> None:
    client = _client(web)
    wallbox = control.fleet.get("garage")
    assert isinstance(wallbox, Wallbox)
    control.update_costs(datetime.now(UTC))
    assert client.get("/api/v1/ev").json()["chargers"][0]["session_eur"] is None  # no prices
    control.price_at = lambda now: D("20")  # c/kWh
    control.update_costs(datetime.now(UTC))
    assert client.get("/api/v1/ev").json()["chargers"][0]["session_eur"] is None  # begun unseen
    for wh, price in ((0, "20"), (1000, "20"), (2500, "10")):  # a new session
        control.price_at = lambda now, price=price: D(price)
        wallbox.session_wh = D(wh)
        control.update_costs(datetime.now(UTC))
    state = client.get("/api/v1/ev").json()
    assert state["chargers"][0]["session_eur"] == "0.350"  # 1 kWh at 20 c, 1.5 kWh at 10 c


def test_mode_and_departure_are_for_administrators(web: WebApp, control: EvControl) -> None:
    viewer = _client(web, "viewer")
    refused = viewer.post("/api/v1/ev/mode", json={"mode": "fixed"})
    assert refused.status_code == 403
    assert control.mode == "guard"
    admin = _client(web)
    changed = admin.post("/api/v1/ev/mode", json={"mode": "cheapest", "departure": "06:30"})
    assert changed.status_code == 200
    assert (changed.json()["mode"], changed.json()["departure"]) == ("cheapest", "06:30")
    assert control.mode == "cheapest"
    later = admin.post("/api/v1/ev/departure", json={"departure": "08:15"})
    assert later.json()["departure"] == "08:15"
    wrong = admin.post("/api/v1/ev/mode", json={"mode": "turbo"}, headers=ESTONIAN)
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "ev.mode_invalid"
    assert "turbo" in wrong.json()["error"]
    late = admin.post("/api/v1/ev/departure", json={"departure": "25:00"})
    assert (late.status_code, late.json()["code"]) == (422, "ev.setting_departure")
    empty = admin.post("/api/v1/ev/departure", json={})
    assert empty.json()["code"] == "ev.run.body_departure"
    assert control.settings.departure == "08:15"


def test_the_status_shows_the_fail_safe_when_the_meter_stops(
    web: WebApp, control: EvControl
) -> None:
    later = datetime.now(UTC) + timedelta(seconds=40)
    control.controller.step(later, _reports(control))  # 40 s without a reading
    client = _client(web)
    failsafe = client.get("/api/v1/status").json()["ev"]["failsafe"]
    assert (failsafe["active"], failsafe["limit_a"]) == (True, "0")
    state = client.get("/api/v1/ev").json()
    assert state["chargers"][0]["reason"]["code"] == "meter_stale"
    assert state["chargers"][0]["limit_a"] == "0"
