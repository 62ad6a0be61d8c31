"""The alerts' part of the OpenAPI document (paths, schemas) and their Estonian texts."""

from __future__ import annotations

from typing import Any

from hanport.alerts.rules import RULE_KINDS
from hanport.web.openapi_parts import ERROR as _ERROR
from hanport.web.openapi_parts import NULLABLE_TIME as _NULLABLE_TIME
from hanport.web.openapi_parts import TIME as _TIME
from hanport.web.openapi_parts import json_answer as _ok
from hanport.web.openapi_parts import object_schema as _object
from hanport.web.openapi_parts import query as _query

__all__ = ["ALERTS_ESTONIAN", "alert_paths"]

_SEVERITY = {"enum": ["info", "warning", "critical"]}


_ALERT = _object(
    {
        "id": {"type": "string", "description": "rule/subject/start (Unix seconds)"},
        "rule": {"enum": list(RULE_KINDS)},
        "subject": {"type": "string", "description": "L1, L2, L3, meter, site, a month …"},
        "severity": _SEVERITY,
        "started": _TIME,
        "cleared": _NULLABLE_TIME,
        "last_sent": _NULLABLE_TIME,
        "active": {"type": "boolean"},
        "title": {"type": "string"},
        "message": {"type": "string"},
        "language": {"enum": ["en", "et"]},
    }
)
_CHANNEL = _object(
    {
        "channel": {"enum": ["webhook", "email", "ntfy", "telegram"]},
        "ok": {"type": "boolean"},
        "waiting": {"type": "integer"},
        "sent": {"type": "integer"},
        "problem": {
            "oneOf": [
                {"type": "null"},
                _object({"en": {"type": "string"}, "et": {"type": "string"}}),
            ]
        },
    }
)
_RULE = _object(
    {
        "kind": {"enum": list(RULE_KINDS)},
        "severity": _SEVERITY,
        "enabled": {"type": "boolean"},
        "threshold": {"type": ["number", "null"]},
        "threshold_key": {"type": ["string", "null"]},
        "duration_s": {"type": "integer"},
        "duration_key": {"type": ["string", "null"]},
    }
)
_SETTINGS = _object(
    {
        "running": {"type": "boolean"},
        "enabled": {"type": "boolean"},
        "language": {"enum": ["en", "et"]},
        "repeat_s": {"type": "integer"},
        "clear_s": {"type": "integer"},
        "quiet_hours": {"type": "string"},
        "max_per_hour": {"type": "integer"},
        "mqtt": {"type": "boolean"},
        "channels": {"type": "array", "items": {"type": "string"}},
        "rules": {"type": "array", "items": _RULE},
        "values": {"type": "object", "additionalProperties": {"type": ["boolean", "number"]}},
    }
)
_RULE_VALUES = {
    "type": "object",
    "description": 'The rules\' [alerts] keys, e.g. {"overcurrent": true, "overcurrent_pct": '
    '90, "overcurrent_s": 30}; a rule\'s key left out takes its default.',
    "additionalProperties": {"type": ["boolean", "number", "string"]},
}
_SETTINGS_PATH = "/api/v1/alerts/settings"


def alert_paths() -> dict[str, Any]:
    reads = {"401": _ERROR, "403": _ERROR, "422": _ERROR}
    return {
        "/api/v1/alerts": {
            "get": {
                "summary": "The alert history: alerts that started in a period, newest first",
                "parameters": [
                    _query("from", "Start, ISO 8601 (default: 30 days before `to`).", _TIME),
                    _query("to", "End (exclusive), ISO 8601; default: now.", {"type": "string"}),
                    _query("rule", "Only this rule's alerts.", {"enum": list(RULE_KINDS)}),
                ],
                "responses": {
                    "200": _ok("alerts", _object({"alerts": {"type": "array", "items": _ALERT}})),
                    "401": _ERROR,
                    "422": _ERROR,
                },
            }
        },
        "/api/v1/alerts/active": {
            "get": {
                "summary": "The alerts firing now, and whether each channel delivers",
                "parameters": [],
                "responses": {
                    "200": _ok(
                        "active alerts and channels",
                        _object(
                            {
                                "running": {"type": "boolean"},
                                "active": {"type": "array", "items": _ALERT},
                                "channels": {"type": "array", "items": _CHANNEL},
                            }
                        ),
                    ),
                    "401": _ERROR,
                },
            }
        },
        _SETTINGS_PATH: {
            "get": {
                "summary": "The alert rules, quiet hours, limits and channels (administrators)",
                "parameters": [],
                "responses": {"200": _ok("the alert settings", _SETTINGS), **reads},
            },
            "put": {
                "summary": "Change the rules' thresholds and durations (administrators)",
                "description": "Applies at once and is kept in the database: it outlasts a "
                "restart and stands over the rule keys of hanport.toml.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _RULE_VALUES}},
                },
                "responses": {
                    "200": _ok("the alert settings", _SETTINGS),
                    "409": _ERROR,
                    "415": _ERROR,
                    **reads,
                },
            },
        },
    }


ALERTS_ESTONIAN: dict[str, str] = {
    "The alert history: alerts that started in a period, newest first": "Hoiatuste ajalugu: "
    "perioodil alanud hoiatused, uusimad eespool",
    "Start, ISO 8601 (default: 30 days before `to`).": "Algus, ISO 8601 (vaikimisi 30 päeva "
    "enne lõppu `to`).",
    "Only this rule's alerts.": "Ainult selle reegli hoiatused.",
    "alerts": "hoiatused",
    "The alerts firing now, and whether each channel delivers": "Praegu kehtivad hoiatused ja "
    "kas iga kanal toimetab need kohale",
    "active alerts and channels": "kehtivad hoiatused ja kanalid",
    "The alert rules, quiet hours, limits and channels (administrators)": "Hoiatuste reeglid, "
    "vaikne aeg, piirangud ja kanalid (administraatoritele)",
    "the alert settings": "hoiatuste seaded",
    "Change the rules' thresholds and durations (administrators)": "Reeglite lävede ja kestuste "
    "muutmine (administraatoritele)",
    "Applies at once and is kept in the database: it outlasts a restart and stands over the rule "
    "keys of hanport.toml.": "Kehtib kohe ja hoitakse andmebaasis: jääb alles ka pärast "
    "taaskäivitust ning on ülimuslik hanport.toml-i reeglivõtmete suhtes.",
    "Alerts: their history, the active ones, the rules": "Hoiatused: ajalugu, kehtivad, reeglid",
}
