"""Alerts as a sink of `hanport run`: every reading through the rules, the history in the
database, the notices on MQTT, and what other parts offer (the EV fail-safe) looked at.

The 10-minute voltage means come from the readings themselves (`hanport.quality`'s windows,
judged by `[quality]`'s band when that section is read, else EN 50160's). A new monthly peak is
the highest hourly import of the month so far, from the store's hours (`hanport.alerts.peaks`).
The running `AlertService` is offered to the other parts and the app (`view.find(AlertService)`).
"""

from __future__ import annotations

import contextlib
import logging
from zoneinfo import ZoneInfo

from hanport.alerts.journal import HistoryWriter
from hanport.alerts.peaks import PeakWatch
from hanport.alerts.publish import AlertsOnMqtt
from hanport.alerts.rule_edits import edits_record, saved_rules
from hanport.alerts.rules import EvFailSafe, Rule
from hanport.alerts.service import AlertService, run_alert_sink
from hanport.alerts.settings import AlertSettings
from hanport.mqtt.settings import MQTT
from hanport.quality.settings import QualitySettings
from hanport.runtime.hub import EndOfReadings, Subscription
from hanport.runtime.sink import RuntimeView
from hanport.settings.loader import Settings

__all__ = ["AlertSink", "OtherParts", "quality_of"]

log = logging.getLogger("hanport.alerts")


def quality_of(settings: Settings) -> QualitySettings:
    """`[quality]`'s limits when that part has read them, else EN 50160's."""
    found = settings.sections.get("quality")
    return found if isinstance(found, QualitySettings) else QualitySettings()


class AlertSink:
    name = "alerts"
    queue_size = 200

    def __init__(self, settings: AlertSettings, database: str, *, tick_s: float = 5.0) -> None:
        self.settings = settings
        self.database = database
        self.tick_s = tick_s

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        settings = view.settings
        zone = ZoneInfo(settings.timezone)
        alerts = self.settings
        mqtt = AlertsOnMqtt(view, settings.get(MQTT), alerts.rules, alerts.language, zone)
        history = HistoryWriter(self.database, zone, alerts.language)
        service = AlertService(
            alerts,
            site=settings.site,
            quality=quality_of(settings),
            zone=zone,
            interval_s=settings.interval_s,
            on_record=history.put,
            on_mqtt=mqtt.notice,
        )
        others = OtherParts(view, service)
        async with history, service:
            saved = saved_rules(history.saved_rules)
            if saved is not None:
                service.set_rules(saved)
                mqtt.rules = saved

            def rules_changed(rules: tuple[Rule, ...]) -> None:
                history.put_record(edits_record(rules))
                mqtt.set_rules(rules)

            service.on_rules = rules_changed
            view.offer(service)
            with contextlib.suppress(EndOfReadings):
                await run_alert_sink(
                    readings,
                    service,
                    view.reader,
                    tick_s=self.tick_s,
                    on_reading=mqtt.reading,
                    on_tick=others.tick,
                )


class OtherParts:
    """The live states other parts offer, looked at on every tick."""

    def __init__(self, view: RuntimeView, service: AlertService) -> None:
        self.view = view
        self.service = service
        self._ev: type | bool | None = None
        self.peaks = PeakWatch(service.zone)

    def tick(self) -> None:
        engaged = self._ev_failsafe()
        if engaged is not None:
            self.service.observe(engaged)
        if "monthly_peak" in self.service.engine.rules:
            latest = self.view.latest
            meter = (latest.meter_id or "") if latest is not None else None
            if meter is not None:
                peak = self.peaks.check(self.view.store, meter, self.service.clock())
                if peak is not None:
                    self.service.observe(peak)

    def _ev_failsafe(self) -> EvFailSafe | None:
        if self._ev is None:
            try:
                from hanport.ev.control import EvControl
            except ImportError:  # pragma: no cover - a build without EV control
                self._ev = False
                return None
            self._ev = EvControl
        if self._ev is False:
            return None
        control = self.view.find(self._ev)  # type: ignore[arg-type]
        if control is None:
            return None
        freshness = control.controller.freshness
        online = any(charger.report().online for charger in control.fleet)
        return EvFailSafe(bool(freshness.stale and freshness.ever_fresh and online), "ev")
