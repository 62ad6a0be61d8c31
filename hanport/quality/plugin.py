"""Power quality as a part of `hanport run`: the `[quality]` section (`HANPORT_QUALITY_*`) and a
sink that keeps the figures in the database as hours are sealed (`hanport.quality.sink`)."""

from __future__ import annotations

from collections.abc import Sequence

from hanport.quality.settings import QUALITY_KEYS, QualitySettings, quality_settings
from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings
from hanport.settings.section import Section

__all__ = ["QUALITY", "SECTIONS", "sinks"]

QUALITY: Section[QualitySettings] = Section(
    "quality", QUALITY_KEYS, lambda raw, before: quality_settings(raw)
)
SECTIONS = (QUALITY,)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    quality = settings.get(QUALITY)
    if not quality.enabled:
        return []
    from hanport.quality.sink import QualitySink

    return [QualitySink(database, settings, quality)]
