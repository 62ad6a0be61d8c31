"""The interface every charger connector implements (as evcc's `api.Charger`), and the fleet.

A connector is told the limit with `set_limit` (per phase, 0 pauses, on 1 or 3 phases), which
never blocks: the connector sends it in its own task, coalescing quick changes. The controller
repeats the limit on every tick; a connector refreshes its charger (an OCPP profile's `validTo`,
go-e's heartbeat) only while those repeats keep coming, so a controller that stops lets the
charger fall back to its own fail-safe. `report` says what the charger last told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from hanport.ev.model import Vehicle

__all__ = ["Charger", "ChargerReport", "Fleet"]


@dataclass(frozen=True)
class ChargerReport:
    """What a charger last told. Currents per charger phase (L1, L2, L3 of the charger)."""

    id: str
    online: bool = False
    vehicle: Vehicle = "unknown"
    current_a: tuple[Decimal | None, ...] | None = None
    power_w: Decimal | None = None
    session_wh: Decimal | None = None
    """Energy delivered in the current (or last) session."""
    measured_at: datetime | None = None
    limit_a: Decimal | None = None
    """The limit the charger last accepted."""
    phases: int | None = None
    kind: str = ""
    detail: str = ""
    """Make, model and firmware, or the last problem, for the app."""


class Charger(Protocol):
    @property
    def id(self) -> str: ...

    def set_limit(self, limit_a: Decimal, phases: int, now: datetime) -> None:
        """Ask for `limit_a` per phase on `phases` phases (0: pause). Never blocks."""

    def report(self) -> ChargerReport: ...


class Fleet:
    """The chargers the controller drives: fixed ones (go-e, MQTT) and those connected now
    (OCPP). `on_change` is called with the charger's id when one joins or leaves."""

    def __init__(self, on_change: Callable[[str, bool], None] | None = None) -> None:
        self._chargers: dict[str, Charger] = {}
        self._on_change = on_change

    def add(self, charger: Charger) -> None:
        self._chargers[charger.id] = charger
        if self._on_change is not None:
            self._on_change(charger.id, True)

    def remove(self, charger: Charger) -> None:
        if self._chargers.get(charger.id) is charger:
            del self._chargers[charger.id]
            if self._on_change is not None:
                self._on_change(charger.id, False)

    def get(self, charger_id: str) -> Charger | None:
        return self._chargers.get(charger_id)

    def __iter__(self) -> Iterator[Charger]:
        return iter(list(self._chargers.values()))

    def __len__(self) -> int:
        return len(self._chargers)
