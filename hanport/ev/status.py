"""What the app's EV page and the API show: the meter's freshness, each phase's room, each
charger's state, limit and why (in the asked language). JSON-ready; decimals as strings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from hanport.ev.charger import ChargerReport
from hanport.ev.controller import Controller
from hanport.ev.model import ChargerState, Held
from hanport.ev.room import room_of
from hanport.ev.wording import reason_text

if TYPE_CHECKING:
    from hanport.ev.control import EvControl

__all__ = ["ev_status", "failsafe_state"]


def ev_status(control: EvControl, now: datetime, language: str = "en") -> dict[str, object]:
    controller = control.controller
    age = controller.freshness.age_s(now)
    fresh = age is not None and age <= controller.freshness.stale_s
    return {
        "mode": control.mode,
        "departure": control.settings.departure,
        "failsafe_a": str(controller.failsafe_a),
        "failsafe": failsafe_state(controller, now),
        "meter": {"fresh": fresh, "age_s": None if age is None else int(age)},
        "site": {
            "fuse_a": str(controller.site.fuse_a),
            "phases": controller.site.phases,
            "margin_a": str(controller.policy.margin_a),
        },
        "phases": _phases(controller, [c.report() for c in control.fleet]),
        "chargers": [
            {**_charger(controller, c.report(), language), "session_eur": _eur(control, c.id)}
            for c in control.fleet
        ],
    }


def failsafe_state(controller: Controller, now: datetime) -> dict[str, object]:
    """Whether every charger is held at the fail-safe current (meter data stale, or none yet)."""
    freshness = controller.freshness
    age = freshness.age_s(now)
    active = freshness.stale or age is None or age > freshness.stale_s
    since = freshness.stale_since if active else None
    return {
        "active": active,
        "since": None if since is None else since.isoformat(),
        "limit_a": str(controller.failsafe_a),
        "stale_s": freshness.stale_s,
        "age_s": None if age is None else int(age),
    }


def _phases(controller: Controller, reports: list[ChargerReport]) -> list[dict[str, object]]:
    measurement = controller.measurement
    if measurement is None:
        return []
    states = [
        ChargerState(
            controller.spec(r.id), r.vehicle, r.current_a, r.measured_at, controller.helds[r.id]
        )
        for r in reports
        if r.online and r.id in controller.helds
    ]
    room = room_of(controller.site, controller.policy, measurement, states)
    return [
        {
            "phase": phase,
            "current_a": _text(room.current_a.get(phase)),
            "house_a": _text(room.house_a.get(phase)),
            "room_a": _text(room.room_a.get(phase)),
        }
        for phase in sorted(room.room_a)
    ]


def _charger(controller: Controller, report: ChargerReport, language: str) -> dict[str, object]:
    held = controller.helds.get(report.id)
    reason = None
    if held is not None:
        reason = {**held.reason.as_dict(), "text": reason_text(held.reason, language)}
    return {
        "id": report.id,
        "kind": report.kind,
        "online": report.online,
        "vehicle": report.vehicle,
        "limit_a": _text(held.limit_a) if held is not None else None,
        "phases": held.phases if held is not None else report.phases,
        "reason": reason,
        "since": _since(held),
        "current_a": None if report.current_a is None else [_text(a) for a in report.current_a],
        "power_w": _text(report.power_w),
        "session_wh": _text(report.session_wh),
        "detail": report.detail,
    }


def _eur(control: EvControl, charger_id: str) -> str | None:
    cost = control.costs.eur(charger_id)
    return None if cost is None else str(cost.quantize(Decimal("0.001")))


def _since(held: Held | None) -> str | None:
    if held is None or held.changed_at is None:
        return None
    return held.changed_at.isoformat()


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
