"""Quiet hours, summaries and the per-channel rate limit; every message in both languages."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest

from hanport.alerts.engine import Notice, NoticeEvent
from hanport.alerts.messages import render_notice, render_summary
from hanport.alerts.outbox import ChannelPolicy, Outbox, QuietHours
from hanport.alerts.rules import RULE_KINDS, SEVERITY, RuleKind
from hanport.i18n.catalogue import catalogue
from hanport.quality.scenarios import TALLINN

NIGHT = datetime(2026, 1, 12, 1, 30, tzinfo=TALLINN)
QUIET = QuietHours(time(22), time(7))


def notice(
    rule: RuleKind, event: NoticeEvent = "fired", at: datetime = NIGHT, started: datetime = NIGHT
) -> Notice:
    return Notice(rule, "L1", event, SEVERITY[rule], started, at, {"since": started})


def outbox(max_per_hour: int = 20) -> Outbox:
    policies = [ChannelPolicy("email", True, max_per_hour), ChannelPolicy("webhook", False, 20)]
    return Outbox(policies, QUIET, TALLINN)


def test_quiet_hours_span_midnight() -> None:
    assert QUIET.contains(NIGHT, TALLINN)
    assert QUIET.contains(NIGHT.replace(hour=22), TALLINN)
    assert not QUIET.contains(NIGHT.replace(hour=7), TALLINN)
    assert QuietHours(time(13), time(15)).contains(NIGHT.replace(hour=14), TALLINN)


def test_critical_alerts_pass_quiet_hours_warnings_wait_info_is_dropped() -> None:
    box = outbox()
    plan = box.plan(
        [notice("broken_neutral"), notice("overcurrent"), notice("monthly_peak")], NIGHT
    )
    by_channel = {(d.channel, d.notices[0].rule) for d in plan}
    assert by_channel == {
        ("email", "broken_neutral"),
        ("webhook", "broken_neutral"),
        ("webhook", "overcurrent"),
        ("webhook", "monthly_peak"),
    }
    assert [n.rule for n in box.held("email")] == ["overcurrent"]


def test_the_first_moment_after_quiet_hours_sends_one_summary() -> None:
    box = outbox()
    start = NIGHT
    box.plan([notice("overcurrent")], start)
    box.plan([notice("overcurrent", "repeated", start + timedelta(hours=1))], start)
    box.plan([notice("overcurrent", "cleared", start + timedelta(hours=2))], start)
    box.plan([notice("data_lost", started=start + timedelta(hours=3))], start)
    assert box.plan([], NIGHT.replace(hour=6, minute=59)) == []
    (summary,) = box.plan([], NIGHT.replace(hour=7))
    assert (summary.channel, summary.summary) == ("email", True)
    assert [(n.rule, n.event) for n in summary.notices] == [
        ("overcurrent", "fired"),
        ("overcurrent", "cleared"),
        ("data_lost", "fired"),
    ]  # the repeat was dropped
    message = render_summary(summary.notices, "en", TALLINN, str(QUIET), NIGHT.replace(hour=7))
    assert message.title == "2 alert(s) during quiet hours"
    lines = message.body.splitlines()
    assert lines[0] == "While quiet hours lasted (22:00–07:00) these alerts were held back:"
    assert lines[1].endswith("(2026-01-12 01:30–03:30)")
    assert lines[2].endswith("(2026-01-12 04:30–still on)")
    assert box.plan([], NIGHT.replace(hour=8)) == []


def test_the_rate_limit_counts_per_channel_and_says_what_it_left_out() -> None:
    box = Outbox([ChannelPolicy("ntfy", False, 3)], None, TALLINN)
    plans = [
        box.plan(
            [notice("overcurrent", at=NIGHT + timedelta(minutes=m))], NIGHT + timedelta(minutes=m)
        )
        for m in range(6)
    ]
    assert [len(p) for p in plans] == [1, 1, 1, 0, 0, 0]
    (later,) = box.plan([notice("phase_lost")], NIGHT + timedelta(minutes=61))
    assert later.withheld == 3
    body = render_notice(later.notices[0], "en", TALLINN, later.withheld).body
    assert "3 message(s) to this channel were not sent because of alerts.max_per_hour" in body


@pytest.mark.parametrize("language", ["en", "et"])
@pytest.mark.parametrize("rule", RULE_KINDS)
def test_every_rule_renders_in_both_languages(rule: RuleKind, language: str) -> None:
    figures: dict[str, object] = {
        "current_a": Decimal("27.25"),
        "fuse_a": Decimal(25),
        "pct": Decimal(100),
        "load_pct": Decimal(109),
        "power_w": 16200,
        "threshold_w": Decimal(15000),
        "mean_v": Decimal("194.50"),
        "low_v": Decimal(207),
        "high_v": Decimal(253),
        "wide_v": Decimal("195.5"),
        "wide": True,
        "voltage_v": None,
        "high_phases": "L1",
        "low_phases": "L3",
        "high_limit_v": Decimal(260),
        "low_limit_v": Decimal(200),
        "count": 70,
        "threshold": Decimal(60),
        "month": "2026-01",
        "what": "register_reset",
        "before": "A",
        "after": "B",
        "register": "energy_import_wh",
        "before_wh": 100,
        "after_wh": 5,
        "reason": "no reading",
        "since": NIGHT,
        "at": NIGHT,
        "lasted_s": 3720,
        "duration_s": 60,
        "peak": Decimal("30.5"),
    }
    events: tuple[NoticeEvent, ...] = (
        ("occurred",) if rule in ("meter_changed", "monthly_peak") else ("fired", "cleared")
    )
    for event in events:
        message = render_notice(
            Notice(rule, "L1", event, SEVERITY[rule], NIGHT, NIGHT, figures), language, TALLINN
        )
        assert "{" not in message.title + message.body
        assert message.body.endswith(("hanport, 12.01.2026 01:30", "hanport, 2026-01-12 01:30"))
        if language == "et" and rule in ("overcurrent", "voltage_band"):
            assert "," in message.body.split("\n")[0]  # decimal commas


def test_every_text_has_both_languages_and_the_same_figures() -> None:
    import string

    codes = [code for code in catalogue("en") if code.startswith("alerts.")]
    assert len(codes) > 60
    for code in codes:
        texts = (catalogue("en")[code], catalogue("et")[code])
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in texts]
        assert fields[0] == fields[1], code
