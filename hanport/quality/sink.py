"""The quality sink: catches up from the stored readings at the start, then takes in each hour
as it is sealed (the storage sink has written past its end), and offers the latest figures as
`QualityLive` to the other parts and the app.

The readings it is handed only tell it that time has moved on; the figures always come from the
stored readings, so a reading this sink dropped while busy is never missing from them.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from hanport.i18n import default_language, text
from hanport.model import Reading
from hanport.quality.keeper import Progress, catch_up, hour_floor
from hanport.quality.live import MeterQuality, QualityLive
from hanport.quality.settings import QualitySettings
from hanport.quality.windows import Method
from hanport.runtime.hub import Subscription
from hanport.runtime.sink import RuntimeView
from hanport.settings.loader import Settings
from hanport.store import Store, StoreError, open_store

__all__ = ["QualitySink"]

log = logging.getLogger(__name__)

CHECK_EVERY_S = 1.0
"""While an hour waits for the storage to write past it, the store is asked at most this often
(a replay at full speed brings thousands of readings a second)."""


class QualitySink:
    name = "quality"
    queue_size = 1_000

    def __init__(
        self,
        database: str,
        settings: Settings,
        quality: QualitySettings,
        language: str = "",
        check_every_s: float = CHECK_EVERY_S,
    ) -> None:
        self.database = database
        self.zone = ZoneInfo(settings.timezone)
        self.method = Method.for_site(quality, settings.site, self.zone, settings.interval_s)
        self.language = language or default_language()
        self.live = QualityLive(self.method)
        self._sealed: dict[str, datetime] = {}
        self._asked: dict[str, float] = {}
        self.check_every_s = check_every_s
        self._failing = False

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        view.offer(self.live)
        store = await asyncio.to_thread(open_store, self.database, self.zone, upgrade=False)
        try:
            await asyncio.to_thread(self._start, store)
            async for reading in readings:
                await self._on_reading(store, reading)
        finally:
            store.close()

    def _start(self, store: Store) -> None:
        for meter in store.meters():
            if meter.last is not None:
                self._seal(store, meter.id, hour_floor(meter.last))

    async def _on_reading(self, store: Store, reading: Reading) -> None:
        moment = reading.meter_time or reading.received_at
        if moment is None:
            return
        meter, hour = reading.meter_id or "", hour_floor(moment)
        sealed = self._sealed.get(meter)
        if sealed is not None and hour <= sealed:
            return
        now = time.monotonic()
        if now - self._asked.get(meter, -self.check_every_s) < self.check_every_s:
            return
        self._asked[meter] = now
        stored = await asyncio.to_thread(store.latest, meter)
        stored_at = None if stored is None else stored.meter_time or stored.received_at
        if stored_at is not None and stored_at >= hour:  # the storage has written past it
            await asyncio.to_thread(self._seal, store, meter, hour)

    def _seal(self, store: Store, meter: str, until: datetime) -> None:
        try:
            progress = catch_up(store, meter, self.method, until)
        except (StoreError, sqlite3.Error, OSError) as error:
            if not self._failing:
                log.error("%s", text("quality.sink_failed", self.language, error=error))
            self._failing = True
            return
        self._failing = False
        self._sealed[meter] = until
        self._show(meter, until, progress)

    def _show(self, meter: str, until: datetime, progress: Progress) -> None:
        before = self.live.get(meter)
        window = progress.windows[-1] if progress.windows else None
        week = progress.weeks[-1] if progress.weeks else None
        if before is not None:
            window, week = window or before.window, week or before.week
        ongoing = progress.state.open_events
        self.live.meters[meter] = MeterQuality(until, window, ongoing, progress.events, week)
