"""GET /api/v1/prices, /api/v1/costs and /api/v1/plan with the real app over simulated
readings and prices fetched from a fake Elering."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from costs.fake_servers import FakeState, fake_server, quarter_hours
from starlette.testclient import TestClient
from webapp import PASSWORD, ZONE, WebApp, make_app

from hanport.costs.book import ledger_from_store
from hanport.costs.fetch import Retry, fetch_elering
from hanport.costs.plugin import TARIFF
from hanport.costs.price_store import put_prices
from hanport.costs.tariff import build_tariff
from hanport.settings.loader import Settings
from hanport.store import open_store

DAY = datetime(2026, 1, 10, tzinfo=ZONE).astimezone(UTC)  # a Saturday: Võrk 2's night price


def _price(moment: datetime) -> Decimal:
    """A cheap hour 02:00–03:00 Tallinn on 11 Jan, a negative 09:00 on 10 Jan, else 80–95."""
    local = moment.astimezone(ZONE)
    if local.day == 11 and local.hour == 2:
        return Decimal("1.25")
    if local.day == 10 and local.hour == 9:
        return Decimal("-5.5")
    return Decimal(80) + local.minute // 15 * 5


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> WebApp:
    path = tmp_path_factory.mktemp("costs") / "app.db"
    built = make_app(path, hours=6)  # 08:00–14:00 Tallinn on 10 Jan 2026

    async def fetch(url: str) -> list[Any]:
        async with httpx.AsyncClient(timeout=5) as client:
            return await fetch_elering(
                client, DAY, DAY + timedelta(days=2), url=url, retry=Retry(attempts=1)
            )

    with fake_server(FakeState(quarter_hours(DAY, DAY + timedelta(days=2), _price))) as url:
        slots = asyncio.run(fetch(url))
    store = open_store(str(path), ZONE)
    put_prices(store, slots, "elering")
    store.close()
    return built


@pytest.fixture(scope="module")
def client(web: WebApp) -> TestClient:
    user = web.context.accounts.add_user("admin", PASSWORD)
    secret, _ = web.context.accounts.create_token(user, "tests")
    return TestClient(web.app, headers={"Authorization": f"Bearer {secret}"})


def _decimal(value: object) -> Decimal:
    assert isinstance(value, str)  # exact decimals travel as strings, never floats
    return Decimal(value)


def test_prices_of_a_day_with_the_all_in_price(client: TestClient) -> None:
    query = {"from": DAY.isoformat(), "to": (DAY + timedelta(days=1)).isoformat()}
    body = client.get("/api/v1/prices", params=query).json()
    prices = body["prices"]
    assert len(prices) == 96
    assert prices[0]["start"] == "2026-01-09T22:00:00+00:00"
    assert [_decimal(row["eur_mwh"]) for row in prices[:4]] == [80, 85, 90, 95]
    negative = [row for row in prices if _decimal(row["eur_mwh"]) < 0]
    assert len(negative) == 4
    tariff = build_tariff(Settings().get(TARIFF))
    first = datetime.fromisoformat(prices[0]["start"])
    assert _decimal(prices[0]["all_in_eur_kwh"]) == tariff.all_in_eur_kwh(first, Decimal(80))
    assert body["known_until"] == query["to"]


def test_cost_rows_per_hour_add_up_and_carry_no_monthly_fees(
    client: TestClient, web: WebApp
) -> None:
    start = datetime(2026, 1, 10, 9, tzinfo=ZONE)
    query = {"from": start.isoformat(), "to": (start + timedelta(hours=3)).isoformat()}
    body = client.get("/api/v1/costs", params={**query, "step": "1h", "billing": "15m"}).json()
    assert body["billing"] == "15m"
    rows = body["rows"]
    assert len(rows) == 3
    tariff = build_tariff(Settings().get(TARIFF))
    store = web.context.store
    meter = body["meter"]
    costs = ledger_from_store(store, meter, start, start + timedelta(hours=1), tariff, "15m")
    assert len(costs) == 4
    expected = sum(
        (
            cost.import_kwh * tariff.all_in_eur_kwh(cost.start, cost.spot_eur_mwh or Decimal(0))
            for cost in costs
        ),
        Decimal(0),
    )
    first = rows[0]
    assert _decimal(first["total_eur"]) == expected
    parts = (
        "energy_eur",
        "margin_eur",
        "balancing_eur",
        "network_eur",
        "renewable_eur",
        "excise_eur",
        "supply_security_eur",
        "vat_eur",
    )
    assert sum(_decimal(first[name]) for name in parts) == _decimal(first["total_eur"])
    assert _decimal(first["energy_eur"]) < 0  # 09:00 had a negative price
    for row in rows:
        assert row["network_monthly_eur"] is None
        assert row["seller_monthly_eur"] is None
        assert _decimal(row["import_kwh"]) > 0
        assert row["complete"] is True
    hourly = client.get("/api/v1/costs", params={**query, "step": "1h", "billing": "1h"}).json()
    assert hourly["rows"][1]["total_eur"] != rows[1]["total_eur"]  # the hour's mean price
    assert hourly["rows"][1]["import_kwh"] == rows[1]["import_kwh"]


def test_a_month_row_is_the_bill_with_its_fees(client: TestClient) -> None:
    body = client.get(
        "/api/v1/costs", params={"from": DAY.isoformat(), "step": "1mo", "to": DAY.isoformat()}
    )
    assert body.status_code == 422  # to before from
    answer = client.get(
        "/api/v1/costs",
        params={
            "from": "2026-01-01T00:00:00+02:00",
            "to": "2026-02-01T00:00:00+02:00",
            "step": "1mo",
        },
    ).json()
    (month,) = answer["rows"]
    assert month["start"] == "2025-12-31T22:00:00+00:00"
    assert _decimal(month["network_monthly_eur"]) > 0
    assert month["complete"] is False  # hanport has six hours of January
    assert month["gap_slots"] > 0
    days = client.get(
        "/api/v1/costs",
        params={"from": DAY.isoformat(), "to": (DAY + timedelta(days=1)).isoformat(), "step": "1d"},
    ).json()["rows"]
    assert len(days) == 1
    assert abs(_decimal(days[0]["energy_eur"]) - _decimal(month["energy_eur"])) <= Decimal("0.01")


def test_the_plan_finds_the_cheap_hour(client: TestClient) -> None:
    start = DAY + timedelta(hours=12)
    end = DAY + timedelta(days=2)
    body = client.get(
        "/api/v1/plan",
        params={
            "duration": "1h",
            "from": start.isoformat(),
            "to": end.isoformat(),
            "billing": "15m",
        },
    ).json()
    cheap = datetime(2026, 1, 11, 2, tzinfo=ZONE)
    assert body["window"]["start"] == cheap.astimezone(UTC).isoformat()
    assert body["duration_min"] == 60
    assert len(body["slots"]) == 4
    assert {slot["start"] for slot in body["slots"]} == {
        (cheap + timedelta(minutes=15 * index)).astimezone(UTC).isoformat() for index in range(4)
    }
    bad = client.get("/api/v1/plan", params={"duration": "forever", "lang": "et"})
    assert bad.status_code == 422
    assert "forever" in bad.json()["error"]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/costs", {"step": "1w"}),
        ("/api/v1/costs", {"billing": "30m"}),
        ("/api/v1/costs", {"step": "15m", "from": "2025-01-01T00:00", "to": "2026-01-01T00:00"}),
        ("/api/v1/prices", {"from": "yesterday"}),
    ],
)
def test_bad_parameters_are_one_sentence(
    client: TestClient, path: str, query: dict[str, str]
) -> None:
    answer = client.get(path, params=query)
    assert answer.status_code == 422
    assert answer.json()["error"].endswith(".")


def test_costs_need_a_login(web: WebApp, tmp_path: Path) -> None:
    assert TestClient(web.app).get("/api/v1/costs").status_code == 401


def test_the_money_paths_are_in_the_openapi_document(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/prices", "/api/v1/costs", "/api/v1/plan"):
        operation = document["paths"][path]["get"]
        assert operation["tags"] == ["costs"]
        assert operation["x-summary-et"] != operation["summary"]
    row = document["paths"]["/api/v1/costs"]["get"]["responses"]["200"]["content"]
    properties = row["application/json"]["schema"]["properties"]["rows"]["items"]["properties"]
    assert properties["total_eur"]["type"] == ["string", "null"]


def test_the_summary_of_today_and_the_month(client: TestClient, web: WebApp) -> None:
    from hanport.web.api_costs import CostState

    now = datetime(2026, 1, 10, 13, 30, tzinfo=ZONE)
    web.context.view.offer(CostState(build_tariff(Settings().get(TARIFF)), now=lambda: now))
    try:
        body = client.get("/api/v1/costs/summary").json()
    finally:
        web.context.view.offer(CostState(build_tariff(Settings().get(TARIFF))))
    today = body["today"]
    assert _decimal(today["import_kwh"]) > 0
    assert _decimal(today["total_eur"]) > 0
    yesterday = body["yesterday"]  # hanport started this morning: a gap, not free
    assert yesterday["total_eur"] is None
    assert yesterday["gap_slots"] == 96
    assert body["month"]["month"] == "2026-01"
    assert body["month"]["complete"] is False
    assert _decimal(body["price"]["eur_mwh"]) == 90  # 13:30 is the third quarter: 80 + 2 × 5
    assert body["peak"] is None  # Võrk 2 has no capacity charge
    assert body["network"] == "elektrilevi-vork2"


def test_the_month_bills_line_by_line(client: TestClient) -> None:
    body = client.get("/api/v1/bill", params={"month": "2026-01", "billing": "15m"}).json()
    network, seller = body["network"], body["seller"]
    items = [line["item"] for line in network["lines"]]
    assert items[:1] == ["network_night"]  # a Saturday: night all day
    assert {"renewable", "excise", "supply_security", "network_monthly"} <= set(items)
    assert [line["item"] for line in seller["lines"]][:1] == ["energy"]
    for bill in (network, seller):
        lines = sum(_decimal(line["eur"]) for line in bill["lines"])
        assert lines == _decimal(bill["subtotal_eur"])
        assert _decimal(bill["subtotal_eur"]) + _decimal(bill["vat_eur"]) == _decimal(
            bill["total_eur"]
        )
        for line in bill["lines"]:
            assert _decimal(line["eur"]) == _decimal(line["eur"]).quantize(Decimal("0.01"))
    night = network["lines"][0]
    assert night["unit_price_unit"] == "c/kWh"
    expected = _decimal(night["quantity"]) * _decimal(night["unit_price"]) / 100
    assert _decimal(night["eur"]) == expected.quantize(Decimal("0.01"))
    assert _decimal(body["total_eur"]) == _decimal(network["total_eur"]) + _decimal(
        seller["total_eur"]
    )
    assert client.get("/api/v1/bill", params={"month": "January"}).status_code == 422


def test_the_month_row_and_the_bill_agree(client: TestClient) -> None:
    query = {"from": "2026-01-01T00:00:00+02:00", "to": "2026-02-01T00:00:00+02:00"}
    (row,) = client.get("/api/v1/costs", params={**query, "step": "1mo"}).json()["rows"]
    bill = client.get("/api/v1/bill", params={"month": "2026-01"}).json()
    assert row["total_eur"] == bill["total_eur"]
    assert (row["slots"], row["gap_slots"]) == (bill["slots"], bill["gap_slots"])
    assert row["gap_slots"] > 96 * 8  # 1–9 January before hanport: gaps, never free


def test_a_capacity_package_shows_the_peak_and_warns(client: TestClient, web: WebApp) -> None:
    from dataclasses import replace

    from hanport.costs.settings import tariff_settings
    from hanport.web.api_costs import CostState

    raw = {"network": ("elektrilevi-vma2", "tariff.network")}
    tariff = build_tariff(tariff_settings(raw, fuse_a=Decimal(80)))  # type: ignore[arg-type]
    now = datetime(2026, 1, 10, 13, 30, tzinfo=ZONE)
    web.context.view.offer(CostState(tariff, now=lambda: now))
    web.context.hub.publish(replace(web.readings[-1], power_import_w=60_000))
    try:
        body = client.get("/api/v1/costs/summary").json()
        quiet = replace(web.readings[-1], power_import_w=0)
        web.context.hub.publish(quiet)
        calm = client.get("/api/v1/costs/summary").json()
    finally:
        web.context.view.offer(CostState(build_tariff(Settings().get(TARIFF))))
    peak = body["peak"]
    assert _decimal(peak["kw"]) > 0
    assert peak["start"] is not None
    warning = peak["warning"]
    assert warning["new_peak"] is True
    assert _decimal(warning["projected_kw"]) > _decimal(warning["threshold_kw"])
    assert _decimal(warning["threshold_kw"]) == _decimal(peak["kw"])
    assert calm["peak"]["warning"] is None or calm["peak"]["warning"]["new_peak"] is False


def test_the_start_works_out_the_year_s_months_before_the_first_request(tmp_path: Path) -> None:
    """`hanport run`'s app warms the cost cache a few seconds after its start, so the first
    year of month rows answers as fast as the later ones."""
    from hanport.web.api_costs import CostState, warm_costs

    built = make_app(tmp_path / "app.db", hours=2)
    state = CostState(build_tariff(Settings().get(TARIFF)), now=lambda: DAY + timedelta(days=40))
    built.context.view.offer(state)
    assert len(state.cache) == 0
    asyncio.run(warm_costs(built.app, built.context, delay_s=0))
    assert len(state.cache) > 0
