"""The alerts endpoints of /api/v1: the history, the active alerts, the rules (administrators).

    GET /api/v1/alerts?from=&to=&rule=    the alerts that started in the period, newest first
    GET /api/v1/alerts/active             the alerts firing now, and each channel's state
    GET /api/v1/alerts/settings           the rules, quiet hours, limits and channels (admin)
    PUT /api/v1/alerts/settings           new thresholds and durations of the rules (admin)

Titles and messages come in the request's language (`Accept-Language`, `lang=et`), rendered
again from each alert's figures. The history comes from the database (records of kind "alert")
joined with what the running alerts hold that is not written yet; the active ones from the
running alerts, or, when hanport runs without them, from the history.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hanport.alerts.history import AlertRecord, in_language, record_json
from hanport.alerts.journal import read_history
from hanport.alerts.plugin import ALERTS
from hanport.alerts.rule_edits import rule_keys, rules_from, rules_json
from hanport.alerts.rules import RULE_KINDS
from hanport.alerts.service import AlertService
from hanport.alerts.settings import AlertSettings
from hanport.errors import HanError
from hanport.quality.jsontext import json_text
from hanport.store.base import RecordStore
from hanport.web import params
from hanport.web.api import JsonText
from hanport.web.auth import caller
from hanport.web.context import AppContext, context
from hanport.web.errors import ApiError, request_language

__all__ = ["ALERT_ROUTES"]

_LONGEST = timedelta(days=400)


async def _history(request: Request) -> Response:
    app = _authorised(request)
    zone = app.store.zone
    start, end = params.period(request.query_params, zone, timedelta(days=30), _LONGEST)
    rule = request.query_params.get("rule")
    if rule is not None:
        params.choice(request.query_params, "rule", RULE_KINDS, None)
    service = app.view.find(AlertService)
    live = [] if service is None else list(service.records.values())
    found = await asyncio.to_thread(_joined, app, live, start, end, rule)
    return JsonText('{"alerts":[' + _records(found, request_language(request), zone) + "]}")


async def _active(request: Request) -> Response:
    app = _authorised(request)
    zone = app.store.zone
    service = app.view.find(AlertService)
    if service is not None:
        records = service.records
        active = [records[n.id] for n in service.engine.active() if n.id in records]
        channels: list[dict[str, object]] = [c.status() for c in service.couriers.values()]
    else:
        now = datetime.now(UTC)
        found = await asyncio.to_thread(_joined, app, [], now - timedelta(days=60), now, None)
        active, channels = [a for a in found if a.active], []
    body = _records(active, request_language(request), zone)
    return JsonText(
        f'{{"running":{json.dumps(service is not None)},"active":[{body}],'
        f'"channels":{json.dumps(channels)}}}'
    )


async def _settings(request: Request) -> Response:
    app = context(request)
    caller(request, app.accounts, admin=True)
    service = app.view.find(AlertService)
    if request.method == "PUT":
        if service is None:
            raise ApiError(409, "alerts.api_not_running")
        values = await _body(request)
        try:
            service.set_rules(rules_from(values))
        except HanError as error:
            raise ApiError.of(422, error) from None
    settings = service.settings if service is not None else app.settings.get(ALERTS)
    return JsonText(_settings_json(settings, service is not None))


def _settings_json(settings: AlertSettings, running: bool) -> str:
    return json_text(
        {
            "running": running,
            "enabled": settings.enabled,
            "language": settings.language,
            "repeat_s": settings.repeat_s,
            "clear_s": settings.clear_s,
            "quiet_hours": str(settings.quiet) if settings.quiet else "",
            "max_per_hour": settings.max_per_hour,
            "mqtt": settings.mqtt,
            "channels": list(settings.channels),
            "rules": rules_json(settings.rules),
            "values": rule_keys(settings.rules),
        }
    )


async def _body(request: Request) -> dict[str, object]:
    try:
        body = json.loads(await request.body(), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "web.body_not_json") from None
    except RecursionError:
        raise ApiError(422, "web.body_nested") from None
    if not isinstance(body, dict):
        raise ApiError(422, "web.body_not_object")
    return body


def _joined(
    app: AppContext, live: list[AlertRecord], start: datetime, end: datetime, rule: str | None
) -> list[AlertRecord]:
    store = app.store
    rules = None if rule is None else (rule,)
    stored = read_history(store, start, end, rules) if isinstance(store, RecordStore) else []
    by_id = {a.id: a for a in stored}
    for record in live:
        if start <= record.started < end and (rule is None or record.rule == rule):
            by_id[record.id] = record
    return sorted(by_id.values(), key=lambda a: (a.started, a.id), reverse=True)


def _records(alerts: list[AlertRecord], language: str, zone: tzinfo) -> str:
    """The records as JSON, their title and message in the request's language."""
    return ",".join(record_json(in_language(a, language, zone), zone) for a in alerts)


def _authorised(request: Request) -> AppContext:
    app = context(request)
    caller(request, app.accounts)
    return app


ALERT_ROUTES = [
    Route("/api/v1/alerts", _history),
    Route("/api/v1/alerts/active", _active),
    Route("/api/v1/alerts/settings", _settings, methods=["GET", "PUT"]),
]
