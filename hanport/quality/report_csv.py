"""The report as CSV: one row per event, then the weekly figures per phase.

Values are for machines: ISO 8601 times with the local offset, decimals with a point, event
kinds and verdicts as codes; the section titles and column names follow the report's language.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from hanport.i18n import text
from hanport.quality.events import Event
from hanport.quality.report import QualityReport

__all__ = ["report_csv"]

EVENT_COLUMNS = (
    "kind",
    "description",
    "phase",
    "start",
    "end",
    "duration_s",
    "min_v",
    "max_v",
    "mean_v",
    "unbalance_pct",
    "current_a",
    "count",
    "ongoing",
)
WEEK_COLUMNS = (
    "week_start",
    "week_end",
    "phase",
    "expected_windows",
    "complete",
    "incomplete",
    "within_band",
    "within_band_pct",
    "within_wide",
    "within_wide_pct",
    "at_trip_s",
    "min_mean_v",
    "max_mean_v",
    "verdict",
)
_ET_COLUMNS = {
    "kind": "liik",
    "description": "kirjeldus",
    "phase": "faas",
    "start": "algus",
    "end": "lõpp",
    "duration_s": "kestus_s",
    "min_v": "min_v",
    "max_v": "max_v",
    "mean_v": "keskmine_v",
    "unbalance_pct": "asümmeetria_pct",
    "current_a": "vool_a",
    "count": "arv",
    "ongoing": "kestab",
    "week_start": "nädala_algus",
    "week_end": "nädala_lõpp",
    "expected_windows": "akende_arv",
    "complete": "täielikke",
    "incomplete": "puudulikke",
    "within_band": "vahemikus",
    "within_band_pct": "vahemikus_pct",
    "within_wide": "laias_vahemikus",
    "within_wide_pct": "laias_vahemikus_pct",
    "at_trip_s": "väljalülitustasemel_s",
    "min_mean_v": "min_keskmine_v",
    "max_mean_v": "max_keskmine_v",
    "verdict": "hinnang",
}


def report_csv(report: QualityReport) -> str:
    language = report.language
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([text("quality.csv_events", language)])
    writer.writerow(_header(EVENT_COLUMNS, language))
    for event in report.events:
        writer.writerow(_event_row(event, report, language))
    writer.writerow([])
    writer.writerow([text("quality.csv_weeks", language)])
    writer.writerow(_header(WEEK_COLUMNS, language))
    method = report.method
    for week in report.weeks:
        for phase in week.phases:
            writer.writerow(
                [
                    _time(week.start, report),
                    _time(week.end, report),
                    f"L{phase.phase}",
                    week.expected,
                    phase.complete,
                    phase.incomplete,
                    phase.within_band,
                    _plain(phase.band_pct),
                    phase.within_wide,
                    _plain(phase.wide_pct),
                    phase.at_trip * method.interval_s,
                    _plain(phase.min_mean_v),
                    _plain(phase.max_mean_v),
                    week.verdict(phase.phase, method.settings),
                ]
            )
    return out.getvalue()


def _header(columns: tuple[str, ...], language: str) -> list[str]:
    return [_ET_COLUMNS[c] if language == "et" else c for c in columns]


def _event_row(event: Event, report: QualityReport, language: str) -> list[object]:
    return [
        event.kind,
        text(f"quality.kind_{event.kind}", language),
        " ".join(f"L{n}" for n in event.phases),
        _time(event.start, report),
        _time(event.end, report),
        event.duration_s,
        _plain(event.min_v),
        _plain(event.max_v),
        _plain(event.mean_v),
        _plain(event.unbalance_pct),
        _plain(event.current_a),
        event.count,
        "1" if event.ongoing else "0",
    ]


def _time(moment: datetime, report: QualityReport) -> str:
    return moment.astimezone(report.method.zone).isoformat()


def _plain(value: object) -> str:
    return "" if value is None else f"{value:f}" if not isinstance(value, str) else value
