"""Upstream as a part of `hanport run`: the `[upstream]` section, and its sink when set."""

from __future__ import annotations

from collections.abc import Sequence

from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings
from hanport.upstream.settings import UPSTREAM

__all__ = ["SECTIONS", "sinks"]

SECTIONS = (UPSTREAM,)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    upstream = settings.get(UPSTREAM)
    if upstream is None:
        return []
    from hanport.upstream.sink import UpstreamSink  # aiomqtt only when a server is configured

    return [UpstreamSink(upstream, database)]
