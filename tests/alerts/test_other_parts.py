"""What other parts offer, looked at by the alerts: the EV control's fail-safe through the view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from hanport.alerts.service import AlertService
from hanport.alerts.settings import alert_settings
from hanport.alerts.sink import OtherParts
from hanport.ev.charger import ChargerReport
from hanport.ev.control import EvControl
from hanport.ev.settings import EvSettings
from hanport.grid import Site
from hanport.model import Reading
from hanport.runtime.hub import Hub
from hanport.runtime.view import Runtime
from hanport.settings.loader import Settings
from hanport.sources.reader import ReaderState
from hanport.store import open_store

TALLINN = ZoneInfo("Europe/Tallinn")
T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


class Wallbox:
    id = "garage"

    def set_limit(self, limit_a: Decimal, phases: int, now: datetime) -> None:
        pass

    def report(self) -> ChargerReport:
        return ChargerReport("garage", online=True, current_a=(Decimal(10),) * 3, phases=3)


def test_the_ev_fail_safe_fires_and_clears(tmp_path: Path) -> None:
    clock = [T0]
    store = open_store(str(tmp_path / "h.db"), TALLINN)
    view = Runtime(Settings(), Hub(), ReaderState("sim://"), store)
    service = AlertService(alert_settings({}), zone=TALLINN, channels=[], clock=lambda: clock[0])
    control = EvControl(EvSettings(), Site(), TALLINN)
    control.fleet.add(Wallbox())
    others = OtherParts(view, service)
    try:
        others.tick()  # no EV control offered: nothing
        view.offer(control)
        reading = Reading(received_at=T0, current_l1_a=Decimal(5), power_import_w=1000)
        control.controller.observe(reading)
        control.controller.step(T0, [Wallbox().report()])
        others.tick()
        assert service.engine.active() == []  # fresh data: no fail-safe
        clock[0] = T0 + timedelta(seconds=60)
        control.controller.step(clock[0], [Wallbox().report()])
        others.tick()
        (active,) = service.engine.active()
        assert (active.rule, active.subject) == ("ev_failsafe", "ev")
        assert "fail-safe" in service.records[active.id].title
        again = Reading(received_at=clock[0], current_l1_a=Decimal(5), power_import_w=1000)
        control.controller.observe(again)
        control.controller.step(clock[0], [Wallbox().report()])
        others.tick()
        assert service.engine.active() == []
        assert service.records[active.id].cleared is not None
    finally:
        store.close()
