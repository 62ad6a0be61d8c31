"""The gateway's outbox: every reading kept in the local database until the server confirms it.

The entries are records of kind `upstream_outbox` in the store (`RecordStore`): meter, meter
time, and the payload exactly as it is sent. An entry goes only when the server's watermark for
its meter has passed it (a PUBACK proves nothing); when there are more than `limit`, the oldest
go first. Blocking I/O: call it from a worker thread. The index of pending entries (their times
and meters, not their payloads) is kept in memory, so sending pages through the store.
"""

from __future__ import annotations

from bisect import bisect_left
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
        self.published = 0
        """Entries numbered below this were published at least once (the link says so)."""
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
        sent = self.published
        if self._ordered:
            entries = self._entries
            while (
                self._head < len(entries)
                and entries[self._head].time <= cutoff
                and entries[self._head].number < sent
            ):
                self._forget(entries[self._head].meter)
                self._head += 1
        else:
            self._keep(
                [e for e in self._entries[self._head :] if e.time > cutoff or e.number >= sent]
            )
        if before == len(self):
            return 0
        first_unsent = self._position(sent)
        if self._ordered:
            unsent = [e.time for e in self._entries[first_unsent : first_unsent + 1]]
        else:
            unsent = [e.time for e in self._entries[first_unsent:]]
        self._store.delete_records(KIND, min([cutoff + _US, *unsent]))
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
        """Sent, and passed by its meter's watermark (a reading older than the watermark when
        it was kept, after a meter's clock was set back, is sent once all the same)."""
        return entry.number < self.published and entry.time <= self.watermarks.get(
            entry.meter, _EPOCH
        )

    def page(self, from_number: int) -> Iterator[tuple[Entry, str]]:
        """Up to PAGE unconfirmed entries numbered `from_number` or later, with their payloads."""
        start = self._position(from_number)
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
        """The number the page after `page(from_number)` starts from."""
        end = self._position(from_number) + PAGE
        return self._entries[end].number if end < len(self._entries) else self.next_number

    def _position(self, number: int) -> int:
        """Where the first entry numbered `number` or later is (numbers grow along the list,
        with gaps where entries went)."""
        return bisect_left(self._entries, number, lo=self._head, key=lambda e: e.number)
