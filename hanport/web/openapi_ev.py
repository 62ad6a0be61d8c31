"""The EV endpoints in the OpenAPI document (their Estonian texts are in `openapi_et`)."""

from __future__ import annotations

from typing import Any

from hanport.web.openapi_parts import ERROR as _ERROR
from hanport.web.openapi_parts import json_answer as _ok
from hanport.web.openapi_parts import object_schema as _object

__all__ = ["EV_FAILSAFE", "ev_paths"]

_TEXT = {"type": ["string", "null"]}
_AMPS = {"type": ["string", "null"], "description": "amperes, exact decimal as text"}


_REASON = _object(
    {
        "code": {"type": "string", "description": "e.g. phase_limit, no_room, meter_stale"},
        "params": {"type": "object", "additionalProperties": {"type": "string"}},
        "text": {"type": "string", "description": "the sentence, in the request's language"},
    }
)
EV_FAILSAFE = _object(
    {
        "active": {"type": "boolean", "description": "every charger held at the fail-safe"},
        "since": {"type": ["string", "null"], "format": "date-time"},
        "limit_a": {"type": "string"},
        "stale_s": {"type": "number"},
        "age_s": {"type": ["integer", "null"], "description": "age of the newest reading"},
    }
)
_CHARGER = _object(
    {
        "id": {"type": "string"},
        "kind": {"type": "string", "description": "ocpp 1.6, ocpp 2.0.1, go-e, mqtt"},
        "online": {"type": "boolean"},
        "vehicle": {"type": "string"},
        "limit_a": _AMPS,
        "phases": {"type": ["integer", "null"]},
        "reason": {"oneOf": [_REASON, {"type": "null"}]},
        "since": {"type": ["string", "null"], "format": "date-time"},
        "current_a": {"type": ["array", "null"], "items": _AMPS},
        "power_w": _TEXT,
        "session_wh": _TEXT,
        "session_eur": {
            "type": ["string", "null"],
            "description": "the session's cost where prices are known",
        },
        "detail": {"type": "string"},
    }
)
_PHASE = _object(
    {"phase": {"type": "integer"}, "current_a": _AMPS, "house_a": _AMPS, "room_a": _AMPS}
)
_STATE = _object(
    {
        "mode": {"enum": ["guard", "surplus", "cheapest", "fixed"]},
        "departure": {"type": "string"},
        "failsafe_a": {"type": "string"},
        "failsafe": EV_FAILSAFE,
        "meter": _object({"fresh": {"type": "boolean"}, "age_s": {"type": ["integer", "null"]}}),
        "site": _object(
            {
                "fuse_a": {"type": "string"},
                "phases": {"type": "integer"},
                "margin_a": {"type": "string"},
            }
        ),
        "phases": {"type": "array", "items": _PHASE},
        "chargers": {"type": "array", "items": _CHARGER},
    }
)
_LIMIT = _object(
    {
        "at": {"type": "string", "format": "date-time"},
        "charger": {"type": "string"},
        "limit_a": {"type": "string"},
        "phases": {"type": "integer"},
        "reason": _REASON,
    }
)
_LIMITS = _object(
    {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "limits": {"type": "array", "items": _LIMIT},
    }
)


def _query(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


def _post(summary: str, body: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _object(body, required)}},
            },
            "responses": {
                "200": _ok("the EV control's state", _STATE),
                **dict.fromkeys(("401", "403", "404", "422"), _ERROR),
            },
        }
    }


def ev_paths() -> dict[str, Any]:
    errors = dict.fromkeys(("401", "404", "422"), _ERROR)
    departure = {"type": "string", "description": "local time of day, e.g. 07:00"}
    return {
        "/api/v1/ev": {
            "get": {
                "summary": "EV charging: each charger's state, its limit per phase and why",
                "responses": {"200": _ok("the EV control's state", _STATE), **errors},
            }
        },
        "/api/v1/ev/limits": {
            "get": {
                "summary": "Every EV limit sent, with its reason",
                "parameters": [
                    _query("charger", "Only this charger's limits."),
                    _query("from", "Start, ISO 8601; default: a day before the end."),
                    _query("to", "End (exclusive), ISO 8601; default: now."),
                ],
                "responses": {"200": _ok("the limits, oldest first", _LIMITS), **errors},
            }
        },
        "/api/v1/ev/mode": _post(
            "Set the EV charging mode (administrators only)",
            {"mode": {"enum": ["guard", "surplus", "cheapest", "fixed"]}, "departure": departure},
            ["mode"],
        ),
        "/api/v1/ev/departure": _post(
            "Set the departure time for the cheapest mode (administrators only)",
            {"departure": departure},
            ["departure"],
        ),
    }
