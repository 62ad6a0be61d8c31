"""The report as an A4 PDF, fit to attach to a complaint to the grid operator.

Site and meter, period, method, a summary per phase, the figures per week and phase, a chart of
each week's 10-minute means against the bands, the events, and what 10-s data cannot show. The
text is set in Bitstream Vera (shipped with reportlab, embedded as a subset), which has every
Estonian letter and ≥, ≤, −. The output is byte-for-byte reproducible for the same report.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from hanport import __version__
from hanport.i18n import text
from hanport.i18n.formats import duration, moment, rounded
from hanport.quality.chart import FONT, week_chart
from hanport.quality.events import Event
from hanport.quality.report import QualityReport

__all__ = ["MAX_EVENT_ROWS", "report_pdf"]

MAX_EVENT_ROWS = 300
"""The PDF lists this many events at most (the CSV lists them all)."""
BOLD = "HanportSans-Bold"
_VERDICT_COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "insufficient": "#8a6d00"}


def report_pdf(report: QualityReport) -> bytes:
    _fonts()
    lang = report.language
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=text("quality.report_title", lang),
        author="hanport",
        subject=text("quality.report_subtitle", lang),
        creator=f"hanport {__version__}",
        invariant=True,
    )
    story: list[Flowable] = []
    story += _front(report)
    story += _weeks(report)
    story += _charts(report)
    story += _events(report)
    story += [
        Paragraph(text("quality.heading_cannot_see", lang), _H2),
        Paragraph(text("quality.cannot_see", lang), _BODY),
    ]

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont(FONT, 7)
        canvas.drawRightString(
            A4[0] - 18 * mm, 9 * mm, text("quality.page", lang, version=__version__, page=doc.page)
        )

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


_BODY = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11.5, spaceAfter=4)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=7.5, leading=9.5)
_HEAD = ParagraphStyle("head", parent=_BODY, fontName=BOLD, fontSize=7, leading=8.5)
_TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=2)
_H2 = ParagraphStyle("h2", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)


def _front(report: QualityReport) -> list[Flowable]:
    lang, info, method = report.language, report.info, report.method
    settings, zone = method.settings, method.zone
    given = text("quality.not_given", lang)
    meter = " · ".join(part for part in (info.meter_id, info.meter_model) if part) or given
    rows = [
        (text("quality.label_site", lang), info.site_name or given),
        (text("quality.label_metering_point", lang), info.metering_point or given),
        (text("quality.label_meter", lang), meter),
        (
            text("quality.label_connection", lang),
            text(
                "quality.connection",
                lang,
                phases=text(f"quality.phases_{method.phases}", lang),
                fuse=rounded(info.fuse_a, 0, lang),
                nominal=rounded(info.nominal_v, 0, lang),
            ),
        ),
        (
            text("quality.label_period", lang),
            f"{_day(report.first_day, lang)} – {_day(report.last_day, lang)}",
        ),
        (text("quality.label_created", lang), moment(report.created, zone, lang)),
    ]
    table = Table(
        [[Paragraph(a, _BODY), Paragraph(b, _BODY)] for a, b in rows], colWidths=[42 * mm, 130 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    story: list[Flowable] = [
        Paragraph(text("quality.report_title", lang), _TITLE),
        Paragraph(text("quality.report_subtitle", lang), _BODY),
        Spacer(1, 4),
        table,
        Spacer(1, 4),
        Paragraph(text("quality.fee_note", lang), _SMALL),
        Paragraph(text("quality.heading_summary", lang), _H2),
    ]
    for phase in range(1, method.phases + 1):
        verdict = report.verdict(phase)
        failing = sum(1 for w in report.weeks if w.verdict(phase, settings) == "fail")
        lows = [w.phases[phase - 1].min_mean_v for w in report.weeks]
        highs = [w.phases[phase - 1].max_mean_v for w in report.weeks]
        low = min((v for v in lows if v is not None), default=None)
        high = max((v for v in highs if v is not None), default=None)
        colour = _VERDICT_COLOURS[verdict]
        label = f'<font color="{colour}"><b>{text(f"quality.verdict_{verdict}", lang)}</b></font>'
        story.append(
            Paragraph(
                text(
                    "quality.summary_phase",
                    lang,
                    phase=f"L{phase}",
                    verdict=label,
                    failing=failing,
                    weeks=len(report.weeks),
                    low=rounded(low, 2, lang),
                    high=rounded(high, 2, lang),
                ),
                _BODY,
            )
        )
    story.append(Paragraph(text("quality.heading_method", lang), _H2))
    weekday = text(f"quality.weekday_{settings.week_start}", lang)
    story.append(
        Paragraph(
            text(
                "quality.method",
                lang,
                interval=method.interval_s,
                zone=getattr(zone, "key", str(zone)),
                min_samples=settings.min_samples,
                expected=method.expected_samples,
                weekday=weekday,
                low=rounded(settings.band_low_v, 1, lang),
                high=rounded(settings.band_high_v, 1, lang),
                wide=rounded(settings.wide_low_v, 1, lang),
                coverage=rounded(settings.min_coverage_pct, 0, lang),
                unbalance=rounded(settings.unbalance_pct, 1, lang),
            ),
            _BODY,
        )
    )
    if not settings.is_en50160:
        story.append(Paragraph(f"<b>{text('quality.limits_not_en50160', lang)}</b>", _BODY))
    return story


def _weeks(report: QualityReport) -> list[Flowable]:
    lang, method = report.language, report.method
    settings = method.settings
    low, high = _limit(settings.band_low_v, lang), _limit(settings.band_high_v, lang)
    wide = _limit(settings.wide_low_v, lang)
    header = [
        text("quality.col_week", lang),
        text("quality.col_phase", lang),
        text("quality.col_complete", lang),
        text("quality.col_incomplete", lang),
        text("quality.col_band", lang, low=low, high=high),
        text("quality.col_band", lang, low=wide, high=high),
        text("quality.col_trip", lang, trip=rounded(settings.pv_trip_v, 0, lang)),
        text("quality.col_mean_range", lang),
        text("quality.col_verdict", lang),
    ]
    rows: list[list[object]] = [[Paragraph(h, _HEAD) for h in header]]
    styles: list[tuple[object, ...]] = []
    for week in report.weeks:
        first = _day(week.start.astimezone(method.zone).date(), lang)
        for phase in week.phases:
            verdict = week.verdict(phase.phase, settings)
            rows.append(
                [
                    first if phase.phase == 1 else "",
                    f"L{phase.phase}",
                    f"{phase.complete}/{week.expected}",
                    str(phase.incomplete),
                    _pct(phase.band_pct, lang),
                    _pct(phase.wide_pct, lang),
                    duration(phase.at_trip * method.interval_s, lang),
                    f"{rounded(phase.min_mean_v, 2, lang)}–{rounded(phase.max_mean_v, 2, lang)}",
                    text(f"quality.verdict_{verdict}", lang),
                ]
            )
            styles.append(
                (
                    "TEXTCOLOR",
                    (8, len(rows) - 1),
                    (8, len(rows) - 1),
                    colors.HexColor(_VERDICT_COLOURS[verdict]),
                )
            )
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[19 * mm, 13 * mm, 18 * mm, 17 * mm, 22 * mm, 22 * mm, 17 * mm, 25 * mm, 21 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                *styles,
            ]
        )
    )
    story: list[Flowable] = [
        Paragraph(text("quality.heading_weeks", lang), _H2),
        table,
        Spacer(1, 3),
    ]
    story.append(
        Paragraph(
            text(
                "quality.weeks_note", lang, expected=1008, trip=rounded(settings.pv_trip_v, 0, lang)
            ),
            _SMALL,
        )
    )
    if method.phases == 3:
        for week in report.weeks:
            if week.unbalance_windows:
                story.append(
                    Paragraph(
                        text(
                            "quality.unbalance_week",
                            lang,
                            week=_day(week.start.astimezone(method.zone).date(), lang),
                            limit=rounded(settings.unbalance_pct, 1, lang),
                            share=rounded(week.unbalance_share_pct, 2, lang),
                            windows=week.unbalance_windows,
                            peak=rounded(week.unbalance_max_pct, 2, lang),
                        ),
                        _SMALL,
                    )
                )
    return story


def _charts(report: QualityReport) -> list[Flowable]:
    lang, method = report.language, report.method
    settings = method.settings
    story: list[Flowable] = []
    for week in report.weeks:
        windows = [w for w in report.windows if week.start <= w.start < week.end]
        if not windows:
            continue
        title = text(
            "quality.heading_chart",
            lang,
            week=_day(week.start.astimezone(method.zone).date(), lang),
        )
        legend = text(
            "quality.chart_legend",
            lang,
            low=rounded(settings.band_low_v, 1, lang),
            high=rounded(settings.band_high_v, 1, lang),
            wide=rounded(settings.wide_low_v, 1, lang),
        )
        story.append(
            KeepTogether(
                [
                    Paragraph(title, _H2),
                    week_chart(week, windows, method, lang),
                    Paragraph(legend, _SMALL),
                ]
            )
        )
    return story


def _events(report: QualityReport) -> list[Flowable]:
    lang = report.language
    story: list[Flowable] = [Paragraph(text("quality.heading_events", lang), _H2)]
    if not report.events:
        return [*story, Paragraph(text("quality.no_events", lang), _BODY)]
    header = [
        text(f"quality.{k}", lang)
        for k in (
            "col_kind",
            "col_phase",
            "col_start",
            "col_end",
            "col_duration",
            "col_min",
            "col_max",
            "col_detail",
        )
    ]
    rows: list[list[object]] = [[Paragraph(h, _HEAD) for h in header]]
    for event in report.events[:MAX_EVENT_ROWS]:
        end = moment(event.end, report.method.zone, lang)
        rows.append(
            [
                Paragraph(text(f"quality.kind_{event.kind}", lang), _SMALL),
                " ".join(f"L{n}" for n in event.phases),
                moment(event.start, report.method.zone, lang, seconds=True),
                f"{end} ({text('quality.ongoing', lang)})" if event.ongoing else end,
                duration(event.duration_s, lang),
                rounded(event.min_v, 1, lang),
                rounded(event.max_v, 1, lang),
                Paragraph(_detail(event, lang), _SMALL),
            ]
        )
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[29 * mm, 14 * mm, 29 * mm, 29 * mm, 18 * mm, 14 * mm, 14 * mm, 27 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    story.append(table)
    if len(report.events) > MAX_EVENT_ROWS:
        more = len(report.events) - MAX_EVENT_ROWS
        story.append(Paragraph(text("quality.events_more", lang, more=more), _SMALL))
    return story


def _detail(event: Event, lang: str) -> str:
    if event.mean_v is not None:
        return text("quality.detail_mean", lang, mean=rounded(event.mean_v, 2, lang))
    if event.unbalance_pct is not None:
        return text("quality.detail_unbalance", lang, pct=rounded(event.unbalance_pct, 2, lang))
    if event.current_a is not None:
        return text("quality.detail_current", lang, current=rounded(event.current_a, 1, lang))
    return ""


def _limit(value: Decimal, lang: str) -> str:
    """A limit as it is written: 207, 195.5."""
    return rounded(value, 0 if value == value.to_integral_value() else 1, lang)


def _pct(value: Decimal | None, lang: str) -> str:
    return "–" if value is None else f"{rounded(value, 2, lang)} %"


def _day(day: date, lang: str) -> str:
    return day.strftime("%d.%m.%Y" if lang == "et" else "%Y-%m-%d")


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
