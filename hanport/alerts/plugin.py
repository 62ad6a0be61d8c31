"""Alerts as a part of `hanport run`: the `[alerts]` section (HANPORT_ALERTS_*), and its sink.

See `hanport.alerts.settings` for every key, and docs/alerts.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from hanport.alerts.settings import ALERTS_KEYS, AlertSettings, alert_settings
from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings
from hanport.settings.section import Section

__all__ = ["ALERTS", "SECTIONS", "sinks"]

ALERTS: Section[AlertSettings] = Section(
    "alerts", ALERTS_KEYS, lambda raw, before: alert_settings(raw)
)
SECTIONS = (ALERTS,)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    alerts = settings.get(ALERTS)
    if not alerts.enabled:
        return []
    from hanport.alerts.sink import AlertSink

    return [AlertSink(alerts, database)]
