"""The storage sink as a `Sink`: every reading into the store (see `hanport.store.sink`), and
raw readings past `retention_days` pruned hourly."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hanport.runtime.hub import EndOfReadings, Subscription
from hanport.runtime.sink import RuntimeView
from hanport.store import Store
from hanport.store.sink import run_store_sink

__all__ = ["StorageSink"]


class StorageSink:
    name = "storage"
    queue_size = 100_000
    """About 11 days of 10-s readings held while the database refuses writes (a full disk)."""

    def __init__(self, store: Store, retention_days: int = 0) -> None:
        self.store = store
        self.retention_days = retention_days

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        with contextlib.suppress(EndOfReadings):  # the end: what it holds is written first
            await run_store_sink(readings, self.store, prune=self._pruner())

    def _pruner(self) -> Callable[[], object] | None:
        days = self.retention_days
        if not days:
            return None
        return lambda: self.store.prune(datetime.now(UTC) - timedelta(days=days))
