"""The EV control assembled from the settings: the one object the runtime, the API and the app
use (see `docs/ev.md`).

    control = EvControl(settings.ev, site, ZoneInfo(settings.timezone), publish=mqtt_queue)
    task = control.run(hub.subscribe("ev", 10))      # the sink
    control.status("et")                             # the app's EV page
    control.log.latest(100)                          # why the car charged slowly
    control.set_mode("cheapest", departure="06:30")  # admin only
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hanport.ev.charger import Fleet
from hanport.ev.controller import Controller, Event
from hanport.ev.limits_log import LimitsLog
from hanport.ev.session_cost import SessionCosts
from hanport.ev.settings import MODES, EvSettings, ev_departure, mode_of
from hanport.ev.sink import run_ev_sink
from hanport.ev.wording import say
from hanport.grid import Site
from hanport.i18n import catalogue
from hanport.model import Reading
from hanport.mqtt.payloads import Message
from hanport.settings.values import ConfigError

__all__ = ["EvControl"]

log = logging.getLogger(__name__)


class EvControl:
    def __init__(
        self,
        settings: EvSettings,
        site: Site,
        zone: ZoneInfo,
        *,
        publish: Callable[[Message], None] | None = None,
        on_event: Callable[[Event], None] | None = None,
        limits_log: LimitsLog | None = None,
    ) -> None:
        _check_phases(settings, site)
        self.settings = settings
        self.zone = zone
        self._on_event = on_event
        self.fleet = Fleet(on_change=self._changed)
        self.controller = Controller(
            site,
            settings.policy,
            mode_of(settings, zone),
            failsafe_a=settings.failsafe_a,
            stale_s=settings.stale_s,
            chargers=settings.specs(),
            default=lambda cid: replace(
                settings.default_spec(cid), wiring=(1, 2, 3)[: site.phases]
            ),
            log=limits_log,
            on_event=self._event,
        )
        self.services: list[Coroutine[Any, Any, None]] = []
        self.costs = SessionCosts()
        self.price_at: Callable[[datetime], Decimal | None] | None = None
        """The price now (c/kWh), when prices are known: sessions get a cost."""
        self._add_chargers(publish)

    @property
    def log(self) -> LimitsLog:
        return self.controller.log

    @property
    def mode(self) -> str:
        return self.settings.mode

    async def run(self, readings: AsyncIterator[Reading], tick_s: float = 1.0) -> None:
        services, self.services = self.services, []
        await run_ev_sink(readings, self.controller, self.fleet, tick_s=tick_s, services=services)

    def set_mode(self, mode: str, departure: str | None = None) -> None:
        """Change the mode (and the departure time); raises ConfigError for a wrong value."""
        if mode not in MODES:
            raise ConfigError("ev.mode_invalid", modes=", ".join(MODES), value=mode)
        changed = replace(self.settings, mode=mode)
        if departure is not None:
            changed = replace(
                changed,
                departure=ev_departure((departure, catalogue.Message("ev.where_departure"))),
            )
        self.settings = changed
        self.controller.set_mode(mode_of(changed, self.zone))

    def update_costs(self, now: datetime) -> None:
        """Price what each charger delivered since the last call."""
        price = self.price_at(now) if self.price_at is not None else None
        for charger in self.fleet:
            report = charger.report()
            self.costs.update(report.id, report.session_wh, price)

    def status(self, language: str = "en", now: datetime | None = None) -> dict[str, object]:
        from hanport.ev.status import ev_status

        return ev_status(self, now or datetime.now(UTC), language)

    def _add_chargers(self, publish: Callable[[Message], None] | None) -> None:
        ocpp = {c.id: c for c in self.settings.chargers if c.kind == "ocpp"}
        if self.settings.ocpp_host is not None:
            self.services.append(self._ocpp_server(ocpp).run())
        for charger in self.settings.chargers:
            if charger.kind == "go-e":
                from hanport.ev.goe import GoeCharger

                assert charger.address is not None
                goe = GoeCharger(charger.id, charger.address, can_switch=charger.switch_phases)
                self.fleet.add(goe)
                self.services.append(goe.run())
            elif charger.kind == "mqtt":
                self.fleet.add(self._mqtt_charger(charger.id, charger.topic, publish))

    def _ocpp_server(self, listed: dict[str, Any]) -> Any:
        from hanport.ev.ocpp_server import OcppServer, tls_context

        settings = self.settings
        context = None
        if settings.ocpp_cert_file is not None and settings.ocpp_key_file is not None:
            context = tls_context(settings.ocpp_cert_file, settings.ocpp_key_file)
        assert settings.ocpp_host is not None
        return OcppServer(
            settings.ocpp_host,
            settings.ocpp_port,
            self.fleet,
            chargers=listed,
            failsafe_a=settings.failsafe_a,
            ssl_context=context,
        )

    def _mqtt_charger(
        self, charger_id: str, topic: str | None, publish: Callable[[Message], None] | None
    ) -> Any:
        from hanport.ev.mqtt_charger import MqttCharger

        if publish is None:
            raise ConfigError("ev.mqtt_without_broker", charger=charger_id)
        where = topic or f"hanport/ev/{charger_id}/set"

        def reason() -> Any:
            held = self.controller.helds.get(charger_id)
            return held.reason if held is not None else None

        return MqttCharger(charger_id, where, publish, reason=reason)

    def _changed(self, charger_id: str, joined: bool) -> None:
        if not joined:
            self.controller.forget(charger_id)

    def _event(self, event: Event) -> None:
        key, params = event
        level = logging.WARNING if key == "event.went_stale" else logging.INFO
        log.log(level, say(f"ev.{key}", None, **params))
        if self._on_event is not None:
            self._on_event(event)


def _check_phases(settings: EvSettings, site: Site) -> None:
    for charger in settings.chargers:
        if max(charger.wiring) > site.phases:
            code = "ev.wired_beyond_site_one" if site.phases == 1 else "ev.wired_beyond_site"
            raise ConfigError(
                code, charger=charger.id, phase=max(charger.wiring), phases=site.phases
            )
