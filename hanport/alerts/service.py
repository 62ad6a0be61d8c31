"""The alert service: observations in, messages out to every channel, the history kept.

    service = AlertService(settings, site=site, quality=quality, zone=zone,
                           on_record=store.save_alert, on_mqtt=publish)
    async with service:                       # starts one courier per channel
        await run_alert_sink(hub.subscribe("alerts"), service, reader_state)

`run_alert_sink` is the sink: every reading becomes an observation (and feeds a live 10-minute
window, whose closing is the `voltage_band` observation); every `tick_s` the reader's rejected
count is observed and time passes (lost data, repeats, the end of quiet hours). Other parts
call `observe()` with theirs (the EV control's fail-safe, the costs' monthly peak).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo

from hanport.alerts.channels import (
    Channel,
    Courier,
    EmailChannel,
    NtfyChannel,
    TelegramChannel,
    WebhookChannel,
)
from hanport.alerts.engine import AlertEngine, Notice
from hanport.alerts.history import AlertRecord, updated_record
from hanport.alerts.messages import render_notice, render_summary
from hanport.alerts.outbox import ChannelPolicy, Delivery, Outbox
from hanport.alerts.rules import DecoderRejections, Observation, ReadingSeen, Rule, WindowClosed
from hanport.alerts.settings import AlertSettings
from hanport.backoff import Backoff
from hanport.grid import Site
from hanport.i18n import text
from hanport.model import Reading
from hanport.quality.analysis import QualityState, advance
from hanport.quality.settings import QualitySettings
from hanport.quality.windows import Method, Window
from hanport.runtime.hub import Subscription
from hanport.sources.reader import ReaderState

__all__ = ["AlertService", "build_channels", "run_alert_sink"]

log = logging.getLogger("hanport.alerts")
_PERSON = frozenset({"email", "ntfy", "telegram"})


def build_channels(settings: AlertSettings) -> list[Channel]:
    channels: list[Channel] = []
    if settings.webhook:
        channels.append(WebhookChannel(settings.webhook))
    if settings.email:
        channels.append(EmailChannel(settings.email))
    if settings.ntfy:
        channels.append(NtfyChannel(settings.ntfy))
    if settings.telegram:
        channels.append(TelegramChannel(settings.telegram))
    return channels


class AlertService:
    def __init__(
        self,
        settings: AlertSettings,
        *,
        site: Site | None = None,
        quality: QualitySettings | None = None,
        zone: tzinfo = UTC,
        interval_s: float = 10,
        channels: Sequence[Channel] | None = None,
        on_record: Callable[[AlertRecord], object] | None = None,
        on_mqtt: Callable[[Notice, list[Notice]], object] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        backoff: Callable[[], Backoff] | None = None,
    ) -> None:
        self.settings = settings
        self.zone = zone
        self.clock = clock
        site = site or Site()
        quality = quality or QualitySettings()
        self.engine = AlertEngine(
            settings.rules,
            site=site,
            quality=quality,
            repeat_s=settings.repeat_s,
            clear_s=settings.clear_s,
            started_at=clock(),
        )
        self.method = Method.for_site(quality, site, zone, interval_s)
        chosen = build_channels(settings) if channels is None else list(channels)
        self.couriers = {
            channel.name: Courier(
                channel, settings.language, backoff=backoff() if backoff else None
            )
            for channel in chosen
        }
        webhook_quiet = settings.webhook.quiet if settings.webhook else False
        self.outbox = Outbox(
            [
                ChannelPolicy(
                    c.name,
                    c.name in _PERSON or (c.name == "webhook" and webhook_quiet),
                    settings.max_per_hour,
                )
                for c in chosen
            ],
            settings.quiet,
            zone,
        )
        self.records: dict[str, AlertRecord] = {}
        self._on_record = on_record
        self.on_rules: Callable[[tuple[Rule, ...]], object] | None = None
        """Called with the rules the app set (the sink keeps them in the database)."""
        self._on_mqtt = on_mqtt
        self._window = QualityState()
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> AlertService:
        self._tasks = [
            asyncio.create_task(c.run(), name=f"alerts-{n}") for n, c in self.couriers.items()
        ]
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.flush(2.0)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def flush(self, timeout_s: float) -> None:
        """Wait (at most `timeout_s`) until the couriers have sent what waits."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        while any(c.waiting and c.problem is None for c in self.couriers.values()):
            if asyncio.get_running_loop().time() >= deadline:
                return
            await asyncio.sleep(0.02)

    def observe(self, observation: Observation, now: datetime | None = None) -> list[Notice]:
        moment = now or self.clock()
        notices = self.engine.observe(observation, moment)
        if isinstance(observation, ReadingSeen):
            for window in self._windows(observation.reading, observation.at):
                notices += self.engine.observe(WindowClosed(window), moment)
        self._dispatch(notices, moment)
        return notices

    def tick(self, now: datetime | None = None) -> list[Notice]:
        moment = now or self.clock()
        notices = self.engine.tick(moment)
        self._dispatch(notices, moment)
        return notices

    def set_rules(self, rules: tuple[Rule, ...]) -> None:
        """New thresholds and durations (from the app) for the running alerts."""
        self.settings = replace(self.settings, rules=rules)
        self.engine.rules = {rule.kind: rule for rule in rules if rule.enabled}
        self._call(self.on_rules, rules)

    def status(self) -> dict[str, object]:
        """For the app and the API: active alerts and each channel's state."""
        return {
            "active": [self.records[n.id] for n in self.engine.active() if n.id in self.records],
            "channels": [courier.status() for courier in self.couriers.values()],
        }

    def _windows(self, reading: Reading, at: datetime) -> list[Window]:
        moment = reading.meter_time or at
        sample = (moment, reading.voltage_l1_v, reading.voltage_l2_v, reading.voltage_l3_v)
        update = advance(self._window, [sample], moment + timedelta(microseconds=1), self.method)
        self._window = update.state
        return list(update.windows)

    def _dispatch(self, notices: list[Notice], now: datetime) -> None:
        deliveries = self.outbox.plan(notices, now)
        sent = {n.id for d in deliveries for n in d.notices if not d.summary}
        language = self.settings.language
        for notice in notices:
            message = render_notice(notice, language, self.zone)
            record = updated_record(self.records.get(notice.id), notice, message, notice.id in sent)
            self.records[notice.id] = record
            if len(self.records) > 500:
                self.records.pop(next(iter(self.records)))
            self._call(self._on_record, record)
            if self._on_mqtt is not None and self.settings.mqtt:
                self._call(self._on_mqtt, notice, self.engine.active())
        for delivery in deliveries:
            self._deliver(delivery, now)

    def _deliver(self, delivery: Delivery, now: datetime) -> None:
        language = self.settings.language
        if delivery.summary:
            quiet = str(self.settings.quiet) if self.settings.quiet else ""
            message = render_summary(
                delivery.notices, language, self.zone, quiet, now, delivery.withheld
            )
        else:
            message = render_notice(delivery.notices[0], language, self.zone, delivery.withheld)
        self.couriers[delivery.channel].put(message)

    @staticmethod
    def _call(callback: Callable[..., object] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception as error:  # the history or MQTT failing must not stop the alerts
            log.error("%s", text("alerts.record_failed", "en", error=error))


async def run_alert_sink(
    readings: Subscription,
    service: AlertService,
    state: ReaderState | None = None,
    *,
    tick_s: float = 5.0,
    on_reading: Callable[[Reading], object] | None = None,
    on_tick: Callable[[], object] | None = None,
) -> None:
    """Run until the readings end (`EndOfReadings`) or cancelled: readings and the passing of
    time into the alert service; `on_reading` and `on_tick` are called for each (the MQTT
    link, other parts' states)."""
    loop = asyncio.get_running_loop()
    next_tick = loop.time() + tick_s
    while True:
        try:
            async with asyncio.timeout(max(next_tick - loop.time(), 0)):
                reading = await readings.get()
            if on_reading is not None:
                on_reading(reading)
            service.observe(ReadingSeen(reading, reading.received_at or service.clock()))
            if loop.time() < next_tick:
                continue
        except TimeoutError:
            pass
        next_tick = loop.time() + tick_s
        if state is not None:
            service.observe(DecoderRejections(state.rejected))
        if on_tick is not None:
            on_tick()
        service.tick()
