"""Every limit sent, kept in the store (records of kind `ev_limit`) and logged.

One record per change of limit: its time, the charger (the record's key), the limit per phase,
the phases and the reason's code and figures, so the app can say in either language why the
car charged slowly, long after the moment.

    writer = LimitWriter(store)          # a store with the records interface
    controller.log.listen(writer.add)    # the controller's limits log feeds it
    await writer.flush()                 # now and then, and at the stop (in a thread)
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import datetime
from decimal import Decimal

from hanport.errors import HanError
from hanport.ev.limits_log import LimitRecord
from hanport.ev.model import Param, Reason
from hanport.ev.wording import reason_text, say
from hanport.store import Store
from hanport.store.base import Record, RecordStore

__all__ = ["KIND", "LimitWriter", "limit_record", "read_limits", "stored"]

log = logging.getLogger(__name__)

KIND = "ev_limit"


def stored(record: LimitRecord) -> Record:
    """The store's record of one limit."""
    data: dict[str, object] = {
        "limit_a": record.limit_a,
        "phases": record.phases,
        "reason": record.reason.code,
        "params": dict(record.reason.params),
    }
    return Record(KIND, "", record.at, record.charger_id, data)


def limit_record(record: Record) -> LimitRecord | None:
    """The limit a stored record holds; None for one that is not (written by something else)."""
    data = record.data
    limit, phases, code = data.get("limit_a"), data.get("phases"), data.get("reason")
    params = data.get("params", {})
    if not isinstance(limit, Decimal) or not isinstance(phases, int) or not isinstance(code, str):
        return None
    if not isinstance(params, dict):
        return None
    kept: dict[str, Param] = {k: v for k, v in params.items() if isinstance(v, Decimal | int | str)}
    return LimitRecord(record.time, record.key, limit, phases, Reason(code, kept))


def read_limits(
    store: Store, start: datetime, end: datetime, charger_id: str | None = None
) -> list[LimitRecord]:
    """The limits kept from `start` to `end` (of one charger, if given), oldest first."""
    if not isinstance(store, RecordStore):
        return []
    found = (limit_record(r) for r in store.records(KIND, start, end, key=charger_id))
    return [record for record in found if record is not None]


class LimitWriter:
    """Logs each limit as it is decided, and keeps it in the store on `flush`."""

    def __init__(self, store: Store | None, language: str = "en") -> None:
        self.store: RecordStore | None = store if isinstance(store, RecordStore) else None
        self.language = language
        self.waiting: list[LimitRecord] = []
        self._failed = False

    def add(self, record: LimitRecord) -> None:
        log.info(
            "%s",
            say(
                "ev.run.limit_sent",
                self.language,
                charger=record.charger_id,
                limit_a=record.limit_a,
                phases=record.phases,
                reason=reason_text(record.reason, self.language),
            ),
        )
        if self.store is not None:
            self.waiting.append(record)

    async def flush(self) -> int:
        """Write what waits (in a thread); the number written. A failure is said once and
        the records are kept for the next try (at most 10 000)."""
        if self.store is None or not self.waiting:
            return 0
        batch, self.waiting = self.waiting, []
        try:
            await asyncio.to_thread(self.store.put_records, KIND, [stored(r) for r in batch])
        except (HanError, OSError, sqlite3.Error) as error:
            self.waiting = (batch + self.waiting)[-10_000:]
            if not self._failed:
                log.error("%s", say("ev.run.records_failed", self.language, error=error))
            self._failed = True
            return 0
        self._failed = False
        return len(batch)
