"""Notices as messages for people (title and body in English or Estonian) and for machines.

`payload` is what the webhook receives (JSON, exact numbers):

    {"event": "fired", "rule": "overcurrent", "subject": "L1", "severity": "warning",
     "started": "2026-01-12T08:00:00+02:00", "cleared": null, "at": "…", "title": "…",
     "message": "…", "language": "en", "figures": {"current_a": 27.3, "fuse_a": 25, …}}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal

from hanport.alerts.engine import Notice
from hanport.i18n.catalogue import render
from hanport.i18n.formats import duration, moment, rounded
from hanport.quality.jsontext import json_text

__all__ = ["Message", "render_notice", "render_summary"]

_PLACES = {
    "current_a": 1,
    "load_pct": 0,
    "pct": 0,
    "fuse_a": 0,
    "power_w": 0,
    "threshold_w": 0,
    "mean_v": 2,
    "low_v": 1,
    "high_v": 1,
    "wide_v": 1,
    "voltage_v": 1,
    "high_limit_v": 0,
    "low_limit_v": 0,
    "count": 0,
    "threshold": 0,
    "before_wh": 0,
    "after_wh": 0,
}
_PEAK_PLACES = {
    "overcurrent": 1,
    "import_power": 0,
    "voltage_band": 2,
    "broken_neutral": 1,
    "decoder_errors": 0,
}


_LIMITS = frozenset({"low_v", "high_v", "wide_v", "fuse_a", "pct", "threshold_w"})


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    severity: str
    event: str
    """fired, repeated, cleared, occurred, or summary."""
    at: datetime
    language: str
    rule: str | None = None
    subject: str | None = None
    payload: dict[str, object] = field(default_factory=dict, compare=False)

    def json(self) -> str:
        return json_text(self.payload)


def render_notice(notice: Notice, language: str, zone: tzinfo, withheld: int = 0) -> Message:
    values = _values(notice, language, zone)
    stem = _stem(notice)
    title = _say(f"alerts.{stem}_title", language, **values)
    if notice.event == "repeated":
        title = _say("alerts.repeated_prefix", language) + title
    body = _say(f"alerts.{stem}_body", language, **values)
    body += _footer(notice.at, language, zone, withheld)
    payload: dict[str, object] = {
        "event": notice.event,
        "rule": notice.rule,
        "subject": notice.subject,
        "severity": notice.severity,
        "started": notice.started.astimezone(zone),
        "cleared": notice.cleared.astimezone(zone) if notice.cleared else None,
        "at": notice.at.astimezone(zone),
        "title": title,
        "message": body,
        "language": language,
        "figures": {k: _plain(v, zone) for k, v in notice.figures.items()},
    }
    return Message(
        title,
        body,
        notice.severity,
        notice.event,
        notice.at,
        language,
        notice.rule,
        notice.subject,
        payload,
    )


def render_summary(
    notices: Sequence[Notice],
    language: str,
    zone: tzinfo,
    quiet: str,
    at: datetime,
    withheld: int = 0,
) -> Message:
    """One message for the alerts held during quiet hours: each alert once, with its span."""
    spans: dict[str, tuple[Notice, datetime | None]] = {}
    for notice in notices:
        first, cleared = spans.get(notice.id, (notice, None))
        if notice.event == "cleared":
            cleared = notice.cleared or notice.at
        spans[notice.id] = (first, cleared)
    lines = [_say("alerts.summary_intro", language, quiet=quiet)]
    for first, cleared in spans.values():
        title = render_notice(first, language, zone).title.removeprefix(
            _say("alerts.repeated_prefix", language)
        )
        end = (
            moment(cleared, zone, language)[-5:]
            if cleared
            else _say("alerts.summary_active", language)
        )
        if first.event == "cleared":
            title = render_notice(first, language, zone).title
        lines.append(
            _say(
                "alerts.summary_line",
                language,
                title=title,
                start=moment(first.started, zone, language),
                end=end,
            )
        )
    title = _say("alerts.summary_title", language, count=len(spans))
    body = "\n".join(lines) + _footer(at, language, zone, withheld)
    worst = "critical" if any(n.severity == "critical" for n in notices) else "warning"
    payload: dict[str, object] = {
        "event": "summary",
        "severity": worst,
        "at": at.astimezone(zone),
        "title": title,
        "message": body,
        "language": language,
        "alerts": [
            {
                "rule": first.rule,
                "subject": first.subject,
                "started": first.started.astimezone(zone),
                "cleared": cleared.astimezone(zone) if cleared else None,
            }
            for first, cleared in spans.values()
        ],
    }
    return Message(title, body, worst, "summary", at, language, payload=payload)


def _stem(notice: Notice) -> str:
    if notice.rule == "meter_changed":
        return f"meter_changed_{notice.figures.get('what', 'replaced')}"
    event = "fired" if notice.event == "repeated" else notice.event
    return f"{notice.rule}_{event}"


def _values(notice: Notice, language: str, zone: tzinfo) -> dict[str, object]:
    values: dict[str, object] = {"subject": notice.subject}
    for name, value in notice.figures.items():
        if isinstance(value, datetime):
            values[name] = moment(value, zone, language)
        elif isinstance(value, bool) or value is None:
            values[name] = value
        elif isinstance(value, Decimal | int):
            places = _PEAK_PLACES.get(notice.rule, 1) if name == "peak" else _PLACES.get(name, 0)
            if name in _LIMITS and Decimal(value) == Decimal(value).to_integral_value():
                places = 0
            values[name] = rounded(value, places, language)
        else:
            values[name] = value
    values["lasted"] = duration(int(str(notice.figures.get("lasted_s", 0))), language)
    values["duration"] = duration(int(str(notice.figures.get("duration_s", 0))), language)
    if notice.figures.get("voltage_v", 0) is None:
        values["voltage_v"] = _say("alerts.no_voltage", language)
    elif "voltage_v" in values:
        values["voltage_v"] = f"{values['voltage_v']} V"
    values["wide"] = (
        _say("alerts.voltage_band_wide", language, **values) if values.get("wide") else ""
    )
    reason = notice.figures.get("reason")
    values["reason"] = _say("alerts.reason", language, reason=reason) if reason else ""
    values.setdefault("peak", "–")
    return values


def _footer(at: datetime, language: str, zone: tzinfo, withheld: int) -> str:
    footer = "\n\n" + _say("alerts.footer", language, when=moment(at, zone, language))
    if withheld:
        footer = "\n\n" + _say("alerts.withheld", language, count=withheld) + footer
    return footer


def _say(code: str, language: str, **values: object) -> str:
    """An alert's sentence; a figure the notice lacks shows as a dash, never as a crash."""
    return render(code, values, language, missing="–")


def _plain(value: object, zone: tzinfo) -> object:
    if isinstance(value, datetime):
        return value.astimezone(zone)
    if isinstance(value, str | int | Decimal | bool) or value is None:
        return value
    return str(value)
