"""A store with only the `Store` interface, no capability: for the slower paths' tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hanport.model import Reading
from hanport.store import MeterInfo, Rollup, Store


class ReadingsOnly:
    """A store without the capability: only the interface."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.zone = store.zone

    def write(self, readings: Sequence[Reading]) -> None:
        self._store.write(readings)

    def latest(self, meter: str) -> Reading | None:
        return self._store.latest(meter)

    def readings(self, meter: str, start: datetime, end: datetime) -> list[Reading]:
        return self._store.readings(meter, start, end)

    def series(self, meter: str, step: str, start: datetime, end: datetime) -> list[Rollup]:
        return self._store.series(meter, step, start, end)

    def meters(self) -> list[MeterInfo]:
        return self._store.meters()

    def prune(self, before: datetime) -> int:
        return self._store.prune(before)

    def close(self) -> None:
        self._store.close()
