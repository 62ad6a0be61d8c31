"""Every data endpoint of /api/v1, good and bad parameters, over simulated readings."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from webapp import PASSWORD, ZONE, WebApp, make_app, simulated

from hanport.output import reading_json
from hanport.store.rollups import STAT_FIELDS, period_start, rollups


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> WebApp:
    return make_app(tmp_path_factory.mktemp("api") / "app.db", hours=3.5)


@pytest.fixture(scope="module")
def client(web: WebApp) -> TestClient:
    user = web.context.accounts.add_user("admin", PASSWORD)
    secret, _ = web.context.accounts.create_token(user, "tests")
    return TestClient(web.app, headers={"Authorization": f"Bearer {secret}"})


METER = "1ESY1160000000"


def test_meters(client: TestClient, web: WebApp) -> None:
    meters = client.get("/api/v1/meters").json()["meters"]
    assert len(meters) == 1
    first, last = web.readings[0], web.readings[-1]
    assert meters[0]["id"] == (first.meter_id or "")  # the E360 sends no id: the one meter ""
    assert meters[0]["model"] == last.meter_model
    assert meters[0]["first_reading"] == first.meter_time.isoformat()  # type: ignore[union-attr]
    assert meters[0]["last_reading"] == last.meter_time.isoformat()  # type: ignore[union-attr]


def test_latest_reading_is_exact(client: TestClient, web: WebApp) -> None:
    answer = client.get("/api/v1/readings/latest")
    assert answer.status_code == 200
    body = answer.json(parse_float=Decimal)
    assert body["reading"] == json.loads(reading_json(web.readings[-1]), parse_float=Decimal)
    assert body["meter"] == (web.readings[-1].meter_id or "")


def test_raw_readings_of_a_period_with_chosen_fields(client: TestClient, web: WebApp) -> None:
    times = [r.meter_time for r in web.readings]
    assert times[0] is not None
    assert times[30] is not None
    query = {
        "from": times[0].isoformat(),
        "to": times[30].isoformat(),
        "fields": "power_import_w,voltage_l1_v",
    }
    body = client.get("/api/v1/readings", params=query).json(parse_float=Decimal)
    assert len(body["readings"]) == 30
    fifth = web.readings[5]
    assert body["readings"][5] == {
        "meter_time": times[5].isoformat(),  # type: ignore[union-attr]
        "power_import_w": fifth.power_import_w,
        "voltage_l1_v": fifth.voltage_l1_v,
    }


def test_hourly_series_match_the_rollups(client: TestClient, web: WebApp) -> None:
    body = client.get(
        "/api/v1/series", params={"step": "1h", "from": "2026-01-10", "to": "2026-01-11"}
    ).json(parse_float=Decimal)
    expected = list(rollups(web.readings, "1h", ZONE))  # the open hour too, computed now
    assert [row["start"] for row in body["rows"]] == [r.start.isoformat() for r in expected]
    for row, rollup in zip(body["rows"], expected, strict=True):
        assert row["energy_import_wh"] == rollup.energy_import_wh
        assert row["t"] == int(rollup.start.timestamp())
        stats = row["stats"]["voltage_l2_v"]
        assert (stats["min"], stats["max"]) == (
            rollup.stats["voltage_l2_v"].minimum,
            rollup.stats["voltage_l2_v"].maximum,
        )
        assert stats["avg"] == rollup.stats["voltage_l2_v"].mean.quantize(Decimal("0.001"))
        assert set(row["stats"]) == set(STAT_FIELDS)
    assert [row.get("partial") for row in body["rows"]] == [None] * (len(expected) - 1) + [True]


def test_series_fields_and_steps(client: TestClient) -> None:
    for step in ("15m", "1h", "1d", "1mo"):
        body = client.get(
            "/api/v1/series",
            params={
                "step": step,
                "from": "2026-01-01",
                "to": "2026-02-01",
                "fields": "current_l3_a",
            },
        ).json()
        assert body["step"] == step
        assert body["rows"]
        assert all(set(row["stats"]) == {"current_l3_a"} for row in body["rows"])
    day = client.get(
        "/api/v1/series", params={"step": "1d", "from": "2026-01-01", "to": "2026-02-01"}
    ).json()
    hours = client.get(
        "/api/v1/series", params={"step": "1h", "from": "2026-01-01", "to": "2026-02-01"}
    ).json()
    assert day["rows"][0]["energy_import_wh"] == sum(r["energy_import_wh"] for r in hours["rows"])
    assert day["rows"][0]["start"] == "2026-01-10T00:00:00+02:00"


def test_energy_per_day_month_and_year(client: TestClient) -> None:
    hours = client.get("/api/v1/series", params={"from": "2026-01-01", "to": "2026-02-01"}).json()
    total = sum(r["energy_import_wh"] for r in hours["rows"])
    for period, start in (
        ("day", "2026-01-10T00:00:00+02:00"),
        ("month", "2026-01-01T00:00:00+02:00"),
        ("year", "2026-01-01T00:00:00+02:00"),
    ):
        body = client.get(
            "/api/v1/energy", params={"period": period, "from": "2025-12-01", "to": "2027-01-01"}
        ).json()
        assert body["period"] == period
        assert [row["start"] for row in body["rows"]] == [start]
        assert body["rows"][0]["energy_import_wh"] == total


def test_status_and_fields(client: TestClient) -> None:
    status = client.get("/api/v1/status").json()
    assert status["status"] == "connected"
    assert status["fuse_a"] == 25
    assert (status["voltage_min_v"], status["voltage_max_v"]) == (207, 253)
    fields = {f["name"]: f for f in client.get("/api/v1/fields").json()["fields"]}
    assert fields["energy_import_wh"]["state_class"] == "total_increasing"
    assert fields["voltage_l1_v"]["label"]["et"]


def test_status_says_what_the_reader_found(client: TestClient, web: WebApp) -> None:
    state = web.context.state
    fresh = client.get("/api/v1/status").json()
    assert {k: fresh[k] for k in ("format", "last_rejection", "unauthenticated")} == dict.fromkeys(
        ("format", "last_rejection", "unauthenticated")
    )
    assert (fresh["energy_scales"], fresh["unverified"], fresh["retry_in_s"]) == ({}, False, None)
    state.format = "hdlc+encrypted"
    state.last_rejection = "Checksum mismatch in the HDLC frame: the frame says 1234, computed 5678"
    state.rejected_since_reading = 3
    state.unauthenticated = "4C475A6700112233"
    state.energy_scales = {"6A1": 10}
    state.unverified = True
    state.status, state.retry_in_s = "reconnecting", 3.27
    try:
        status = client.get("/api/v1/status").json()
    finally:
        state.__init__(state.source, status="connected")  # type: ignore[misc]
    assert status["format"] == "hdlc+encrypted"
    assert status["last_rejection"].startswith("Checksum mismatch")
    assert status["rejected_since_reading"] == 3
    assert status["unauthenticated"] == "4C475A6700112233"
    assert status["energy_scales"] == {"6A1": 10}
    assert status["unverified"] is True
    assert status["retry_in_s"] == 3.3


def test_export_csv(client: TestClient) -> None:
    answer = client.get(
        "/api/v1/export", params={"from": "2026-01-10", "to": "2026-01-11", "step": "1h"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == 4  # the hour the first reading (08:00:00) closes, and 08:00 … 11:00
    assert rows[0]["start"].startswith("2026-01-10T07:00:00+02:00")
    assert rows[1]["start"].startswith("2026-01-10T08:00:00+02:00")
    assert rows[1]["readings"] == "360"
    assert rows[1]["legacy"] == "0"
    raw = client.get(
        "/api/v1/export", params={"from": "2026-01-10", "to": "2026-01-11", "format": "json"}
    )
    assert len(raw.text.splitlines()) == 1260


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/api/v1/series", {"step": "2h"}, 422, "step='2h' is not allowed; use 15m, 1h, 1d, 1mo"),
        ("/api/v1/series", {"from": "yesterday"}, 422, "from='yesterday' is not a date or time"),
        ("/api/v1/series", {"from": "2026-02-01", "to": "2026-01-01"}, 422, "must come after"),
        ("/api/v1/series", {"fields": "power_w"}, 422, "Unknown field 'power_w'"),
        ("/api/v1/series", {"meter": "nobody"}, 404, "There is no meter 'nobody'"),
        ("/api/v1/readings", {"from": "2026-01-01", "to": "2026-03-01"}, 422, "at most 7 days"),
        ("/api/v1/readings", {"fields": "extra"}, 422, "Unknown field 'extra'"),
        ("/api/v1/energy", {"period": "week"}, 422, "period='week' is not allowed"),
        ("/api/v1/export", {"format": "xlsx"}, 422, "format='xlsx' is not allowed"),
        ("/api/v1/series", {"from": "0001-01-01"}, 422, "outside the years"),
        ("/api/v1/nothing", {}, 404, "There is no endpoint /api/v1/nothing"),
    ],
)
def test_bad_parameters_say_what_is_wrong(
    client: TestClient, path: str, params: dict[str, str], status: int, words: str
) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == status
    assert words in answer.json()["error"]
    assert answer.headers["content-type"] == "application/json"


def test_two_meters_need_a_choice(tmp_path: Path) -> None:
    web = make_app(tmp_path / "two.db", hours=0.1)
    other = [r.__class__(**{**r.__dict__, "meter_id": "OTHER"}) for r in simulated(5, seed=9)]
    web.context.store.write(other)
    user = web.context.accounts.add_user("admin", PASSWORD)
    secret, _ = web.context.accounts.create_token(user, "t")
    client = TestClient(web.app, headers={"Authorization": f"Bearer {secret}"})
    answer = client.get("/api/v1/readings/latest")
    assert answer.status_code == 422
    assert "choose one with meter=" in answer.json()["error"]
    assert (
        client.get("/api/v1/readings/latest", params={"meter": "OTHER"}).json()["meter"] == "OTHER"
    )


def test_openapi_document_and_pages(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/series", "/api/v1/stream", "/api/v1/tokens/{token_id}"} <= set(
        document["paths"]
    )
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_the_quarters_of_the_open_hour_are_served_the_last_one_partial(
    client: TestClient, web: WebApp
) -> None:
    body = client.get(
        "/api/v1/series", params={"step": "15m", "from": "2026-01-10", "to": "2026-01-11"}
    ).json(parse_float=Decimal)
    expected = list(rollups(web.readings, "15m", ZONE))
    assert expected[-1].start.isoformat() == "2026-01-10T11:15:00+02:00"  # still open
    assert [row["start"] for row in body["rows"]] == [r.start.isoformat() for r in expected]
    for row, rollup in zip(body["rows"][-2:], expected[-2:], strict=True):  # the open hour's
        assert row["energy_import_wh"] == rollup.energy_import_wh
        assert row["readings"] == rollup.readings
        assert row["stats"]["power_import_w"]["max"] == rollup.stats["power_import_w"].maximum
    assert "partial" not in body["rows"][-2]  # 11:00–11:15 has ended
    assert body["rows"][-1]["partial"] is True


def test_a_window_that_ends_before_the_open_period_has_no_partial_row(
    client: TestClient,
) -> None:
    quarter = client.get(
        "/api/v1/series",
        params={"step": "15m", "from": "2026-01-10T11:00+02:00", "to": "2026-01-10T11:15+02:00"},
    ).json()
    assert [(row["start"], row.get("partial")) for row in quarter["rows"]] == [
        ("2026-01-10T11:00:00+02:00", None)
    ]
    hours = client.get(
        "/api/v1/series", params={"step": "1h", "from": "2026-01-10", "to": "2026-01-10T11:00"}
    ).json()
    assert len(hours["rows"]) == 4  # 07:00 (closed by the first reading, at 08:00:00) … 10:00
    assert all("partial" not in row for row in hours["rows"])


def _fresh(tmp_path: Path) -> tuple[TestClient, WebApp]:
    """An app over an empty database (a new install)."""
    web = make_app(tmp_path / "fresh.db", hours=0)
    user = web.context.accounts.add_user("admin", PASSWORD)
    secret, _ = web.context.accounts.create_token(user, "t")
    return TestClient(web.app, headers={"Authorization": f"Bearer {secret}"}), web


def _by_step(client: TestClient, start: str, end: str) -> dict[str, list[dict[str, Any]]]:
    return {
        step: client.get("/api/v1/series", params={"step": step, "from": start, "to": end}).json(
            parse_float=Decimal
        )["rows"]
        for step in ("15m", "1h", "1d", "1mo")
    }


def test_two_minutes_of_a_new_meter_give_a_partial_period_at_every_step(tmp_path: Path) -> None:
    client, web = _fresh(tmp_path)
    readings = simulated(13, start=datetime(2026, 3, 17, 10, 3, tzinfo=UTC))  # 12:03–12:05
    web.context.store.write(readings[:6])  # two writes: two pending blocks of the open hour
    web.context.store.write(readings[6:])
    first, last = readings[0], readings[-1]
    assert last.energy_import_wh is not None
    assert first.energy_import_wh is not None
    assert last.meter_time is not None
    used = last.energy_import_wh - first.energy_import_wh  # registers, not power samples
    assert used > 0
    for step, rows in _by_step(client, "2026-03-01", "2026-04-01").items():
        assert len(rows) == 1, step
        row = rows[0]
        assert row["partial"] is True, step
        assert row["start"] == period_start(last.meter_time, step, ZONE).isoformat()
        assert row["readings"] == 13
        assert row["energy_import_wh"] == used
        assert row["stats"]["power_import_w"]["max"] == max(r.power_import_w or 0 for r in readings)
    for period in ("day", "month", "year"):
        energy = client.get(
            "/api/v1/energy", params={"period": period, "from": "2026-01-01", "to": "2027-01-01"}
        ).json()["rows"]
        assert [(row["energy_import_wh"], row["partial"]) for row in energy] == [(used, True)]


def test_the_open_period_grows_with_each_write(tmp_path: Path) -> None:
    client, web = _fresh(tmp_path)
    readings = simulated(30, start=datetime(2026, 3, 17, 10, 3, tzinfo=UTC))
    seen = []
    for first in (0, 10, 20):
        web.context.store.write(readings[first : first + 10])
        rows = _by_step(client, "2026-03-01", "2026-04-01")
        seen.append(
            {step: (r[-1]["readings"], r[-1]["energy_import_wh"]) for step, r in rows.items()}
        )
    for step in ("15m", "1h", "1d", "1mo"):
        assert [s[step][0] for s in seen] == [10, 20, 30], step
        assert seen[0][step][1] < seen[1][step][1] < seen[2][step][1], step


def test_the_partial_figures_are_those_stored_when_the_period_closes(tmp_path: Path) -> None:
    client, web = _fresh(tmp_path)
    readings = simulated(421, start=datetime(2026, 1, 31, 20, 55, tzinfo=UTC))  # 22:55–00:05
    midnight = next(i for i, r in enumerate(readings) if r.meter_time and r.meter_time.day == 1)
    web.context.store.write(readings[:midnight])  # 22:00 is final, 23:00 stays open
    window = ("2026-01-01", "2026-03-01")
    before = _by_step(client, *window)
    assert [row["start"][11:16] for row in before["15m"]] == [
        "22:45",
        "23:00",
        "23:15",
        "23:30",
        "23:45",
    ]
    for step, rows in before.items():
        assert [row.get("partial") for row in rows] == [None] * (len(rows) - 1) + [True], step
    web.context.store.write(readings[midnight:])  # 00:00:00 closes 23:45, 23:00, 31 January
    after = _by_step(client, *window)
    closing = readings[midnight]
    grown = closing.energy_import_wh - readings[midnight - 1].energy_import_wh  # type: ignore[operator]
    for step, rows in before.items():
        closed = [{k: v for k, v in row.items() if k != "partial"} for row in rows]
        assert after[step][: len(rows) - 1] == closed[:-1], step  # final ones: as they were
        last = after[step][len(rows) - 1]  # the open one, now closed with the 00:00:00 reading
        assert "partial" not in last, step
        assert last["readings"] == rows[-1]["readings"] + 1, step
        assert last["energy_import_wh"] == rows[-1]["energy_import_wh"] + grown, step
        assert after[step][-1]["partial"] is True
        assert after[step][-1]["start"] > rows[-1]["start"]
    total = readings[-1].energy_import_wh - readings[0].energy_import_wh  # type: ignore[operator]
    for step, rows in after.items():
        assert sum(row["energy_import_wh"] for row in rows) == total, step


def test_the_openapi_operations_are_grouped() -> None:
    from hanport.web.openapi import openapi_document

    paths = openapi_document()["paths"]
    assert paths["/api/v1/stream"]["get"]["tags"] == ["live"]
    assert paths["/api/v1/tokens/{token_id}"]["delete"]["tags"] == ["accounts"]
    assert paths["/api/v1/series"]["get"]["tags"] == ["data"]


def test_every_text_of_the_openapi_document_is_in_estonian_too() -> None:
    from hanport.web.openapi import openapi_document

    missing: list[str] = []

    def walk(node: object, schema: bool) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, schema)
        elif isinstance(node, dict):
            for key in ("summary", "description"):
                text = node.get(key)
                if isinstance(text, str) and not schema:
                    estonian = node.get(f"x-{key}-et")
                    if not estonian or estonian == text or text.count("`") != estonian.count("`"):
                        missing.append(text)
            for key, value in node.items():
                walk(value, schema or key in ("schema", "properties", "items"))

    document = openapi_document()
    walk(document, False)
    assert missing == []
    series = document["paths"]["/api/v1/series"]["get"]
    assert "`partial: true`" in series["description"]
    assert "`partial: true`" in series["x-description-et"]
    assert "lugem" not in json.dumps(document, ensure_ascii=False)


def test_dashboard_files_come_compressed_and_cached(client: TestClient) -> None:
    script = client.get("/static/js/app.js", headers={"Accept-Encoding": "gzip"})
    assert script.status_code == 200
    assert script.headers["content-encoding"] == "gzip"
    assert script.headers["content-type"].startswith("text/javascript")
    assert "import" in script.text  # decompressed by the client: the real file
    again = client.get("/static/js/app.js", headers={"If-None-Match": script.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/sw.js").headers["content-type"].startswith("text/javascript")
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == "/"
    missing = client.get("/static/js/nothing.js")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "The app has no file js/nothing.js.",
        "code": "web.no_file",
        "params": {"name": "js/nothing.js"},
    }
    assert client.get("/static/../app.py").status_code == 404
