"""The alert history: one record per alert (or moment), updated as it repeats and clears.

The store keeps these (one row per `id`, replaced on every update); the app and the API list
them. `last_sent` is when a message about the alert was last handed to at least one channel
(quiet hours and the rate limit may have kept it from some).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo

from hanport.alerts.engine import Notice, NoticeEvent
from hanport.alerts.messages import Message, render_notice
from hanport.quality.jsontext import json_text

__all__ = ["AlertRecord", "in_language", "record_json", "updated_record"]


@dataclass(frozen=True)
class AlertRecord:
    id: str
    rule: str
    subject: str
    severity: str
    started: datetime
    cleared: datetime | None
    last_sent: datetime | None
    title: str
    message: str
    language: str
    figures: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def active(self) -> bool:
        return self.cleared is None and self.rule not in ("meter_changed", "monthly_peak")


def updated_record(
    previous: AlertRecord | None, notice: Notice, message: Message, sent: bool
) -> AlertRecord:
    """The record after `notice` (rendered as `message`); `sent`: it went to a channel."""
    if previous is None or notice.event in ("fired", "occurred"):
        cleared = notice.at if notice.event == "occurred" else None
        return AlertRecord(
            notice.id,
            notice.rule,
            notice.subject,
            notice.severity,
            notice.started,
            cleared,
            notice.at if sent else None,
            message.title,
            message.body,
            message.language,
            dict(notice.figures),
        )
    return replace(
        previous,
        cleared=notice.cleared or notice.at if notice.event == "cleared" else previous.cleared,
        last_sent=notice.at if sent else previous.last_sent,
        title=previous.title if notice.event == "repeated" else message.title,
        message=message.body,
        figures={**previous.figures, **notice.figures},
    )


def in_language(record: AlertRecord, language: str, zone: tzinfo) -> AlertRecord:
    """The record with its title and message in `language` (rendered again from its figures);
    as it was written when that cannot be done."""
    if language == record.language:
        return record
    from hanport.alerts.rules import RULE_KINDS, SEVERITY

    kind = next((k for k in RULE_KINDS if k == record.rule), None)
    if kind is None:
        return record
    if kind in ("meter_changed", "monthly_peak"):
        event: NoticeEvent = "occurred"
    else:
        event = "cleared" if record.cleared is not None else "fired"
    at = record.cleared or record.last_sent or record.started
    notice = Notice(
        kind,
        record.subject,
        event,
        SEVERITY[kind],
        record.started,
        at,
        dict(record.figures),
        record.cleared,
    )
    try:
        message = render_notice(notice, language, zone)
    except (KeyError, ValueError, TypeError, ArithmeticError):
        return record
    return replace(record, title=message.title, message=message.body, language=language)


def record_json(record: AlertRecord, zone: tzinfo) -> str:
    """The API's shape of one record."""

    def local(moment: datetime | None) -> datetime | None:
        return moment.astimezone(zone) if moment else None

    return json_text(
        {
            "id": record.id,
            "rule": record.rule,
            "subject": record.subject,
            "severity": record.severity,
            "started": local(record.started),
            "cleared": local(record.cleared),
            "last_sent": local(record.last_sent),
            "active": record.active,
            "title": record.title,
            "message": record.message,
            "language": record.language,
        }
    )
