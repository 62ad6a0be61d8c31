"""The report of a period: what the PDF, the CSV, the app's Quality page and the API show.

    start, end = report_span(first_day, last_day, method)      # whole weeks around the period
    report = build_report(info, first_day, last_day, windows_between(start, end), events, method,
                          created=now)
    report_pdf(report), report_csv(report), report_json(report)

EN 50160 judges whole weeks, so the weekly figures come from the windows of every whole week the
period touches (`report_span`); the chart and the event list keep to the period itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from hanport.quality.events import Event
from hanport.quality.jsontext import json_text
from hanport.quality.weeks import Verdict, WeekFigures, week_bounds, weekly_figures
from hanport.quality.windows import Method, Window

__all__ = [
    "QualityReport",
    "SiteInfo",
    "build_report",
    "overall",
    "report_bytes",
    "report_json",
    "report_span",
]


@dataclass(frozen=True)
class SiteInfo:
    """Who and what the report is about (from the settings and the meter's own readings)."""

    meter_id: str = ""
    meter_model: str = ""
    site_name: str = ""
    metering_point: str = ""
    fuse_a: Decimal = Decimal(25)
    nominal_v: Decimal = Decimal(230)


@dataclass(frozen=True)
class QualityReport:
    info: SiteInfo
    first_day: date
    last_day: date
    start: datetime
    """UTC start of the period (local midnight of `first_day`) …"""
    end: datetime
    """… and its end (local midnight after `last_day`)."""
    method: Method
    weeks: tuple[WeekFigures, ...]
    windows: tuple[Window, ...]
    events: tuple[Event, ...]
    created: datetime
    language: str

    def verdict(self, phase: int) -> Verdict:
        return overall(self.weeks, phase, self.method)


def report_span(first_day: date, last_day: date, method: Method) -> tuple[datetime, datetime]:
    """UTC start and end of the whole weeks that the days `first_day` … `last_day` touch."""
    if last_day < first_day:
        raise ValueError("The period ends before it starts.")
    zone, weekday = method.zone, method.settings.week_start
    start = week_bounds(_midnight(first_day, method), zone, weekday)[0]
    end = week_bounds(_midnight(last_day, method), zone, weekday)[1]
    return start, end


def build_report(
    info: SiteInfo,
    first_day: date,
    last_day: date,
    windows: Iterable[Window],
    events: Iterable[Event],
    method: Method,
    created: datetime,
    language: str | None = None,
) -> QualityReport:
    """`windows` of the whole weeks (`report_span`); `events` that overlap the period."""
    start, end = _midnight(first_day, method), _midnight(last_day + timedelta(days=1), method)
    span = report_span(first_day, last_day, method)
    whole = tuple(w for w in windows if span[0] <= w.start < span[1])
    return QualityReport(
        info=info,
        first_day=first_day,
        last_day=last_day,
        start=start,
        end=end,
        method=method,
        weeks=weekly_figures(whole, method),
        windows=tuple(w for w in whole if start <= w.start < end),
        events=tuple(e for e in events if e.start < end and e.end > start),
        created=created,
        language=language or method.settings.language,
    )


def overall(weeks: Iterable[WeekFigures], phase: int, method: Method) -> Verdict:
    """Fails if any week fails; passes if every week passes; else too little data."""
    verdicts = {week.verdict(phase, method.settings) for week in weeks}
    if "fail" in verdicts:
        return "fail"
    return "pass" if verdicts == {"pass"} else "insufficient"


Detail = Literal["full", "summary"]


def report_json(report: QualityReport, detail: Detail = "full") -> str:
    """The API's and the app's shape of the report; `summary` leaves out the 10-min means."""
    settings = report.method.settings
    body: dict[str, object] = {
        "meter_id": report.info.meter_id,
        "site_name": report.info.site_name,
        "metering_point": report.info.metering_point,
        "from": report.first_day.isoformat(),
        "to": report.last_day.isoformat(),
        "start": report.start,
        "end": report.end,
        "phases": report.method.phases,
        "limits": {
            "band_v": [settings.band_low_v, settings.band_high_v],
            "wide_band_v": [settings.wide_low_v, settings.band_high_v],
            "pv_trip_v": settings.pv_trip_v,
            "unbalance_pct": settings.unbalance_pct,
            "min_samples": settings.min_samples,
            "en50160": settings.is_en50160,
        },
        "verdicts": {f"l{n}": report.verdict(n) for n in range(1, report.method.phases + 1)},
        "weeks": [_week_json(week, report.method) for week in report.weeks],
        "events": [_event_json(event) for event in report.events],
    }
    if detail == "full":
        body["windows"] = [_window_json(window) for window in report.windows]
    return json_text(body)


def _week_json(week: WeekFigures, method: Method) -> dict[str, object]:
    return {
        "start": week.start,
        "end": week.end,
        "expected": week.expected,
        "unbalance": {
            "windows": week.unbalance_windows,
            "within": week.unbalance_within,
            "max_pct": week.unbalance_max_pct,
        },
        "phases": [
            {
                "phase": p.phase,
                "complete": p.complete,
                "incomplete": p.incomplete,
                "within_band": p.within_band,
                "within_band_pct": p.band_pct,
                "within_wide": p.within_wide,
                "within_wide_pct": p.wide_pct,
                "at_trip_s": p.at_trip * method.interval_s,
                "min_mean_v": p.min_mean_v,
                "max_mean_v": p.max_mean_v,
                "verdict": week.verdict(p.phase, method.settings),
            }
            for p in week.phases
        ],
    }


def _event_json(event: Event) -> dict[str, object]:
    return {
        "kind": event.kind,
        "phases": list(event.phases),
        "start": event.start,
        "end": event.end,
        "duration_s": event.duration_s,
        "min_v": event.min_v,
        "max_v": event.max_v,
        "mean_v": event.mean_v,
        "unbalance_pct": event.unbalance_pct,
        "current_a": event.current_a,
        "count": event.count,
        "ongoing": event.ongoing,
    }


def _window_json(window: Window) -> list[object]:
    """[start, mean L1, L2, L3, complete]: compact, 1008 of them a week."""
    return [window.start, *(p.mean_v for p in window.phases), window.complete]


def _midnight(day: date, method: Method) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=method.zone)


def report_bytes(report: QualityReport, form: Literal["pdf", "csv", "json"]) -> bytes:
    """The report in one of its forms (for `hanport quality report --format` and the API)."""
    if form == "pdf":
        from hanport.quality.report_pdf import report_pdf

        return report_pdf(report)
    if form == "csv":
        from hanport.quality.report_csv import report_csv

        return report_csv(report).encode("utf-8")
    return report_json(report).encode("utf-8")
