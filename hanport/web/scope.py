"""Sites on `hanport server`: each request sees only the meters of its caller's sites.

The server stores the reading of meter `<meter>` at site `<site>` under the meter id
`<site>/<meter>` (hanport.server.ingest). `web.auth.caller` puts the caller's `Scope` in a
context variable for the rest of the request; a `SiteStore` (the app's store on the server)
answers every meter question through it, so a meter of another site is one that does not
exist: the endpoints answer 404, and lists leave it out. Before `caller` ran, a request sees
nothing. The household app (`hanport run`) keeps its plain store and ignores the scope.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, tzinfo

from hanport.model import Reading
from hanport.store.base import MeterInfo, Record, RecordStore, Rollup, Store, read_columns

__all__ = ["SCOPE", "Scope", "SiteStore", "scope_of", "site_of"]


@dataclass(frozen=True)
class Scope:
    sites: frozenset[str] = frozenset()
    every: bool = False
    """An operator: every site."""

    def sees(self, meter: str) -> bool:
        return self.every or site_of(meter) in self.sites


SCOPE: ContextVar[Scope | None] = ContextVar("hanport_scope", default=None)
_NOTHING = Scope()


def _scope() -> Scope:
    return SCOPE.get() or _NOTHING


def scope_of(role: str, sites: Sequence[str]) -> Scope:
    return Scope(frozenset(sites), every=role == "operator")


def site_of(meter: str) -> str:
    site, found, _ = meter.partition("/")
    return site if found else ""


class SiteStore:
    """A store seen through the request's scope (readings are only read here, never written)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def zone(self) -> tzinfo:
        return self._store.zone

    def write(self, readings: Sequence[Reading]) -> None:
        raise PermissionError("read-only")

    def latest(self, meter: str) -> Reading | None:
        return self._store.latest(meter) if _scope().sees(meter) else None

    def readings(self, meter: str, start: datetime, end: datetime) -> list[Reading]:
        return self._store.readings(meter, start, end) if _scope().sees(meter) else []

    def series(self, meter: str, step: str, start: datetime, end: datetime) -> list[Rollup]:
        return self._store.series(meter, step, start, end) if _scope().sees(meter) else []

    def meters(self) -> list[MeterInfo]:
        scope = _scope()
        return [meter for meter in self._store.meters() if scope.sees(meter.id)]

    def prune(self, before: datetime) -> int:
        return 0

    def close(self) -> None:
        self._store.close()

    def columns(
        self, meter: str, start: datetime, end: datetime, names: Sequence[str]
    ) -> Iterator[tuple[object, ...]]:
        if not _scope().sees(meter):
            return iter(())
        return read_columns(self._store, meter, start, end, names)

    def records(
        self,
        kind: str,
        start: datetime,
        end: datetime,
        meter: str | None = None,
        key: str | None = None,
    ) -> list[Record]:
        """Records of the scope's meters, and those of no meter."""
        if not isinstance(self._store, RecordStore):
            return []
        scope = _scope()
        found = self._store.records(kind, start, end, meter, key)
        return [record for record in found if not record.meter or scope.sees(record.meter)]

    def put_records(self, kind: str, records: Sequence[Record]) -> None:
        if isinstance(self._store, RecordStore):
            self._store.put_records(kind, records)

    def delete_records(self, kind: str, before: datetime) -> int:
        if not isinstance(self._store, RecordStore):
            return 0
        return self._store.delete_records(kind, before)
