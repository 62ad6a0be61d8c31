"""Alerts as a part of `hanport run`: `[alerts]` from the environment, the sink on the real
wiring (simulator → hub → alerts), the history in the database, a webhook on loopback."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from alerts.servers import http_server
from hanport import plugins
from hanport.alerts.journal import read_history
from hanport.alerts.plugin import ALERTS
from hanport.alerts.rule_edits import DEFAULTS, rules_from
from hanport.alerts.service import AlertService
from hanport.alerts.sink import AlertSink
from hanport.codec.decoder import Decoder
from hanport.runtime.hub import Subscription
from hanport.runtime.sink import RuntimeView
from hanport.runtime.wiring import run_runtime
from hanport.sources.transport import parse_source
from hanport.store import RecordStore, open_store

TALLINN = ZoneInfo("Europe/Tallinn")
KETTLE = "sim://?start=2026-03-22T18:14&speed=max&count=12"
"""A Sunday: the simulated kettle on L2 (≈ 9.5 A) until 18:15, then ≈ 3 A."""


def _environment(hook: str) -> dict[str, str]:
    return {
        "HANPORT_WEB_ENABLED": "no",
        "HANPORT_QUALITY_ENABLED": "no",
        "HANPORT_SITE_FUSE_A": "10",
        "HANPORT_ALERTS_OVERCURRENT_PCT": "80",
        "HANPORT_ALERTS_OVERCURRENT_S": "0",
        "HANPORT_ALERTS_CLEAR_S": "0",
        "HANPORT_ALERTS_DATA_LOST": "no",
        "HANPORT_ALERTS_WEBHOOK_URL": hook,
    }


def test_alerts_section_from_the_environment_and_its_sink() -> None:
    settings = plugins.load_settings(None, environ=_environment("http://127.0.0.1:9/h"))
    alerts = settings.get(ALERTS)
    overcurrent = next(r for r in alerts.rules if r.kind == "overcurrent")
    assert (overcurrent.threshold, overcurrent.duration_s) == (Decimal(80), 0)
    assert alerts.channels == ("webhook",)
    assert [type(s) for s in plugins.build_sinks(settings, "x.db")] == [AlertSink]
    off = plugins.load_settings(
        None,
        environ={
            "HANPORT_WEB_ENABLED": "no",
            "HANPORT_ALERTS_ENABLED": "no",
            "HANPORT_QUALITY_ENABLED": "no",
        },
    )
    assert plugins.build_sinks(off, "x.db") == []


def test_an_overload_fires_once_clears_and_stays_in_the_history(tmp_path: Path) -> None:
    database = str(tmp_path / "hanport.db")
    with http_server() as hook:
        settings = plugins.load_settings(None, environ=_environment(f"{hook.url}/hook"))
        sinks = plugins.build_sinks(settings, database)
        asyncio.run(
            run_runtime(parse_source(KETTLE), Decoder(), settings, database, sinks, lambda r: None)
        )
        bodies = [json.loads(r.body) for r in hook.wait(2)]
    assert [(b["event"], b["rule"], b["subject"]) for b in bodies] == [
        ("fired", "overcurrent", "L2"),
        ("cleared", "overcurrent", "L2"),
    ]
    assert Decimal(str(bodies[0]["figures"]["current_a"])) >= 8
    store = open_store(database, TALLINN)
    try:
        assert isinstance(store, RecordStore)
        now = datetime.now(UTC)
        (alert,) = read_history(store, now - timedelta(hours=1), now + timedelta(minutes=1))
    finally:
        store.close()
    assert (alert.rule, alert.subject, alert.active) == ("overcurrent", "L2", False)
    assert alert.cleared is not None
    assert alert.cleared >= alert.started
    assert alert.last_sent is not None
    assert "L2" in alert.title


class _Peek:
    """A sink that finds the running alerts; the first time, it changes their rules (as the
    app's PUT /api/v1/alerts/settings does)."""

    name = "peek"
    queue_size = 1000

    def __init__(self, change: dict[str, object] | None) -> None:
        self.change = change
        self.seen: AlertService | None = None

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        async for _ in readings:
            found = view.find(AlertService)
            if found is not None and self.seen is None:
                self.seen = found
                if self.change is not None:
                    found.set_rules(rules_from(self.change))
            await asyncio.sleep(0.01)


def test_rules_set_in_the_app_outlast_a_restart(tmp_path: Path) -> None:
    database = str(tmp_path / "hanport.db")
    settings = plugins.load_settings(None, environ={"HANPORT_WEB_ENABLED": "no"})
    source = "sim://?start=2026-03-22T12:00&speed=50&count=15"  # 3 s: the alerts run meanwhile

    def run(peek: _Peek) -> AlertService:
        sinks = [*plugins.build_sinks(settings, database), peek]
        asyncio.run(
            run_runtime(parse_source(source), Decoder(), settings, database, sinks, lambda r: None)
        )
        assert peek.seen is not None
        return peek.seen

    changed = {**DEFAULTS, "overcurrent_pct": "55", "phase_lost": False}
    first = run(_Peek(changed))
    assert first.engine.rules["overcurrent"].threshold == Decimal(55)
    again = run(_Peek(None))
    rules = {rule.kind: rule for rule in again.settings.rules}
    assert rules["overcurrent"].threshold == Decimal(55)
    assert not rules["phase_lost"].enabled
    assert "phase_lost" not in again.engine.rules


def test_an_alert_open_at_the_stop_ends_with_the_restart(tmp_path: Path) -> None:
    database = str(tmp_path / "hanport.db")
    with http_server() as hook:
        environment = {**_environment(f"{hook.url}/hook"), "HANPORT_ALERTS_CLEAR_S": "3600"}
        settings = plugins.load_settings(None, environ=environment)
        kettle_only = "sim://?start=2026-03-22T18:14&speed=max&count=3"
        for _ in range(2):
            sinks = plugins.build_sinks(settings, database)
            asyncio.run(
                run_runtime(
                    parse_source(kettle_only), Decoder(), settings, database, sinks, lambda r: None
                )
            )
        hook.wait(2)
    store = open_store(database, TALLINN)
    try:
        assert isinstance(store, RecordStore)
        now = datetime.now(UTC)
        alerts = read_history(store, now - timedelta(hours=1), now + timedelta(minutes=1))
    finally:
        store.close()
    assert len(alerts) == 2
    older, newer = sorted(alerts, key=lambda a: a.started)
    assert older.cleared is not None
    assert older.figures.get("restarted") is True
    assert newer.active
