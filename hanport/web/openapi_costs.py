"""The money paths of the OpenAPI document: prices, costs, the summary, the bill, the plan
(their Estonian texts are in hanport.web.openapi_costs_et)."""

from __future__ import annotations

from typing import Any

from hanport.costs.aggregate import MONEY_FIELDS
from hanport.web.openapi_costs_et import COST_ESTONIAN
from hanport.web.openapi_parts import ERROR as _ERROR
from hanport.web.openapi_parts import TIME as _TIME
from hanport.web.openapi_parts import object_schema as _object
from hanport.web.openapi_parts import query as _query

__all__ = ["COST_ESTONIAN", "COST_TAG", "cost_paths"]

_DECIMAL = {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}
_NULLABLE_DECIMAL = {"type": ["string", "null"], "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}
COST_TAG = {"name": "costs", "description": "Day-ahead prices, what the energy cost, the plan"}


def _get(
    summary: str,
    description: str,
    parameters: list[dict[str, Any]],
    ok: str,
    schema: dict[str, Any],
) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "description": description,
            "parameters": parameters,
            "responses": {
                "200": {"description": ok, "content": {"application/json": {"schema": schema}}},
                "401": _ERROR,
                "404": _ERROR,
                "409": _ERROR,
                "422": _ERROR,
            },
        }
    }


def cost_paths() -> dict[str, Any]:
    start = _query("from", "Start, ISO 8601.", {"type": "string", "format": "date-time"})
    end = _query("to", "End (exclusive), ISO 8601.", {"type": "string", "format": "date-time"})
    billing = _query(
        "billing",
        "Billing view: 15m (each quarter at its own price) or 1h (the hour's energy at the mean "
        "of its four quarter prices); default [tariff] billing.",
        {"type": "string", "enum": ["15m", "1h"]},
    )
    meter = _query(
        "meter", "Meter id; may be left out when there is one meter.", {"type": "string"}
    )
    price = _object(
        {"start": _TIME, "end": _TIME, "eur_mwh": _DECIMAL, "all_in_eur_kwh": _NULLABLE_DECIMAL}
    )
    row = _object(
        {
            "start": _TIME,
            "end": _TIME,
            "import_kwh": _DECIMAL,
            "export_kwh": _DECIMAL,
            **dict.fromkeys(MONEY_FIELDS, _NULLABLE_DECIMAL),
            "slots": {"type": "integer"},
            "gap_slots": {"type": "integer"},
            "unpriced_slots": {"type": "integer"},
            "complete": {"type": "boolean"},
        }
    )
    slot = _object({"start": _TIME, "end": _TIME, "eur_kwh": _DECIMAL})
    window = {
        "type": ["object", "null"],
        "properties": {"start": _TIME, "end": _TIME, "mean_eur_kwh": _DECIMAL},
    }
    return {
        "/api/v1/prices": _get(
            "The stored day-ahead prices",
            "Each slot's day-ahead price (`eur_mwh`, EUR/MWh excluding VAT, negative prices "
            "occur) and what one more kWh costs then with the network package, the national "
            "fees and VAT (`all_in_eur_kwh`). Decimals are strings. Default: from today's "
            "midnight to the last published slot.",
            [start, end],
            "prices in time order",
            _object(
                {
                    "from": _TIME,
                    "to": _TIME,
                    "known_until": {"type": ["string", "null"], "format": "date-time"},
                    "prices": {"type": "array", "items": price},
                }
            ),
        ),
        "/api/v1/costs": _get(
            "What the energy cost, per 15 minutes, hour, day or month",
            "Rows with the energy bought and sold (kWh) and each component of the bill in EUR, "
            "exact decimals as strings: the seller's energy, margin and balancing-capacity fee, "
            "the network price, renewable-energy fee, excise, security-of-supply fee, VAT, and "
            "`total_eur`, everything bought with VAT; `export_eur` is the revenue for energy "
            "sold, apart. The fixed monthly fees come only in month rows (null elsewhere), and "
            "a month row is that month's bills, lines rounded to the cent. Slots without meter "
            "data or price are counted in `gap_slots` and `unpriced_slots`, never priced as "
            "zero.",
            [
                meter,
                start,
                end,
                _query(
                    "step",
                    "Row length; day and month rows follow the Tallinn calendar.",
                    {"type": "string", "enum": ["15m", "1h", "1d", "1mo"], "default": "1d"},
                ),
                billing,
            ],
            "cost rows",
            _object(
                {
                    "meter": {"type": "string"},
                    "step": {"type": "string"},
                    "billing": {"type": "string"},
                    "currency": {"type": "string"},
                    "rows": {"type": "array", "items": row},
                }
            ),
        ),
        "/api/v1/costs/summary": _get(
            "Today, yesterday, this month and its forecast, the price now, this month's peak",
            "What the Now page shows about money: today so far and yesterday (rows as in "
            "/api/v1/costs), this month's bills so far and the forecast for the whole month "
            "(VAT included), the all-in price now, and for packages with a capacity charge this "
            "month's peak so far with a `warning` when the running period comes near it or "
            "beyond.",
            [meter, billing],
            "the summary",
            _summary_schema(row),
        ),
        "/api/v1/bill": _get(
            "A month's bills, line by line",
            "The network operator's bill (network energy per time window, renewable-energy "
            "fee, excise, security-of-supply fee, monthly connection fee, capacity) and the "
            "seller's bill (energy, margin, balancing-capacity fee, monthly fee), each line "
            "quantity × unit price = amount rounded to the cent, VAT per bill, and the export "
            "revenue apart, from the month's data so far.",
            [
                meter,
                _query("month", "The month, e.g. 2026-01; default this month.", {"type": "string"}),
                billing,
            ],
            "the bills",
            _bill_schema(),
        ),
        "/api/v1/plan": _get(
            "The cheapest time for a load of a given duration",
            "Among the known prices of [from, to): the cheapest contiguous window of `duration` "
            "(for a load that must run in one go) and the cheapest quarters adding up to it "
            "(for a boiler or a car that may pause), priced all-in with VAT.",
            [
                _query(
                    "duration",
                    "How long, e.g. 45m, 3h or 1h30m (at most 48 h); default 1h.",
                    {"type": "string"},
                ),
                _query("from", "Start; default now.", {"type": "string", "format": "date-time"}),
                _query(
                    "to",
                    "End (exclusive); default: the end of the published prices.",
                    {"type": "string", "format": "date-time"},
                ),
                billing,
            ],
            "the window and the slots",
            _object(
                {
                    "from": _TIME,
                    "to": _TIME,
                    "duration_min": {"type": "integer"},
                    "billing": {"type": "string"},
                    "window": window,
                    "slots": {"type": "array", "items": slot},
                }
            ),
        ),
    }


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _summary_schema(row: dict[str, Any]) -> dict[str, Any]:
    warning = _object(
        {"projected_kw": _DECIMAL, "threshold_kw": _DECIMAL, "new_peak": {"type": "boolean"}}
    )
    peak = _object(
        {
            "kw": _DECIMAL,
            "start": {"type": ["string", "null"], "format": "date-time"},
            "complete": {"type": "boolean"},
            "warning": _nullable(warning),
        }
    )
    return _object(
        {
            "now": _TIME,
            "meter": {"type": "string"},
            "network": {"type": "string"},
            "billing": {"type": "string"},
            "today": _nullable(row),
            "yesterday": _nullable(row),
            "month": _object(
                {
                    "month": {"type": "string"},
                    "import_kwh": _DECIMAL,
                    "total_eur": _DECIMAL,
                    "export_eur": _DECIMAL,
                    "complete": {"type": "boolean"},
                }
            ),
            "forecast": _object({"total_eur": _NULLABLE_DECIMAL, "import_kwh": _NULLABLE_DECIMAL}),
            "price": _object({"eur_mwh": _NULLABLE_DECIMAL, "all_in_eur_kwh": _NULLABLE_DECIMAL}),
            "peak": _nullable(peak),
        }
    )


def _bill_schema() -> dict[str, Any]:
    line = _object(
        {
            "item": {"type": "string"},
            "quantity": _NULLABLE_DECIMAL,
            "quantity_unit": {"type": ["string", "null"], "enum": ["kWh", "kW", None]},
            "unit_price": _NULLABLE_DECIMAL,
            "unit_price_unit": {"type": ["string", "null"], "enum": ["c/kWh", "EUR/kW", None]},
            "eur": _DECIMAL,
            "vat_percent": _NULLABLE_DECIMAL,
        }
    )
    lines = {"type": "array", "items": line}
    bill = _object(
        {"lines": lines, "subtotal_eur": _DECIMAL, "vat_eur": _DECIMAL, "total_eur": _DECIMAL}
    )
    return _object(
        {
            "month": {"type": "string"},
            "meter": {"type": "string"},
            "billing": {"type": "string"},
            "network": bill,
            "seller": bill,
            "export": _object({"lines": lines, "total_eur": _DECIMAL}),
            "total_eur": _DECIMAL,
            "import_kwh": _DECIMAL,
            "export_kwh": _DECIMAL,
            "slots": {"type": "integer"},
            "gap_slots": {"type": "integer"},
            "unpriced_slots": {"type": "integer"},
            "complete": {"type": "boolean"},
        }
    )
