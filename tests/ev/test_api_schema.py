"""The EV endpoints against their OpenAPI document (schemathesis) on an app with a running EV
control and a charger: every answer documented (status, content type, schema), never a 500."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks
from webapp import PASSWORD, make_app

from hanport.ev.charger import ChargerReport
from hanport.ev.control import EvControl
from hanport.ev.settings import EvSettings
from hanport.grid import Site

_WEB = make_app(Path(tempfile.mkdtemp(prefix="hanport-ev-schema-")) / "app.db", hours=0.05)
_ADMIN = _WEB.context.accounts.add_user("admin", PASSWORD)
_TOKEN, _ = _WEB.context.accounts.create_token(_ADMIN, "schemathesis")


class _Charger:
    id = "garage"

    def set_limit(self, limit_a: Decimal, phases: int, now: datetime) -> None:
        pass

    def report(self) -> ChargerReport:
        return ChargerReport("garage", True, "charging", (Decimal(6),) * 3, kind="test")


def _control() -> EvControl:
    control = EvControl(EvSettings(), Site(), ZoneInfo("Europe/Tallinn"))
    control.fleet.add(_Charger())
    reading = _WEB.readings[-1]
    now = datetime.now(UTC)
    control.controller.observe(replace(reading, received_at=now - timedelta(seconds=1)))
    control.controller.step(now, [c.report() for c in control.fleet])
    return control


_WEB.context.view.offer(_control())

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _WEB.app).include(
    path_regex="^/api/v1/(ev|status)"
)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_ev_answer_is_documented(case: Any) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {_TOKEN}"},
        excluded_checks=[openapi_checks.positive_data_acceptance],  # "25:99" is a string too
    )
