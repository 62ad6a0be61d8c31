"""The shape of every part that runs beside the reader: a `Sink` and the `RuntimeView` it sees.

A sink consumes the readings as they are decoded (an async iterator that ends when hanport
stops) and may look at a small read-only view of the running hanport: the reader's status, the
latest reading, the store's read interface, the settings, and the live state other sinks offer
(`find`). It never gets the decoder, a database path or a socket. It owns its own I/O: it
retries its own failures, says them once, and returns when its readings end, having written or
sent what it holds.

    class Sink(Protocol):
        name: str           # "storage", "mqtt", "web", "ev", …: for its queue and its log lines
        queue_size: int     # readings kept for it when it falls behind (the oldest go first)
        async def run(self, readings: Subscription, view: RuntimeView) -> None: ...
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from hanport.model import Reading
from hanport.runtime.hub import Subscription
from hanport.settings.loader import Settings
from hanport.sources.reader import ReaderState
from hanport.store import Store

__all__ = ["RuntimeView", "Sink"]

T = TypeVar("T")


class RuntimeView(Protocol):
    """What a running sink may read about the rest of hanport (never change)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def reader(self) -> ReaderState:
        """The reader's status: connected, stale …, counters, what the decoder found."""
        ...

    @property
    def latest(self) -> Reading | None:
        """The newest verified reading, the moment it was decoded."""
        ...

    @property
    def store(self) -> Store:
        """The store, for reading (its own connection; the storage sink writes)."""
        ...

    def find(self, kind: type[T]) -> T | None:
        """The live state a sink offers (`offer`), by its type: the EV controller, alerts."""
        ...

    def offer(self, state: object) -> None:
        """Make `state` findable by other sinks (and the app) under its type."""
        ...


class Sink(Protocol):
    """One part that consumes readings: storage, MQTT, the app, EV control, alerts …"""

    name: str
    queue_size: int

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        """Until `readings` end (or cancelled); then finish what it holds and return."""
        ...
