"""The running hanport as its sinks see it: settings, the reader's state, the latest reading,
the store for reading, and the live state sinks offer each other."""

from __future__ import annotations

from typing import TypeVar, cast

from hanport.model import Reading
from hanport.runtime.hub import Hub
from hanport.settings.loader import Settings
from hanport.sources.reader import ReaderState
from hanport.store import Store

__all__ = ["Runtime"]

T = TypeVar("T")


class Runtime:
    """A `RuntimeView` over the hub, the reader's state and a read connection to the store."""

    def __init__(self, settings: Settings, hub: Hub, reader: ReaderState, store: Store):
        self._settings = settings
        self._hub = hub
        self._reader = reader
        self._store = store
        self._offered: dict[type, object] = {}

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def reader(self) -> ReaderState:
        return self._reader

    @property
    def latest(self) -> Reading | None:
        return self._hub.latest

    @property
    def store(self) -> Store:
        return self._store

    def find(self, kind: type[T]) -> T | None:
        found = self._offered.get(kind)
        return cast(T, found) if found is not None else None

    def offer(self, state: object) -> None:
        self._offered[type(state)] = state
