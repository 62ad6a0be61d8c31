"""The alert history in the database: each `AlertRecord` as a store record of kind "alert".

    Record(kind="alert", meter="", time=<started>, key=<rule/subject/start>, data={…})

The record is written again (same time and key: replaced) every time the alert repeats or
clears, so the store holds each alert once, as it stands. Reading back gives `AlertRecord`s;
a row that is not one (written by a newer hanport, or damaged) is left out, never a crash.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from hanport.alerts.history import AlertRecord
from hanport.errors import HanError
from hanport.i18n import text
from hanport.store import open_store
from hanport.store.base import Record, RecordStore, Store

__all__ = [
    "KIND",
    "HistoryWriter",
    "close_unfinished",
    "from_record",
    "read_history",
    "to_record",
    "write_history",
]

log = logging.getLogger("hanport.alerts")

KIND = "alert"
_SIMPLE = (str, int, bool, type(None), datetime)


def to_record(alert: AlertRecord) -> Record:
    return Record(
        KIND,
        "",
        alert.started,
        alert.id,
        {
            "rule": alert.rule,
            "subject": alert.subject,
            "severity": alert.severity,
            "cleared": alert.cleared,
            "last_sent": alert.last_sent,
            "title": alert.title,
            "message": alert.message,
            "language": alert.language,
            "figures": {k: _storable(v) for k, v in alert.figures.items()},
        },
    )


def from_record(record: Record) -> AlertRecord | None:
    data: Mapping[str, Any] = record.data
    try:
        return AlertRecord(
            id=record.key,
            rule=str(data["rule"]),
            subject=str(data["subject"]),
            severity=str(data["severity"]),
            started=record.time,
            cleared=_moment(data.get("cleared")),
            last_sent=_moment(data.get("last_sent")),
            title=str(data["title"]),
            message=str(data["message"]),
            language=str(data.get("language", "en")),
            figures=dict(data.get("figures") or {}),
        )
    except (KeyError, TypeError, ValueError):
        return None


def read_history(
    store: RecordStore, start: datetime, end: datetime, rules: Iterable[str] | None = None
) -> list[AlertRecord]:
    """The alerts that started in [start, end), newest first (of `rules` when given)."""
    wanted = frozenset(rules) if rules is not None else None
    found = (from_record(r) for r in store.records(KIND, start, end))
    alerts = [a for a in found if a is not None and (wanted is None or a.rule in wanted)]
    return sorted(alerts, key=lambda a: (a.started, a.id), reverse=True)


def write_history(store: RecordStore, alerts: Sequence[AlertRecord]) -> None:
    store.put_records(KIND, [to_record(a) for a in alerts])


class HistoryWriter:
    """Writes the alert records to the database from a task of its own (never blocking the
    alerts); a database that fails is said once, the alerts go on."""

    def __init__(self, database: str, zone: tzinfo, language: str = "en") -> None:
        self.database = database
        self.zone = zone
        self.language = language
        self.store: RecordStore | None = None
        self._opened: Store | None = None
        self._pending: dict[str, AlertRecord] = {}
        self._others: list[Record] = []
        self.saved_rules: Record | None = None
        """The rules the app set, as read at the start."""
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failed = False
        self._closing = False

    def put(self, alert: AlertRecord) -> None:
        self._pending[alert.id] = alert
        self._wake.set()

    def put_record(self, record: Record) -> None:
        """Another record of the alerts' (the rules the app set)."""
        self._others.append(record)
        self._wake.set()

    async def __aenter__(self) -> HistoryWriter:
        try:
            self._opened = await asyncio.to_thread(open_store, self.database, self.zone)
        except HanError as error:
            self._said(error)
            return self
        if isinstance(self._opened, RecordStore):
            self.store = self._opened
            await self._write(lambda s: close_unfinished(s, datetime.now(UTC)))
            await self._write(self._read_rules)
        self._task = asyncio.create_task(self._drain(), name="alerts-history")
        return self

    async def __aexit__(self, *_: object) -> None:
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task  # it writes what waits, then ends
        await self._flush()
        if self._opened is not None:
            await asyncio.to_thread(self._opened.close)

    async def _drain(self) -> None:
        while not self._closing:
            await self._wake.wait()
            self._wake.clear()
            await self._flush()

    async def _flush(self) -> None:
        batch, self._pending = list(self._pending.values()), {}
        if batch:
            await self._write(lambda s: write_history(s, batch))
        others, self._others = self._others, []
        for record in others:
            await self._write(lambda s, r=record: s.put_records(r.kind, [r]))

    def _read_rules(self, store: RecordStore) -> None:
        from hanport.alerts.rule_edits import RULES_KIND

        found = store.records(RULES_KIND, datetime(1970, 1, 1, tzinfo=UTC), datetime.now(UTC))
        self.saved_rules = found[-1] if found else None

    async def _write(self, work: Any) -> None:
        store = self.store
        if store is None:
            return
        try:
            await asyncio.to_thread(work, store)
            self._failed = False
        except HanError as error:
            self._said(error)

    def _said(self, error: HanError) -> None:
        if not self._failed:
            log.error(
                "%s", text("alerts.record_failed", self.language, error=error.text(self.language))
            )
        self._failed = True


def close_unfinished(store: RecordStore, now: datetime, days: int = 60) -> int:
    """Alerts left open when hanport stopped end with the restart (they fire anew if their
    condition still holds); returns how many."""
    unfinished = [
        replace(a, cleared=now, figures={**a.figures, "restarted": True})
        for a in read_history(store, now - timedelta(days=days), now)
        if a.active
    ]
    write_history(store, unfinished)
    return len(unfinished)


def _moment(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    raise ValueError(value)


def _storable(value: object) -> object:
    """A figure as the store keeps it exactly (Decimals and the simple types stay)."""
    from decimal import Decimal

    if isinstance(value, _SIMPLE):
        return value
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return str(value)
