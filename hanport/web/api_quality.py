"""The power-quality endpoints of /api/v1 (EN 50160 figures from the 10-s voltages):

    GET /api/v1/quality?from=DAY&to=DAY[&meter=…][&detail=summary]    figures, events, 10-min means
    GET /api/v1/quality/report?from=DAY&to=DAY&format=pdf|csv[&lang=et]   the report as a file

Days are local dates, `to` included; without them the current week (Monday to Sunday). The
figures come from the records the quality sink keeps, plus the readings it has not sealed yet
(`hanport.quality.stored_report`); the endpoints never write.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hanport.quality.plugin import QUALITY
from hanport.quality.report import QualityReport, report_bytes, report_json
from hanport.quality.stored_report import MAX_REPORT_DAYS, ReportRequest, stored_report
from hanport.quality.weeks import week_bounds
from hanport.web import params
from hanport.web.api import JsonText, _authorised, _meter
from hanport.web.context import AppContext
from hanport.web.errors import request_language

__all__ = ["QUALITY_ROUTES"]

_MEDIA = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


async def _figures(request: Request) -> Response:
    app = _authorised(request)
    detail = params.choice(request.query_params, "detail", ("full", "summary"), "full")
    report = await _report(request, app)
    return JsonText(report_json(report, "full" if detail == "full" else "summary"))


async def _download(request: Request) -> Response:
    app = _authorised(request)
    form = params.choice(request.query_params, "format", ("pdf", "csv"), "pdf")
    report = await _report(request, app)
    body = await asyncio.to_thread(report_bytes, report, "pdf" if form == "pdf" else "csv")
    name = f"hanport-quality-{report.first_day}-{report.last_day}.{form}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=_MEDIA[form], headers=headers)


async def _report(request: Request, app: AppContext) -> QualityReport:
    meter = await _meter(request, app)
    first, last = _days(request, app)
    settings = app.settings
    quality = settings.get(QUALITY)
    language = request.query_params.get("lang") or request_language(request)
    ask = ReportRequest(
        meter,
        first,
        last,
        quality,
        settings.site,
        settings.interval_s,
        language if language in ("en", "et") else "en",
        datetime.now(app.store.zone),
    )
    return await asyncio.to_thread(stored_report, app.store, ask)


def _days(request: Request, app: AppContext) -> tuple[date, date]:
    zone = app.store.zone
    query = request.query_params
    start, end = params.moment(query, "from", zone), params.moment(query, "to", zone)
    week = week_bounds(datetime.now(zone), zone, app.settings.get(QUALITY).week_start)
    first = (start or week[0]).astimezone(zone).date()
    last = end.astimezone(zone).date() if end is not None else None
    if last is None:
        last = first + timedelta(days=6) if start is not None else _last_day(week[1], app)
    if last < first:
        raise params.BadParameter("to", "web.period_order")
    if (last - first).days >= MAX_REPORT_DAYS:
        raise params.BadParameter("to", "web.period_too_long", days=MAX_REPORT_DAYS)
    return first, last


def _last_day(week_end: datetime, app: AppContext) -> date:
    return (week_end.astimezone(app.store.zone) - timedelta(days=1)).date()


QUALITY_ROUTES = [
    Route("/api/v1/quality", _figures),
    Route("/api/v1/quality/report", _download),
]
