"""Alerts that reach a person: rules, their pure state machine, messages and channels.

`AlertEngine` (pure) turns observations and `now` into notices; `Outbox` (pure) applies quiet
hours and the rate limit; `AlertService` renders, dispatches to the channels (webhook, e-mail,
ntfy, Telegram) and keeps the history; `run_alert_sink` is its sink. See docs/alerts.md.
"""

from __future__ import annotations

from hanport.alerts.engine import AlertEngine, Notice
from hanport.alerts.history import AlertRecord, record_json
from hanport.alerts.rules import (
    DEFAULT_RULES,
    RULE_KINDS,
    DecoderRejections,
    EvFailSafe,
    MeterChanged,
    MonthlyPeak,
    Observation,
    ReadingSeen,
    Rule,
    WindowClosed,
)
from hanport.alerts.settings import ALERTS_KEYS, AlertSettings, alert_settings

__all__ = [
    "ALERTS_KEYS",
    "DEFAULT_RULES",
    "RULE_KINDS",
    "AlertEngine",
    "AlertRecord",
    "AlertSettings",
    "DecoderRejections",
    "EvFailSafe",
    "MeterChanged",
    "MonthlyPeak",
    "Notice",
    "Observation",
    "ReadingSeen",
    "Rule",
    "WindowClosed",
    "alert_settings",
    "record_json",
]
