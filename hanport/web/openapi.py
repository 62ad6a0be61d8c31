"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json and shown in the app."""

from __future__ import annotations

from typing import Any

from hanport import __version__
from hanport.model import READING_FIELDS
from hanport.store.rollups import STAT_FIELDS, STEPS
from hanport.web.openapi_alerts import alert_paths
from hanport.web.openapi_costs import COST_TAG, cost_paths
from hanport.web.openapi_et import with_estonian
from hanport.web.openapi_ev import EV_FAILSAFE, ev_paths
from hanport.web.openapi_parts import ERROR as _ERROR
from hanport.web.openapi_parts import NULLABLE_TIME as _NULLABLE_TIME
from hanport.web.openapi_parts import TIME as _TIME
from hanport.web.openapi_parts import json_answer as _ok
from hanport.web.openapi_parts import object_schema as _object
from hanport.web.openapi_parts import query as _query
from hanport.web.openapi_quality import quality_paths

__all__ = ["openapi_document"]


_METER = _query("meter", "Meter id; may be left out when there is one meter.", {"type": "string"})
_FROM = _query(
    "from",
    "Start, ISO 8601 date or time (local zone when no offset is given).",
    {"type": "string", "format": "date-time"},
)
_TO = _query("to", "End (exclusive), ISO 8601; default: now.", {"type": "string"})


ERRORS_DESCRIPTION = (
    "Readings of your electricity meter's HAN port, kept on your machine. Authenticate with the "
    "session cookie (and `X-CSRF-Token` on changes) or with `Authorization: Bearer <API token>`. "
    'Errors are `{"error": "…", "code": "…", "params": {…}}`: one sentence saying what is wrong '
    "and what works, in the language of `Accept-Language` (`et` for Estonian, else English) or of "
    "the query parameter `lang=et`, and the code of that sentence, which does not change between "
    "versions or languages."
)
_ERROR_BODY = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "the sentence, in the request's language"},
        "code": {
            "type": "string",
            "description": "what went wrong, e.g. web.no_such_meter or accounts.password_short",
        },
        "params": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "the values the sentence names, as text",
        },
        "parameter": {"type": "string", "description": "422 only: the query parameter at fault"},
    },
    "required": ["error", "code", "params"],
}


def _get(summary: str, parameters: list[dict[str, Any]], ok: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {"200": ok, "401": _ERROR, "404": _ERROR, "422": _ERROR},
        }
    }


_STATS = {
    "type": "object",
    "description": "min, max, avg (rounded to 3 decimals), sum and count of one quantity",
    "properties": {k: {"type": "number"} for k in ("min", "max", "avg", "sum", "n")},
}
_READING = {
    "type": "object",
    "description": "A Reading: its field names, None omitted; `extra` holds every other "
    "register by OBIS code. Numbers are exact decimals.",
    "properties": {name: {} for name in READING_FIELDS},
}
_STATUS = _object(
    {
        "version": {"type": "string"},
        "source": {"type": "string"},
        "status": {"enum": ["starting", "connected", "stale", "reconnecting", "ended"]},
        "last_error": {"type": ["string", "null"]},
        "last_reading_at": _NULLABLE_TIME,
        "age_s": {"type": ["number", "null"]},
        "stale": {"type": "boolean"},
        "readings": {"type": "integer"},
        "rejected": {"type": "integer"},
        "reconnects": {"type": "integer"},
        "bytes_read": {"type": "integer"},
        "format": {
            "type": ["string", "null"],
            "description": "format of the last verified frame: p1, hdlc, mbus or dlms, with "
            "+encrypted when it was; null before the first",
        },
        "last_rejection": {
            "type": ["string", "null"],
            "description": "why the last frame was rejected (one sentence), until a reading "
            "arrives",
        },
        "rejected_since_reading": {
            "type": "integer",
            "description": "frames rejected since the last verified reading",
        },
        "unauthenticated": {
            "type": ["string", "null"],
            "description": "system title (hex) of a meter whose frames are encrypted but not "
            "authenticated",
        },
        "energy_scales": {
            "type": "object",
            "additionalProperties": {"enum": [1, 10]},
            "description": "meter id → the energy multiplier detected for lists without a scaler",
        },
        "unverified": {
            "type": "boolean",
            "description": "the latest reading came from a format without a checksum",
        },
        "retry_in_s": {
            "type": ["number", "null"],
            "description": "while reconnecting: seconds until the next attempt",
        },
        "interval_s": {"type": "number"},
        "fuse_a": {"type": "integer"},
        "voltage_min_v": {"type": "integer"},
        "voltage_max_v": {"type": "integer"},
        "meter": {"type": ["string", "null"]},
        "ev": {
            "oneOf": [{"type": "null"}, _object({"failsafe": EV_FAILSAFE})],
            "description": "EV charging's fail-safe state; null when no chargers are controlled",
        },
    }
)
_SESSION = _object(
    {
        "user": {"type": "string"},
        "role": {"enum": ["admin", "viewer", "operator"]},
        "admin": {
            "type": "boolean",
            "description": "may change settings and manage accounts (an admin or an operator)",
        },
        "sites": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the sites a viewer sees on hanport server; empty in the household app",
        },
        "csrf": {"type": "string", "description": "absent when signed in with an API token"},
    },
    ["user", "role", "admin", "sites"],
)
_CREDENTIALS = {
    "required": True,
    "content": {
        "application/json": {
            "schema": _object({"username": {"type": "string"}, "password": {"type": "string"}})
        }
    },
}
_SETUP = {
    "required": True,
    "content": {
        "application/json": {
            "schema": _object(
                {
                    "username": {"type": "string"},
                    "password": {"type": "string"},
                    "setup_code": {
                        "type": "string",
                        "description": "the one-time code `hanport run` printed; needed when "
                        "the app listens beyond loopback (403 without it)",
                    },
                },
                ["username", "password"],
            )
        }
    },
}
_TOKEN = _object(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "user": {"type": "string"},
        "created": _TIME,
        "last_used": _NULLABLE_TIME,
    }
)


_PARTIAL = {
    "type": "boolean",
    "const": True,
    "description": "only on the period still open (the one with the newest reading): its "
    "figures so far, computed from its readings; absent on every other row",
}
_SERIES_DESCRIPTION = (
    "One row per period: the energy imported and exported (Wh) from the meter's cumulative "
    "registers, never from power samples, and min, max, avg, sum and n of power, voltage and "
    "current. The period still open, the one holding the newest reading, comes too: computed "
    "from its readings so far and marked `partial: true` (absent on every other row). Its "
    "figures grow until the period closes; then the same row is stored without the mark."
)


def _data_paths() -> dict[str, Any]:
    fields = _query(
        "fields",
        f"Comma-separated statistics to include: {', '.join(STAT_FIELDS)} (default: all).",
        {"type": "string"},
    )
    row = _object(
        {
            "start": _TIME,
            "t": {"type": "integer", "description": "start as Unix seconds"},
            "readings": {"type": "integer"},
            "energy_import_wh": {"type": "integer"},
            "energy_export_wh": {"type": "integer"},
            "gap": {"type": "boolean"},
            "reset": {"type": "boolean"},
            "stats": {"type": "object", "additionalProperties": _STATS},
            "partial": _PARTIAL,
        },
        ["start", "t", "readings", "energy_import_wh", "energy_export_wh", "gap", "reset", "stats"],
    )
    energy_row = _object(
        {
            "start": _TIME,
            "t": {"type": "integer"},
            "energy_import_wh": {"type": "integer"},
            "energy_export_wh": {"type": "integer"},
            "gap": {"type": "boolean"},
            "partial": _PARTIAL,
        },
        ["start", "t", "energy_import_wh", "energy_export_wh", "gap"],
    )
    meter = _object(
        {
            "id": {"type": "string"},
            "model": {"type": ["string", "null"]},
            "first_reading": _NULLABLE_TIME,
            "last_reading": _NULLABLE_TIME,
        }
    )
    return {
        "/api/v1/meters": _get(
            "The meters in the database",
            [],
            _ok("meters", _object({"meters": {"type": "array", "items": meter}})),
        ),
        "/api/v1/readings/latest": _get(
            "The newest reading",
            [_METER],
            _ok(
                "the reading and its age in seconds",
                _object(
                    {
                        "meter": {"type": "string"},
                        "age_s": {"type": ["number", "null"]},
                        "reading": _READING,
                    }
                ),
            ),
        ),
        "/api/v1/readings": _get(
            "Every 10-s reading of a period (at most 7 days)",
            [
                _METER,
                _FROM,
                _TO,
                _query("fields", "Comma-separated Reading fields", {"type": "string"}),
            ],
            _ok(
                "readings in time order",
                _object(
                    {"meter": {"type": "string"}, "readings": {"type": "array", "items": _READING}}
                ),
            ),
        ),
        "/api/v1/series": _get(
            "Rollups (energy from the registers; min/avg/max of power, voltage, current)",
            [
                _METER,
                _FROM,
                _TO,
                _query("step", "Period length (default 1h)", {"enum": list(STEPS)}),
                fields,
            ],
            _ok(
                "periods in time order; the open one last, marked partial",
                _object(
                    {
                        "meter": {"type": "string"},
                        "step": {"enum": list(STEPS)},
                        "from": _TIME,
                        "to": _TIME,
                        "rows": {"type": "array", "items": row},
                    }
                ),
            ),
        ),
        "/api/v1/energy": _get(
            "Energy imported and exported per day, month or year",
            [
                _METER,
                _FROM,
                _TO,
                _query("period", "default day", {"enum": ["day", "month", "year"]}),
            ],
            _ok(
                "energy per period; the open one marked partial",
                _object(
                    {
                        "meter": {"type": "string"},
                        "period": {"enum": ["day", "month", "year"]},
                        "rows": {"type": "array", "items": energy_row},
                    }
                ),
            ),
        ),
        "/api/v1/status": _get("The reader's state", [], _ok("status", _STATUS)),
        "/api/v1/fields": _get(
            "The field table: names, units, Home Assistant classes, labels",
            [],
            _ok("fields", _object({"fields": {"type": "array", "items": {"type": "object"}}})),
        ),
        "/api/v1/export": {
            "get": {
                "summary": "Download readings (or rollups with step) as CSV or JSON lines",
                "parameters": [
                    _METER,
                    _FROM,
                    _TO,
                    _query("step", "rollups instead of readings", {"enum": list(STEPS)}),
                    _query("format", "default csv", {"enum": ["csv", "json"]}),
                ],
                "responses": {
                    "200": {
                        "description": "the file",
                        "content": {
                            "text/csv": {"schema": {"type": "string"}},
                            "application/x-ndjson": {"schema": {"type": "string"}},
                        },
                    },
                    "401": _ERROR,
                    "404": _ERROR,
                    "422": _ERROR,
                },
            }
        },
        "/api/v1/stream": {
            "get": {
                "summary": "Server-Sent Events: `reading` for each reading, `status` every 5 s",
                "responses": {
                    "200": {
                        "description": "an endless event stream",
                        "content": {"text/event-stream": {"schema": {"type": "string"}}},
                    },
                    "401": _ERROR,
                    "503": _ERROR,
                },
            }
        },
    }


def _account_paths() -> dict[str, Any]:
    errors = dict.fromkeys(("401", "403", "415", "422", "429"), _ERROR)
    return {
        "/api/v1/session": {
            "get": {
                "summary": "Who is signed in (and the CSRF token to send with changes)",
                "responses": {"200": _ok("the session", _SESSION), "401": _ERROR},
            },
            "post": {
                "summary": "Sign in; sets the session cookie",
                "requestBody": _CREDENTIALS,
                "security": [],
                "responses": {"200": _ok("the session", _SESSION), **errors},
            },
            "delete": {
                "summary": "Sign out",
                "responses": {"204": {"description": "signed out"}, "401": _ERROR, "403": _ERROR},
            },
        },
        "/api/v1/setup": {
            "post": {
                "summary": "First start: create the administrator (only while no account exists)",
                "requestBody": _SETUP,
                "security": [],
                "responses": {"201": _ok("the session", _SESSION), "409": _ERROR, **errors},
            }
        },
        "/api/v1/tokens": {
            "get": {
                "summary": "API tokens (an administrator sees everyone's)",
                "responses": {
                    "200": _ok("tokens", _object({"tokens": {"type": "array", "items": _TOKEN}})),
                    "401": _ERROR,
                },
            },
            "post": {
                "summary": "Create an API token; its secret is shown only in this answer",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _object({"name": {"type": "string"}})}
                    },
                },
                "responses": {
                    "201": _ok("the new token", _TOKEN),
                    "401": _ERROR,
                    "403": _ERROR,
                    "422": _ERROR,
                },
            },
        },
        "/api/v1/tokens/{token_id}": {
            "delete": {
                "summary": "Revoke an API token",
                "parameters": [
                    {
                        "name": "token_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "204": {"description": "revoked"},
                    "401": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                },
            }
        },
    }


def openapi_document() -> dict[str, Any]:
    paths = {
        **_data_paths(),
        **_account_paths(),
        **ev_paths(),
        **quality_paths(),
        **alert_paths(),
    }
    for path, operations in paths.items():
        tag = "live" if path.endswith("/stream") else "data"
        if path.rsplit("/", 2)[-1] in ("session", "setup", "tokens", "{token_id}"):
            tag = "accounts"
        if path.startswith("/api/v1/ev"):
            tag = "ev"
        if "/quality" in path:
            tag = "quality"
        if path.startswith("/api/v1/alerts"):
            tag = "alerts"
        for operation in operations.values():
            operation["tags"] = [tag]
    for operations in (costs := cost_paths()).values():
        for operation in operations.values():
            operation["tags"] = [COST_TAG["name"]]
    paths.update(costs)
    paths["/api/v1/series"]["get"]["description"] = _SERIES_DESCRIPTION
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "hanport API",
            "version": __version__,
            "description": ERRORS_DESCRIPTION,
        },
        "paths": paths,
        "tags": [
            {"name": "data", "description": "Readings, rollups, energy, status"},
            {"name": "live", "description": "Readings as they arrive"},
            {"name": "accounts", "description": "Signing in, the first start, API tokens"},
            COST_TAG,
            {"name": "ev", "description": "EV charging below the main fuse"},
            {"name": "quality", "description": "Voltage quality as evidence (EN 50160)"},
            {"name": "alerts", "description": "Alerts: their history, the active ones, the rules"},
        ],
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "hanport_session"},
            },
            "responses": {"Error": _ok("a plain sentence saying what is wrong", _ERROR_BODY)},
        },
        "security": [{"token": []}, {"session": []}],
    }
    with_estonian(document)
    return document
