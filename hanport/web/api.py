"""The data endpoints of /api/v1: meters, readings, series, energy, status, fields, export."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from datetime import UTC, datetime, timedelta

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from hanport.fields import FIELDS
from hanport.model import READING_FIELDS
from hanport.output import reading_json
from hanport.store.export import export
from hanport.store.rollups import STAT_FIELDS, STEPS
from hanport.web import params, queries
from hanport.web.auth import caller
from hanport.web.context import AppContext, context
from hanport.web.errors import ApiError

__all__ = ["DATA_ROUTES", "JsonText"]

_VALUE_FIELDS = tuple(name for name in READING_FIELDS if name not in ("extra",))
_DEFAULT_SPAN = {"15m": 2, "1h": 7, "1d": 366, "1mo": 3660}


class JsonText(Response):
    """A response whose body is JSON text built already."""

    media_type = "application/json"


async def _meters(request: Request) -> Response:
    app = _authorised(request)
    return JsonText(await asyncio.to_thread(queries.meters_json, app.store))


async def _latest(request: Request) -> Response:
    app = _authorised(request)
    meter = await _meter(request, app)
    live = app.hub.latest
    reading = live if live is not None and (live.meter_id or "") == meter else None
    if reading is None:
        reading = await asyncio.to_thread(app.store.latest, meter)
    if reading is None:
        raise ApiError(404, "web.meter_no_reading", meter=meter)
    age = None
    if reading.received_at is not None:
        age = round((_now() - reading.received_at).total_seconds(), 1)
    return JsonText(
        f'{{"meter":{json.dumps(meter)},"age_s":{json.dumps(age)},"reading":{reading_json(reading)}}}'
    )


async def _readings(request: Request) -> Response:
    app = _authorised(request)
    meter = await _meter(request, app)
    start, end = params.period(
        request.query_params, app.store.zone, timedelta(hours=1), timedelta(days=7)
    )
    fields = params.fields(request.query_params, _VALUE_FIELDS)
    found = await asyncio.to_thread(app.store.readings, meter, start, end)
    return JsonText(queries.readings_json(found, meter, fields))


async def _series(request: Request) -> Response:
    app = _authorised(request)
    meter = await _meter(request, app)
    step = params.choice(request.query_params, "step", STEPS, "1h")
    start, end = params.period(
        request.query_params, app.store.zone, timedelta(days=_DEFAULT_SPAN[step])
    )
    fields = params.fields(request.query_params, STAT_FIELDS)
    text = await asyncio.to_thread(queries.series_json, app.store, meter, step, start, end, fields)
    return JsonText(text)


async def _energy(request: Request) -> Response:
    app = _authorised(request)
    meter = await _meter(request, app)
    period = params.choice(request.query_params, "period", ("day", "month", "year"), "day")
    default = {"day": 31, "month": 366, "year": 3660}[period]
    start, end = params.period(request.query_params, app.store.zone, timedelta(days=default))
    text = await asyncio.to_thread(queries.energy_json, app.store, meter, period, start, end)
    return JsonText(text)


async def _status(request: Request) -> Response:
    app = _authorised(request)
    return JsonText(app.status_json())


async def _fields(request: Request) -> Response:
    _authorised(request)
    fields = [
        {
            "name": field.name,
            "unit": field.unit,
            "obis": list(field.obis),
            "device_class": field.ha_device_class,
            "state_class": field.ha_state_class,
            "label": {"en": field.label_en, "et": field.label_et},
        }
        for field in FIELDS
    ]
    return JsonText(json.dumps({"fields": fields}, ensure_ascii=False))


async def _export(request: Request) -> Response:
    app = _authorised(request)
    meter = await _meter(request, app)
    query = request.query_params
    step = query.get("step") or None
    if step is not None:
        step = params.choice(query, "step", STEPS, None)
    form = params.choice(query, "format", ("csv", "json"), "csv")
    start, end = params.period(query, app.store.zone, timedelta(days=1))
    handle, path = tempfile.mkstemp(prefix="hanport-export-", suffix=f".{form}")
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            await asyncio.to_thread(export, app.store, meter, start, end, step, form, out, None)
    except BaseException:
        os.unlink(path)
        raise
    name = f"hanport-{meter or 'meter'}-{start.date()}-{end.date()}{'-' + step if step else ''}"
    return FileResponse(
        path,
        media_type="text/csv" if form == "csv" else "application/x-ndjson",
        filename=f"{name}.{'csv' if form == 'csv' else 'jsonl'}",
        background=BackgroundTask(os.unlink, path),
    )


def _authorised(request: Request) -> AppContext:
    app = context(request)
    caller(request, app.accounts)
    return app


async def _meter(request: Request, app: AppContext) -> str:
    known = await asyncio.to_thread(_known, app)
    return params.meter(request.query_params, known)


def _known(app: AppContext) -> list[str]:
    """The stored meters and the one reading now (stored within the next 10 s)."""
    live = app.hub.latest
    meters = {meter.id for meter in app.store.meters()}
    if live is not None:
        meters.add(live.meter_id or "")
    return sorted(meters)


def _now() -> datetime:
    return datetime.now(UTC)


DATA_ROUTES = [
    Route("/api/v1/meters", _meters),
    Route("/api/v1/readings/latest", _latest),
    Route("/api/v1/readings", _readings),
    Route("/api/v1/series", _series),
    Route("/api/v1/energy", _energy),
    Route("/api/v1/status", _status),
    Route("/api/v1/fields", _fields),
    Route("/api/v1/export", _export),
]
