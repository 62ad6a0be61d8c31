"""The storage interface: `Store`, the typed rows it returns, and its optional capabilities.

Everything outside `hanport.store` (the app's API, exports, `hanport db check`, MQTT) talks to
a `Store`, never to SQL. A store is plain blocking I/O, meant to run in a worker thread
(`asyncio.to_thread`). A backend may offer more than the interface, each extra as a separate,
runtime-checkable protocol that callers test with `isinstance` and can do without:

    SeriesJson     the API's series rows as JSON text, straight from what is stored
    ColumnReader   chosen columns of the stored readings, without building `Reading`s
    RecordStore    the subsystems' records (prices, cost ledger, quality, alerts, EV log)

Periods (`Rollup`): 15-minute slots (`15m`), hours, days and months on the store's clock.
A period is (start, end]: a reading stamped exactly on a boundary closes the period before
it, in its energy and in its statistics (see `hanport.store.boundary`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Protocol, runtime_checkable

from hanport.model import Reading

__all__ = [
    "ColumnReader",
    "MeterInfo",
    "Record",
    "RecordStore",
    "Rollup",
    "SeriesJson",
    "Stats",
    "Store",
    "read_columns",
]


@dataclass(slots=True)
class Stats:
    """Minimum, maximum, sum and count of one quantity over a period (exact values)."""

    minimum: Decimal | int
    maximum: Decimal | int
    total: Decimal | int
    count: int = 1

    @property
    def mean(self) -> Decimal:
        return Decimal(self.total) / self.count

    def merge(self, other: Stats) -> None:
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        self.total += other.total
        self.count += other.count

    def copy(self) -> Stats:
        return Stats(self.minimum, self.maximum, self.total, self.count)


@dataclass(slots=True)
class Rollup:
    """One period of one meter: the readings in it, the energy the registers grew by (whole
    Wh, by the boundary rule), and min/sum/max per quantity.

    `gap`: the energy is not fully known (readings missing, the first period recorded, a
    register that fell silent); `reset`: a register went backwards or the meter changed;
    `partial`: the period is still open (or waits for a register), its figures grow;
    `legacy`: kept as an older hanport computed it, because retention has deleted the
    readings it was computed from (so it could not be recomputed by today's rules).
    """

    step: str
    start: datetime
    readings: int = 0
    energy_import_wh: int = 0
    energy_export_wh: int = 0
    gap: bool = False
    reset: bool = False
    stats: dict[str, Stats] = field(default_factory=dict)
    partial: bool = False
    legacy: bool = False


@dataclass(frozen=True, slots=True)
class MeterInfo:
    """A meter with stored readings: its id ("" for a meter that sends none), the model its
    newest reading names, and the times of its oldest and newest stored reading."""

    id: str
    model: str | None
    first: datetime | None
    last: datetime | None


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a subsystem (`kind`: "prices", "ledger", "quality_window", …), for a
    meter ("" when it belongs to none) at a time, told apart from others at that time by
    `key` ("" when there is one). `data` holds ints, Decimals, strs, bools, None, aware
    datetimes, and lists and str-keyed dicts of those; it comes back with the same types."""

    kind: str
    meter: str
    time: datetime
    key: str
    data: Mapping[str, object]


class Store(Protocol):
    """Readings of one or more meters, their rollups, retention."""

    @property
    def zone(self) -> tzinfo:
        """The clock periods are aligned to (days, months; hours in zones off the hour)."""
        ...

    def write(self, readings: Sequence[Reading]) -> None:
        """Store readings (any meters, any order) in one transaction; a reading stored again
        (same meter and time) replaces the first."""
        ...

    def latest(self, meter: str) -> Reading | None:
        """The newest stored reading of `meter`."""
        ...

    def readings(self, meter: str, start: datetime, end: datetime) -> list[Reading]:
        """Every stored reading of `meter` with start <= time < end, in time order."""
        ...

    def series(self, meter: str, step: str, start: datetime, end: datetime) -> list[Rollup]:
        """The periods of `step` ("15m", "1h", "1d", "1mo") starting in [start, end), in time
        order: closed ones as stored, open ones as they stand now (`partial`)."""
        ...

    def meters(self) -> list[MeterInfo]:
        """Every meter with stored readings, by id."""
        ...

    def prune(self, before: datetime) -> int:
        """Delete raw readings older than `before` (whole hours); rollups stay. Returns the
        number of hours removed."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class SeriesJson(Protocol):
    """The fast path of GET /api/v1/series: the rows array as JSON text."""

    def series_json(
        self,
        meter: str,
        step: str,
        start: datetime,
        end: datetime,
        fields: Sequence[str] | None,
    ) -> str:
        """`[{…},…]` exactly as `hanport.web.queries` writes typed rows: the statistics of
        `fields` only (all when None)."""
        ...


@runtime_checkable
class ColumnReader(Protocol):
    """Chosen `Reading` fields of the stored readings, without building `Reading`s."""

    def columns(
        self, meter: str, start: datetime, end: datetime, names: Sequence[str]
    ) -> Iterator[tuple[object, ...]]:
        """(moment in UTC, value of each name…) per stored reading with start <= moment <
        end, in time order (the moment is meter_time, or received_at without one)."""
        ...


@runtime_checkable
class RecordStore(Protocol):
    """Subsystem records, one table, read by kind and time range."""

    def put_records(self, kind: str, records: Sequence[Record]) -> None:
        """Insert or replace (on kind, meter, time, key) in one transaction."""
        ...

    def records(
        self,
        kind: str,
        start: datetime,
        end: datetime,
        meter: str | None = None,
        key: str | None = None,
    ) -> list[Record]:
        """Records of `kind` with start <= time < end (of one meter, one key when given),
        in time order, then by meter, then by key."""
        ...

    def delete_records(self, kind: str, before: datetime) -> int:
        """Delete the records of `kind` older than `before`; returns how many."""
        ...


def read_columns(
    store: Store, meter: str, start: datetime, end: datetime, names: Sequence[str]
) -> Iterator[tuple[object, ...]]:
    """`ColumnReader.columns` where the store has it; the same tuples from whole readings
    where it has not (slower)."""
    if isinstance(store, ColumnReader):
        return store.columns(meter, start, end, names)
    return _from_readings(store.readings(meter, start, end), names)


def _from_readings(readings: list[Reading], names: Sequence[str]) -> Iterator[tuple[object, ...]]:
    from datetime import UTC

    for reading in readings:
        moment = reading.meter_time or reading.received_at
        assert moment is not None
        yield (moment.astimezone(UTC), *(getattr(reading, name) for name in names))
