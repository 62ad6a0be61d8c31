"""The latest quality figures of the running hanport, offered to the other parts and the app
(`view.find(QualityLive)`): per meter, the newest closed 10-minute window, the ongoing events
and the current week's figures, as the sink last stored them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hanport.quality.events import Event
from hanport.quality.weeks import WeekFigures
from hanport.quality.windows import Method, Window

__all__ = ["MeterQuality", "QualityLive"]


@dataclass(frozen=True)
class MeterQuality:
    sealed_until: datetime
    """Every reading before this has been taken in."""
    window: Window | None
    """The newest closed 10-minute window."""
    ongoing: tuple[Event, ...]
    ended: tuple[Event, ...]
    """The events that ended in the last update."""
    week: WeekFigures | None
    """The figures of the newest week with data, as stored."""


@dataclass
class QualityLive:
    """Replaced per meter after each sealed hour (one writer: the quality sink)."""

    method: Method
    meters: dict[str, MeterQuality] = field(default_factory=dict)

    def get(self, meter: str) -> MeterQuality | None:
        return self.meters.get(meter)
