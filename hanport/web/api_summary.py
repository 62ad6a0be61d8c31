"""GET /api/v1/costs/summary (the Now page's money) and GET /api/v1/bill (a month's bills,
line by line, as the Costs page shows them). Decimals are strings."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hanport.costs.bill import BillLine, MonthBill
from hanport.costs.errors import CostError
from hanport.costs.summary import CostSummary, cost_summary, month_bills
from hanport.web import params
from hanport.web.api import JsonText, _authorised, _meter
from hanport.web.api_costs import billing_param, cost_row_json, cost_state, decimal_text
from hanport.web.errors import ApiError

__all__ = ["SUMMARY_ROUTES"]


async def _summary(request: Request) -> Response:
    app = _authorised(request)
    meter = await _meter(request, app)
    state = cost_state(request, app)
    billing = billing_param(request, state.tariff)
    now = state.now()
    latest = app.view.latest
    power = latest.power_import_w if latest is not None else None
    try:
        found = await asyncio.to_thread(
            cost_summary, app.store, meter, state.tariff, now, power, billing
        )
    except CostError as error:
        raise ApiError.of(409, error) from None
    return JsonText(
        json.dumps(
            _summary_json(found, meter, billing, state.tariff.settings.network, now.isoformat())
        )
    )


def _summary_json(
    found: CostSummary, meter: str, billing: str, network: str, now: str
) -> dict[str, Any]:
    month = found.month
    peak = found.peak
    warning = found.warning
    return {
        "now": now,
        "meter": meter,
        "network": network,
        "billing": billing,
        "today": None if found.today is None else cost_row_json(found.today, "1d"),
        "yesterday": None if found.yesterday is None else cost_row_json(found.yesterday, "1d"),
        "month": {
            "month": month.month.isoformat()[:7],
            "import_kwh": decimal_text(month.import_kwh),
            "total_eur": decimal_text(month.total_eur),
            "export_eur": decimal_text(month.export_eur),
            "complete": month.complete,
        },
        "forecast": {
            "total_eur": decimal_text(found.forecast.total_eur),
            "import_kwh": decimal_text(found.forecast.import_kwh),
        },
        "price": {
            "eur_mwh": decimal_text(found.price_eur_mwh),
            "all_in_eur_kwh": decimal_text(found.price_all_in_eur_kwh),
        },
        "peak": None
        if peak is None
        else {
            "kw": decimal_text(peak.kw),
            "start": peak.peaks[0].start.isoformat() if peak.peaks else None,
            "complete": peak.complete,
            "warning": None
            if warning is None
            else {
                "projected_kw": decimal_text(warning.projected_kw),
                "threshold_kw": decimal_text(warning.threshold_kw),
                "new_peak": warning.new_peak,
            },
        },
    }


async def _bill(request: Request) -> Response:
    app = _authorised(request)
    meter = await _meter(request, app)
    state = cost_state(request, app)
    billing = billing_param(request, state.tariff)
    text = (
        request.query_params.get("month")
        or state.now().astimezone(app.store.zone).date().isoformat()[:7]
    )
    try:
        month = date.fromisoformat(f"{text}-01")
    except ValueError:
        raise params.BadParameter("month", "costs.api_month", value=text) from None
    try:
        bill = await asyncio.to_thread(month_bills, app.store, meter, month, state.tariff, billing)
    except CostError as error:
        raise ApiError.of(409, error) from None
    return JsonText(json.dumps(_bill_json(bill, meter, billing)))


def _bill_json(bill: MonthBill, meter: str, billing: str) -> dict[str, Any]:
    def lines(name: str) -> list[dict[str, Any]]:
        return [_line(line) for line in bill.lines if line.bill == name]

    return {
        "month": bill.month.isoformat()[:7],
        "meter": meter,
        "billing": billing,
        "network": {
            "lines": lines("network"),
            "subtotal_eur": decimal_text(bill.total("network")),
            "vat_eur": decimal_text(bill.network_vat_eur),
            "total_eur": decimal_text(bill.network_total_eur),
        },
        "seller": {
            "lines": lines("seller"),
            "subtotal_eur": decimal_text(bill.total("seller")),
            "vat_eur": decimal_text(bill.seller_vat_eur),
            "total_eur": decimal_text(bill.seller_total_eur),
        },
        "export": {"lines": lines("export"), "total_eur": decimal_text(bill.export_eur)},
        "total_eur": decimal_text(bill.total_eur),
        "import_kwh": decimal_text(bill.import_kwh),
        "export_kwh": decimal_text(bill.export_kwh),
        "slots": bill.slots,
        "gap_slots": bill.gap_slots,
        "unpriced_slots": bill.unpriced_slots,
        "complete": bill.complete,
    }


def _line(line: BillLine) -> dict[str, Any]:
    kind = "kW" if line.item == "capacity" else (None if line.quantity is None else "kWh")
    return {
        "item": line.item,
        "quantity": decimal_text(line.quantity),
        "quantity_unit": kind,
        "unit_price": decimal_text(line.unit_price),
        "unit_price_unit": None
        if line.unit_price is None
        else ("EUR/kW" if line.item == "capacity" else "c/kWh"),
        "eur": decimal_text(line.eur),
        "vat_percent": decimal_text(line.vat_percent),
    }


SUMMARY_ROUTES = [
    Route("/api/v1/costs/summary", _summary),
    Route("/api/v1/bill", _bill),
]
