"""The money endpoints of /api/v1: prices, costs and the cheapest-time plan (issue 11).

Every amount is an exact decimal written as a JSON string ("0.1234"); money is in EUR, prices
per MWh excluding VAT (`eur_mwh`) or per kWh with everything included (`all_in_eur_kwh`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hanport.costs.aggregate import MONEY_FIELDS, CostRow, Step
from hanport.costs.errors import CostError
from hanport.costs.ledger import Billing
from hanport.costs.plan import PlanSlot, parse_duration
from hanport.costs.plugin import TARIFF
from hanport.costs.price_store import PriceBook
from hanport.costs.report import LedgerCache, cost_report, plan_report, price_report
from hanport.costs.schedule import prices_known_until
from hanport.costs.tariff import Tariff, build_tariff
from hanport.web import params
from hanport.web.api import JsonText, _authorised, _meter
from hanport.web.context import AppContext
from hanport.web.errors import ApiError

__all__ = [
    "COST_ROUTES",
    "CostState",
    "billing_param",
    "cost_row_json",
    "cost_state",
    "decimal_text",
    "warm_costs",
]

_STEPS = ("15m", "1h", "1d", "1mo")
_DEFAULT = {"15m": 1, "1h": 1, "1d": 31, "1mo": 366}
_LONGEST = {"15m": 31, "1h": 92, "1d": 1100, "1mo": 3700}
_MONTHLY = ("network_monthly_eur", "capacity_eur", "seller_monthly_eur")


@dataclass
class CostState:
    """What the money endpoints keep between requests: the tariff, the settled days and
    months, the clock. A running hanport may `offer` one (the benchmark sets its clock)."""

    tariff: Tariff
    cache: LedgerCache = field(default_factory=LedgerCache)
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


def cost_state(request: Request, app: AppContext) -> CostState:
    return _state_of(request.app, app)


def _state_of(starlette: Any, app: AppContext) -> CostState:
    state = app.view.find(CostState) or getattr(starlette.state, "hanport_costs", None)
    if state is None:
        try:
            state = CostState(build_tariff(app.settings.get(TARIFF)))
        except CostError as error:
            raise ApiError.of(409, error) from None
        starlette.state.hanport_costs = state
    return cast(CostState, state)


async def warm_costs(starlette: Any, app: AppContext, delay_s: float = 5.0) -> None:
    """Work out the last year's months once, a few seconds after the start, so that the first
    `/api/v1/costs?step=1mo` over a year answers as fast as the later ones (the settled days
    and months stay in the state's cache). Whatever goes wrong here is said by the request
    that meets it; the warm-up then simply has not helped."""
    await asyncio.sleep(delay_s)
    try:
        state = _state_of(starlette, app)
        now = state.now()
        billing = state.tariff.settings.billing
        book = app.view.find(PriceBook)
        for meter in await asyncio.to_thread(lambda: [m.id for m in app.store.meters()]):
            await asyncio.to_thread(
                cost_report, app.store, meter, now - timedelta(days=366), now, "1mo",
                state.tariff, billing, now, state.cache, book,
            )  # fmt: skip
    except (ApiError, CostError, OSError, ValueError):
        return


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def billing_param(request: Request, tariff: Tariff) -> Billing:
    chosen = params.choice(request.query_params, "billing", ("15m", "1h"), tariff.settings.billing)
    return cast(Billing, chosen)


async def _costs(request: Request) -> Response:
    app = _authorised(request)
    meter = await _meter(request, app)
    state = cost_state(request, app)
    query = request.query_params
    step = cast(Step, params.choice(query, "step", _STEPS, "1d"))
    billing = billing_param(request, state.tariff)
    start, end = params.period(
        query, app.store.zone, timedelta(days=_DEFAULT[step]), timedelta(days=_LONGEST[step])
    )
    now = state.now()
    try:
        rows = await asyncio.to_thread(
            cost_report,
            app.store,
            meter,
            start,
            end,
            step,
            state.tariff,
            billing,
            now,
            state.cache,
            app.view.find(PriceBook),
        )
    except CostError as error:
        raise ApiError.of(409, error) from None
    body = {
        "meter": meter,
        "step": step,
        "billing": billing,
        "currency": "EUR",
        "rows": [cost_row_json(row, step) for row in rows],
    }
    return JsonText(json.dumps(body))


def cost_row_json(row: CostRow, step: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": row.start.isoformat(),
        "end": row.end.isoformat(),
        "import_kwh": decimal_text(row.import_kwh),
        "export_kwh": decimal_text(row.export_kwh),
    }
    for name in MONEY_FIELDS:
        value = getattr(row, name)
        out[name] = None if step != "1mo" and name in _MONTHLY else decimal_text(value)
    out.update(
        slots=row.slots,
        gap_slots=row.gap_slots,
        unpriced_slots=row.unpriced_slots,
        complete=row.complete,
    )
    return out


async def _prices(request: Request) -> Response:
    app = _authorised(request)
    state = cost_state(request, app)
    now = state.now()
    zone = app.store.zone
    query = request.query_params
    start = params.moment(query, "from", zone)
    end = params.moment(query, "to", zone)
    if start is None:
        local = now.astimezone(zone)
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if end is None:
        end = max(prices_known_until(now), start + timedelta(days=1))
    if end <= start:
        raise params.BadParameter("to", "web.period_order")
    if end - start > timedelta(days=370):
        raise params.BadParameter("to", "web.period_too_long", days=370)
    slots = await asyncio.to_thread(price_report, app.store, start, end)
    rows = []
    for slot in slots:
        try:
            all_in: Decimal | None = state.tariff.all_in_eur_kwh(slot.start, slot.eur_mwh)
        except CostError:
            all_in = None
        rows.append(
            {
                "start": slot.start.isoformat(),
                "end": slot.end.isoformat(),
                "eur_mwh": decimal_text(slot.eur_mwh),
                "all_in_eur_kwh": decimal_text(all_in),
            }
        )
    known = slots[-1].end.isoformat() if slots else None
    body = {"from": start.isoformat(), "to": end.isoformat(), "known_until": known, "prices": rows}
    return JsonText(json.dumps(body))


async def _plan(request: Request) -> Response:
    app = _authorised(request)
    state = cost_state(request, app)
    query = request.query_params
    text = query.get("duration", "1h")
    try:
        duration = parse_duration(text)
    except CostError as error:
        raise params.BadParameter("duration", error.code, **error.params) from None
    billing = billing_param(request, state.tariff)
    now = state.now()
    zone = app.store.zone
    start = params.moment(query, "from", zone) or now
    end = params.moment(query, "to", zone) or prices_known_until(now)
    if end <= start:
        raise params.BadParameter("to", "web.period_order")
    if end - start > timedelta(days=31):
        raise params.BadParameter("to", "web.period_too_long", days=31)
    try:
        plan = await asyncio.to_thread(
            plan_report, app.store, start, end, duration, state.tariff, billing
        )
    except CostError as error:
        raise ApiError.of(409, error) from None
    window = plan.window
    body = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "duration_min": int(duration.total_seconds() // 60),
        "billing": billing,
        "window": None
        if window is None
        else {
            "start": window.start.isoformat(),
            "end": window.end.isoformat(),
            "mean_eur_kwh": decimal_text(window.mean_eur_kwh),
        },
        "slots": [_slot(slot) for slot in plan.slots],
    }
    return JsonText(json.dumps(body))


def _slot(slot: PlanSlot) -> dict[str, str | None]:
    return {
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "eur_kwh": decimal_text(slot.eur_kwh),
    }


COST_ROUTES = [
    Route("/api/v1/prices", _prices),
    Route("/api/v1/costs", _costs),
    Route("/api/v1/plan", _plan),
]
