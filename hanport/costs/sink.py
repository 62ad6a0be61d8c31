"""Prices inside `hanport run`: fetched after each day-ahead publication, kept in the store.

On its first cycle the sink backfills the prices of the whole stored history (from the oldest
stored reading); then it asks every `CHECK_S` for what the schedule says is published and not
stored (`hanport.costs.schedule.due_fetches`): tomorrow's prices after ≈14:00 Tallinn, and any
hole. Each request is retried with growing pauses (`hanport.costs.fetch.Retry`); a provider
that stays down is one sentence in the log, and the next cycle tries again, while the app and
MQTT go on pricing from the stored prices. It never stops hanport.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from hanport.costs.errors import CostError
from hanport.costs.fetch import Retry, fetch_prices
from hanport.costs.price_store import PriceBook, put_prices, stored_prices
from hanport.costs.schedule import FetchRange, due_fetches
from hanport.costs.settings import PricesSettings
from hanport.costs.slots import quarter_floor
from hanport.i18n import text
from hanport.runtime.hub import Subscription
from hanport.runtime.sink import RuntimeView
from hanport.store import Store, StoreError, open_store

__all__ = ["CHECK_S", "PriceBook", "PriceSink"]

log = logging.getLogger(__name__)
CHECK_S = 900.0
"""How often the sink looks for newly published prices (the schedule decides what to ask)."""
_RETRY = Retry()
_FIRST_DAYS = 1
"""Without stored readings, the prices from the start of yesterday are fetched."""


class PriceSink:
    name = "prices"
    queue_size = 1

    def __init__(
        self,
        database: str,
        settings: PricesSettings,
        zone: str = "Europe/Tallinn",
        *,
        language: str = "en",
        retry: Retry = _RETRY,
        check_s: float = CHECK_S,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.database = database
        self.settings = settings
        self.zone = ZoneInfo(zone)
        self.language = language
        self.retry = retry
        self.check_s = check_s
        self.now = now
        self.sleep = sleep
        self.book = PriceBook()
        self._empty: set[tuple[datetime, datetime]] = set()

    def announcement(self, language: str) -> str:
        """The line `hanport run` prints at its start."""
        host = urlsplit(self.settings.url).netloc or self.settings.url
        return text("costs.prices_announce", language, source=host)

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        view.offer(self.book)
        cycles = asyncio.create_task(self._cycles(view.store))
        try:
            async for _ in readings:  # ends with hanport; the fetches go on meanwhile
                pass
        finally:
            cycles.cancel()
            await asyncio.gather(cycles, return_exceptions=True)

    async def _cycles(self, reader: Store) -> None:
        try:
            writer = await asyncio.to_thread(open_store, self.database, self.zone, upgrade=False)
        except StoreError as error:
            log.error("%s", error.text(self.language))
            return
        try:
            while True:
                await self.cycle(reader, writer)
                await self.sleep(self.check_s)
        finally:
            await asyncio.to_thread(writer.close)

    async def cycle(self, reader: Store, writer: Store) -> int:
        """One look: fetch and store what is due; returns the number of slots stored."""
        now = self.now()
        start = await asyncio.to_thread(_history_start, reader, now)
        end = now + timedelta(days=3)
        known = await asyncio.to_thread(stored_prices, writer, start, end)
        stored = 0
        earliest: datetime | None = None
        for wanted in due_fetches(now, known, start, end):
            if (wanted.start, wanted.end) not in self._empty:
                count = await self._fetch(writer, wanted)
                if count and earliest is None:
                    earliest = wanted.start
                stored += count
        if earliest is not None:
            self.book.changed(now, earliest)
        return stored

    async def _fetch(self, writer: Store, wanted: FetchRange) -> int:
        try:
            slots = await fetch_prices(
                self.settings, wanted.start, wanted.end, retry=self.retry, sleep=self.sleep
            )
            count = await asyncio.to_thread(put_prices, writer, slots, self.settings.source)
        except (CostError, StoreError) as error:
            self.book.last_error = error.text(self.language)
            log.warning("%s", self.book.last_error)
            return 0
        if not slots:
            self._empty.add((wanted.start, wanted.end))
        else:
            self.book.last_error = None
            log.info(
                "%s",
                text(
                    "costs.prices_stored",
                    self.language,
                    count=count,
                    start=_show(slots[0].start),
                    end=_show(slots[-1].end),
                ),
            )
        return count


def _history_start(store: Store, now: datetime) -> datetime:
    firsts = [meter.first for meter in store.meters() if meter.first is not None]
    earliest = min(firsts) if firsts else now - timedelta(days=_FIRST_DAYS)
    return quarter_floor(min(earliest, now - timedelta(days=_FIRST_DAYS)))


def _show(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
