"""The power-quality paths of the OpenAPI document (`hanport.web.api_quality`)."""

from __future__ import annotations

from typing import Any

from hanport.web.openapi_parts import ERROR as _ERROR
from hanport.web.openapi_parts import query as _query

__all__ = ["quality_paths"]

_ERRORS = {"401": _ERROR, "404": _ERROR, "422": _ERROR}


_PARAMETERS = [
    _query("meter", "Meter id; may be left out when there is one meter.", {"type": "string"}),
    _query(
        "from",
        "First day (local date, e.g. 2026-03-02); default: this week's Monday.",
        {"type": "string", "format": "date"},
    ),
    _query(
        "to",
        "Last day, included; default: six days after from.",
        {"type": "string", "format": "date"},
    ),
]
_NUMBER = {"type": ["string", "number", "null"]}
_WEEK = {
    "type": "object",
    "properties": {
        "start": {"type": "string"},
        "end": {"type": "string"},
        "expected": {"type": "integer"},
        "unbalance": {"type": "object"},
        "phases": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["start", "end", "expected", "phases"],
}
_EVENT = {
    "type": "object",
    "properties": {
        "kind": {
            "enum": [
                "overvoltage",
                "undervoltage",
                "unbalance",
                "phase_loss",
                "broken_neutral",
                "pv_trip",
            ]
        },
        "phases": {"type": "array", "items": {"type": "integer"}},
        "start": {"type": "string"},
        "end": {"type": "string"},
        "duration_s": {"type": "integer"},
        "min_v": _NUMBER,
        "max_v": _NUMBER,
        "mean_v": _NUMBER,
        "ongoing": {"type": "boolean"},
    },
    "required": ["kind", "phases", "start", "end", "ongoing"],
}
_FIGURES = {
    "type": "object",
    "description": "Exact decimals as JSON numbers. `windows` (not with detail=summary): "
    "[start, mean L1, mean L2, mean L3, complete] per 10-minute window.",
    "properties": {
        "meter_id": {"type": "string"},
        "from": {"type": "string"},
        "to": {"type": "string"},
        "limits": {"type": "object"},
        "verdicts": {
            "type": "object",
            "additionalProperties": {"enum": ["pass", "fail", "insufficient"]},
        },
        "weeks": {"type": "array", "items": _WEEK},
        "events": {"type": "array", "items": _EVENT},
        "windows": {"type": "array", "items": {"type": "array"}},
    },
    "required": ["meter_id", "from", "to", "limits", "verdicts", "weeks", "events"],
}


def quality_paths() -> dict[str, Any]:
    return {
        "/api/v1/quality": {
            "get": {
                "summary": "Voltage quality (EN 50160): weekly compliance per phase, events, "
                "10-minute means",
                "description": "The weekly figures cover every whole week the days touch; the "
                "events and 10-minute means keep to the days. Figures from 10-s readings "
                "cannot show dips under a second, flicker or harmonics.",
                "parameters": [
                    *_PARAMETERS,
                    _query(
                        "detail",
                        "summary: without the 10-minute means (default full)",
                        {"enum": ["full", "summary"]},
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "the figures",
                        "content": {"application/json": {"schema": _FIGURES}},
                    },
                    **_ERRORS,
                },
            }
        },
        "/api/v1/quality/report": {
            "get": {
                "summary": "Download the voltage quality report as PDF or CSV",
                "parameters": [
                    *_PARAMETERS,
                    _query("format", "default pdf", {"enum": ["pdf", "csv"]}),
                    _query(
                        "lang",
                        "language of the report: en or et (default: the request's)",
                        {"enum": ["en", "et"]},
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "the report",
                        "content": {
                            "application/pdf": {"schema": {"type": "string"}},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    **_ERRORS,
                },
            }
        },
    }
