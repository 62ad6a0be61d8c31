"""Power quality as evidence: EN 50160 figures from the meter's 10-s voltages, and the report.

Pure arithmetic (no I/O, no clock): `advance` takes the readings of each sealed hour and returns
the 10-minute windows and events it closed, with a small state for the next hour; `analyse`
does the same from scratch; `weekly_figures` / `merge_weeks` give the weekly compliance. The
report (`build_report`, `report_csv`, `report_pdf`) is made from those values.

In `hanport run` the quality sink keeps them in the database and offers the latest per meter
as `QualityLive` (`view.find(QualityLive)`), for the alerts and the app.
"""

from __future__ import annotations

from hanport.quality.analysis import Analysis, QualityState, Update, advance, analyse
from hanport.quality.events import EVENT_KINDS, Event, EventKind
from hanport.quality.live import MeterQuality, QualityLive
from hanport.quality.settings import QUALITY_KEYS, QualitySettings, quality_settings
from hanport.quality.weeks import PhaseWeek, Verdict, WeekFigures, merge_weeks, weekly_figures
from hanport.quality.windows import WINDOW, Method, PhaseWindow, Sample, Window

__all__ = [
    "EVENT_KINDS",
    "QUALITY_KEYS",
    "WINDOW",
    "Analysis",
    "Event",
    "EventKind",
    "MeterQuality",
    "Method",
    "PhaseWeek",
    "PhaseWindow",
    "QualityLive",
    "QualitySettings",
    "QualityState",
    "Sample",
    "Update",
    "Verdict",
    "WeekFigures",
    "Window",
    "advance",
    "analyse",
    "merge_weeks",
    "quality_settings",
    "weekly_figures",
]
