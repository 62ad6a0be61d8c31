"""The gateway's outbox: every reading kept in the local database until the server confirms it.

The entries are records of kind `upstream_outbox` in the store (`RecordStore`): meter, meter
time, and the payload exactly as it is sent. An entry goes only when the server's watermark for
its meter has passed it (a PUBACK proves nothing); when there are more than `limit`, the oldest
go first. Blocking I/O: call it from a worker thread. The index of pending entries (their times
and meters, not their payloads) is kept in memory, so sending pages through the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hanport.model import Reading
from hanport.store.base import Record, RecordStore
from hanport.upstream.wire import meter_key, reading_payload

__all__ = ["KIND", "Entry", "Outbox"]

KIND = "upstream_outbox"
_US = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_END = datetime(9999, 1, 1, tzinfo=UTC)
PAGE = 500


@dataclass(frozen=True, slots=True)
class Entry:
    number: int
    time: datetime
    meter: str


class Outbox:
    def __init__(self, store: RecordStore, limit: int) -> None:
        self._store = store
        self.limit = limit
        self._entries: list[Entry] = []
        self._head = 0
        self._meters: dict[str, int] = {}
        self._ordered = True
        self._numbered = 0
        self.watermarks: dict[str, datetime] = {}
        for record in store.records(KIND, _EPOCH, _END):
            self._append(record.time, record.meter)

    def __len__(self) -> int:
        return len(self._entries) - self._head

    @property
    def first_number(self) -> int:
        return self._entries[self._head].number if len(self) else self._numbered

    @property
    def next_number(self) -> int:
        return self._numbered

    def _append(self, time: datetime, meter: str) -> None:
        if self._entries and time < self._entries[-1].time:
            self._ordered = False
        self._entries.append(Entry(self._numbered, time, meter))
        self._meters[meter] = self._meters.get(meter, 0) + 1
        self._numbered += 1

    def add(self, readings: list[Reading]) -> int:
        """Keep `readings` (one transaction); returns how many of the oldest were dropped."""
        records = []
        for reading in readings:
            moment = reading.meter_time or reading.received_at
            if moment is None:
                continue
            meter = meter_key(reading)
            records.append(Record(KIND, meter, moment, "", {"payload": reading_payload(reading)}))
        self._store.put_records(KIND, records)
        for record in records:
            self._append(record.time, record.meter)
        return self._drop_oldest()

    def _drop_oldest(self) -> int:
        over = len(self) - self.limit
        if over <= 0:
            return 0
        live = self._entries[self._head :]
        times = [e.time for e in live] if self._ordered else sorted(e.time for e in live)
        keep_from = times[over]
        self._store.delete_records(KIND, keep_from)
        self._keep([e for e in live if e.time >= keep_from])
        return len(live) - len(self._entries)

    def confirm(self, watermarks: dict[str, datetime]) -> int:
        """The server committed every reading of each meter up to its time: forget those.
        Returns how many entries went."""
        for meter, moment in watermarks.items():
            if moment > self.watermarks.get(meter, _EPOCH):
                self.watermarks[meter] = moment
        if not len(self):
            return 0
        if not self._meters.keys() <= self.watermarks.keys():
            return 0
        cutoff = min(self.watermarks[meter] for meter in self._meters)
        before = len(self)
        if self._ordered:
            while self._head < len(self._entries) and self._entries[self._head].time <= cutoff:
                self._forget(self._entries[self._head].meter)
                self._head += 1
        else:
            self._keep([e for e in self._entries[self._head :] if e.time > cutoff])
        if before == len(self):
            return 0
        self._store.delete_records(KIND, cutoff + _US)
        if self._head > len(self._entries) // 2:
            self._entries = self._entries[self._head :]
            self._head = 0
        return before - len(self)

    def _keep(self, entries: list[Entry]) -> None:
        self._entries = entries
        self._head = 0
        self._meters = {}
        self._ordered = all(a.time <= b.time for a, b in pairwise(entries))
        for entry in entries:
            self._meters[entry.meter] = self._meters.get(entry.meter, 0) + 1

    def _forget(self, meter: str) -> None:
        left = self._meters[meter] - 1
        if left:
            self._meters[meter] = left
        else:
            del self._meters[meter]

    def confirmed(self, entry: Entry) -> bool:
        return entry.time <= self.watermarks.get(entry.meter, _EPOCH)

    def page(self, from_number: int) -> Iterator[tuple[Entry, str]]:
        """Up to PAGE unconfirmed entries numbered `from_number` or later, with their payloads."""
        start = self._head + max(0, from_number - self.first_number)
        chosen = [e for e in self._entries[start : start + PAGE] if not self.confirmed(e)]
        if not chosen:
            return
        low, high = min(e.time for e in chosen), max(e.time for e in chosen)
        payloads = {
            (r.meter, r.time): r.data["payload"] for r in self._store.records(KIND, low, high + _US)
        }
        for entry in chosen:
            payload = payloads.get((entry.meter, entry.time))
            if isinstance(payload, str):
                yield entry, payload

    def last_number_of_page(self, from_number: int) -> int:
        offset = max(0, from_number - self.first_number)
        return min(self.next_number, self.first_number + offset + PAGE)
