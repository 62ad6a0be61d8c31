"""The `[server]` section, known to the settings loader; `hanport run` runs nothing of it."""

from __future__ import annotations

from collections.abc import Sequence

from hanport.runtime.sink import Sink
from hanport.server.settings import SERVER
from hanport.settings.loader import Settings

__all__ = ["SECTIONS", "sinks"]

SECTIONS = (SERVER,)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    return []
