"""The parts `hanport run` runs beside the reader and the store: one line each.

A part is a folder with a `plugin` module that declares its settings sections (`SECTIONS`) and
builds its sinks from the settings (`sinks(settings, database)`: none when it is switched off).
Adding a part is adding its folder and its line in `PARTS`; nothing else is threaded through
the wiring. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings
from hanport.settings.loader import load_settings as _load
from hanport.settings.section import Section

__all__ = ["PARTS", "SECTIONS", "build_sinks", "load_settings"]


def _parts() -> tuple[ModuleType, ...]:
    from hanport.alerts import plugin as alerts
    from hanport.backup import plugin as backup
    from hanport.costs import plugin as costs
    from hanport.ev import plugin as ev
    from hanport.mqtt import plugin as mqtt
    from hanport.quality import plugin as quality
    from hanport.server import plugin as server
    from hanport.upstream import plugin as upstream
    from hanport.web import plugin as web

    return (
        web,
        mqtt,
        backup,
        upstream,
        server,
        costs,
        ev,
        quality,
        alerts,
    )


PARTS: tuple[ModuleType, ...] = _parts()
SECTIONS: tuple[Section[Any], ...] = tuple(s for part in PARTS for s in part.SECTIONS)


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, str | None] | None = None,
) -> Settings:
    """The settings with every part's section (see `hanport.settings.loader.load_settings`)."""
    return _load(path, environ, overrides, SECTIONS)


def build_sinks(settings: Settings, database: str) -> list[Sink]:
    """Every enabled part's sinks; if one cannot be built (a port in use), the ones built
    already give back what they took, and the error goes on to the caller."""
    built: list[Sink] = []
    try:
        for part in PARTS:
            make: Callable[[Settings, str], Sequence[Sink]] = part.sinks
            built += make(settings, database)
    except BaseException:
        for sink in built:
            close = getattr(sink, "close", None)
            if callable(close):
                close()
        raise
    return built
