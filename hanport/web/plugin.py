"""The app as a part of `hanport run`: its `[web]` section, and its sink when it is enabled."""

from __future__ import annotations

from collections.abc import Sequence

from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings
from hanport.web.settings import WEB

__all__ = ["sinks"]

SECTIONS = (WEB,)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    from hanport.web.sink import WebSink  # uvicorn and Starlette only when the app is served

    web = settings.get(WEB)
    return [WebSink(web, database)] if web.enabled else []
