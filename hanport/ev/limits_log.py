"""Every limit sent, with its reason, kept so that a person can see why the car charged slowly.

An in-memory ring of the latest records with listeners; in `hanport run` a listener logs each
one and keeps it in the store (`hanport.ev.records`, records of kind `ev_limit`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hanport.ev.model import Reason
from hanport.ev.wording import reason_text

__all__ = ["LimitRecord", "LimitsLog"]


@dataclass(frozen=True)
class LimitRecord:
    at: datetime
    charger_id: str
    limit_a: Decimal
    phases: int
    reason: Reason

    def as_dict(self, language: str = "en") -> dict[str, object]:
        """JSON-ready: decimals as strings, the reason with its sentence."""
        return {
            "at": self.at.isoformat(),
            "charger": self.charger_id,
            "limit_a": str(self.limit_a),
            "phases": self.phases,
            "reason": {**self.reason.as_dict(), "text": reason_text(self.reason, language)},
        }


class LimitsLog:
    def __init__(self, keep: int = 10_000) -> None:
        self._records: deque[LimitRecord] = deque(maxlen=keep)
        self._listeners: list[Callable[[LimitRecord], None]] = []

    def listen(self, listener: Callable[[LimitRecord], None]) -> None:
        self._listeners.append(listener)

    def add(self, record: LimitRecord) -> None:
        self._records.append(record)
        for listener in self._listeners:
            listener(record)

    def latest(self, count: int = 100, charger_id: str | None = None) -> list[LimitRecord]:
        """The newest `count` records (of one charger, if given), oldest first."""
        chosen = [r for r in self._records if charger_id in (None, r.charger_id)]
        return chosen[-count:] if count > 0 else []

    def __iter__(self) -> Iterator[LimitRecord]:
        return iter(list(self._records))

    def __len__(self) -> int:
        return len(self._records)
