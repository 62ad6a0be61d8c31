"""Day-ahead prices kept in the store's records (kind "prices"), one record per slot.

    kind "prices", meter "", time = the slot's start (UTC), key = the area ("ee"),
    data = {"end": the slot's end, "eur_mwh": Decimal, "source": "elering" | "entsoe" | "csv"}

Blocking store I/O, meant for a worker thread like the rest of the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from hanport.costs.errors import CostError
from hanport.costs.slots import PriceSlot
from hanport.store import Store
from hanport.store.base import Record, RecordStore

__all__ = ["KIND", "PriceBook", "has_records", "price_records", "put_prices", "stored_prices"]

KIND = "prices"
AREA = "ee"


def has_records(store: Store) -> bool:
    return isinstance(store, RecordStore)


def price_records(slots: Iterable[PriceSlot], source: str) -> list[Record]:
    return [
        Record(
            KIND, "", slot.start, AREA, {"end": slot.end, "eur_mwh": slot.eur_mwh, "source": source}
        )
        for slot in slots
    ]


def put_prices(store: Store, slots: Iterable[PriceSlot], source: str) -> int:
    """Store (or replace) the slots; returns how many."""
    records = price_records(slots, source)
    if records:
        _records(store).put_records(KIND, records)
    return len(records)


def stored_prices(store: Store, start: datetime, end: datetime) -> list[PriceSlot]:
    """The stored slots starting in [start, end), in time order (none from a store without
    records)."""
    if not isinstance(store, RecordStore):
        return []
    slots = []
    for record in store.records(KIND, start, end, "", AREA):
        ends = record.data.get("end")
        price = record.data.get("eur_mwh")
        if isinstance(ends, datetime) and isinstance(price, Decimal) and ends > record.time:
            slots.append(PriceSlot(record.time, ends, price))
    return slots


def _records(store: Store) -> RecordStore:
    if not isinstance(store, RecordStore):
        raise CostError("costs.no_records")
    return store


class PriceBook:
    """Live state the sink offers: which prices changed when (the app's caches ask it)."""

    def __init__(self) -> None:
        self.generation = 0
        self.last_fetch: datetime | None = None
        self.last_error: str | None = None
        self._earliest: list[datetime] = []
        """Per generation (index + 1): the start of the earliest slot it stored."""

    def changed(self, moment: datetime, earliest: datetime) -> None:
        self.generation += 1
        self.last_fetch = moment
        self._earliest.append(earliest)

    def still_valid(self, generation: int, end: datetime) -> bool:
        """Whether a figure computed at `generation` over a period ending at `end` holds: no
        later change stored a price before `end`."""
        return all(start >= end for start in self._earliest[generation:])
