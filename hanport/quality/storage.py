"""Windows, events and the carried state as plain rows and JSON text, for the store (pure).

Decimals travel as their text (exact), times as ISO 8601 in UTC: `state_from_json(state_json(s))
== s`, and the same for windows and events.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from hanport.quality.analysis import QualityState
from hanport.quality.events import Event, EventKind
from hanport.quality.windows import PhaseWindow, Sample, Window

__all__ = [
    "event_from_row",
    "event_row",
    "state_from_json",
    "state_json",
    "window_from_row",
    "window_row",
]


def window_row(window: Window) -> tuple[int, str]:
    """(UTC start in epoch seconds, the phases as JSON)."""
    phases = [
        [p.count, str(p.total_v), _text(p.min_v), _text(p.max_v), int(p.complete), p.at_trip]
        for p in window.phases
    ]
    return int(window.start.timestamp()), json.dumps(phases, separators=(",", ":"))


def window_from_row(start: int, phases: str) -> Window:
    from hanport.quality.windows import utc

    return Window(
        utc(start),
        tuple(
            PhaseWindow(n, Decimal(total), _number(low), _number(high), bool(complete), trip)
            for n, total, low, high, complete, trip in json.loads(phases)
        ),
    )


def event_row(event: Event) -> dict[str, object]:
    return {
        "kind": event.kind,
        "phases": " ".join(map(str, event.phases)),
        "start": int(event.start.timestamp() * 1_000_000),
        "end": int(event.end.timestamp() * 1_000_000),
        "min_v": _text(event.min_v),
        "max_v": _text(event.max_v),
        "count": event.count,
        "mean_v": _text(event.mean_v),
        "unbalance_pct": _text(event.unbalance_pct),
        "current_a": _text(event.current_a),
        "ongoing": int(event.ongoing),
    }


def event_from_row(row: dict[str, Any]) -> Event:
    from datetime import UTC

    return Event(
        kind=cast(EventKind, row["kind"]),
        phases=tuple(int(p) for p in str(row["phases"]).split()),
        start=datetime.fromtimestamp(row["start"] / 1_000_000, UTC),
        end=datetime.fromtimestamp(row["end"] / 1_000_000, UTC),
        min_v=_number(row["min_v"]),
        max_v=_number(row["max_v"]),
        count=int(row["count"]),
        mean_v=_number(row["mean_v"]),
        unbalance_pct=_number(row["unbalance_pct"]),
        current_a=_number(row["current_a"]),
        ongoing=bool(row["ongoing"]),
    )


def state_json(state: QualityState) -> str:
    pending = [[row[0].isoformat(), *(_text(v) for v in row[1:])] for row in state.pending]
    return json.dumps(
        {
            "seen": state.seen_ts,
            "pending": pending,
            "open": [event_row(e) for e in state.open_events],
        },
        separators=(",", ":"),
    )


def state_from_json(text: str) -> QualityState:
    data = json.loads(text)
    pending = tuple(
        cast(Sample, (datetime.fromisoformat(row[0]), *(_number(v) for v in row[1:])))
        for row in data["pending"]
    )
    return QualityState(data["seen"], pending, tuple(event_from_row(e) for e in data["open"]))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
