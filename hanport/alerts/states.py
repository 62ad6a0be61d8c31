"""The alerts' state machine, per rule and subject: a condition that holds long enough fires,
repeats at most every `repeat`, and clears (after `clear` without it, or at once for the kinds
that say so); a moment occurs once. Pure: `now` is given. `AlertEngine` feeds it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from hanport.alerts.rules import Rule, RuleKind, Severity

__all__ = ["AlertStates", "Figures", "Notice", "NoticeEvent"]

NoticeEvent = Literal["fired", "repeated", "cleared", "occurred"]
Figures = dict[str, object]
_AT_ONCE: frozenset[RuleKind] = frozenset(
    {"voltage_band", "data_lost", "ev_failsafe", "decoder_errors"}
)
_PEAKS: dict[RuleKind, tuple[str, Callable[[Decimal, Decimal], Decimal]]] = {
    "overcurrent": ("current_a", max),
    "import_power": ("power_w", max),
    "broken_neutral": ("high_v", max),
    "decoder_errors": ("count", max),
}


@dataclass(frozen=True)
class Notice:
    """Something to tell: an alert fired, repeated, cleared, or a moment that occurred."""

    rule: RuleKind
    subject: str
    event: NoticeEvent
    severity: Severity
    started: datetime
    at: datetime
    figures: Figures = field(default_factory=dict, compare=False)
    cleared: datetime | None = None

    @property
    def id(self) -> str:
        """The alert's identity: rule, subject and start (a repeat or clear has the same)."""
        return f"{self.rule}/{self.subject}/{int(self.started.timestamp())}"


@dataclass
class _Track:
    since: datetime | None = None
    false_since: datetime | None = None
    started: datetime | None = None
    last_sent: datetime | None = None
    figures: Figures = field(default_factory=dict)


class AlertStates:
    def __init__(self, rules: dict[RuleKind, Rule], repeat: timedelta, clear: timedelta) -> None:
        self.rules = rules
        self.repeat = repeat
        self.clear = clear
        self._tracks: dict[tuple[RuleKind, str], _Track] = {}
        self._occurred: deque[tuple[object, ...]] = deque(maxlen=1000)

    def active(self) -> list[Notice]:
        """The alerts firing now (for the app, the API and MQTT states)."""
        return [
            Notice(
                kind,
                subject,
                "fired",
                self.rules[kind].severity,
                track.started,
                track.started,
                dict(track.figures),
            )
            for (kind, subject), track in sorted(self._tracks.items())
            if track.started is not None and kind in self.rules
        ]

    def repeat_due(self, now: datetime, out: list[Notice], skip: RuleKind) -> None:
        """Repeats of the alerts whose condition still holds (not of `skip`'s)."""
        for (kind, subject), track in list(self._tracks.items()):
            if track.started is not None and track.false_since is None and kind != skip:
                self._repeat(kind, subject, track, now, out)

    def condition(
        self,
        kind: RuleKind,
        subject: str,
        holds: bool,
        now: datetime,
        figures: Figures,
        out: list[Notice],
        since: datetime | None = None,
        moment: datetime | None = None,
    ) -> None:
        rule = self.rules.get(kind)
        if rule is None:
            return
        track = self._tracks.get((kind, subject))
        if track is None:
            if not holds:
                return
            track = self._tracks[(kind, subject)] = _Track()
        if holds:
            track.false_since = None
            track.figures = _merged(kind, track.figures, figures)
            if track.started is None:
                track.since = track.since or since or now
                if (moment or now) - track.since >= timedelta(seconds=rule.duration_s):
                    track.started, track.last_sent = track.since, now
                    out.append(self._notice(kind, subject, "fired", track, now))
            else:
                self._repeat(kind, subject, track, now, out)
            return
        if track.started is None:
            del self._tracks[(kind, subject)]
            return
        track.false_since = track.false_since or now
        if kind in _AT_ONCE or now - track.false_since >= self.clear:
            track.figures = {**track.figures, **figures, "lasted_s": _lasted(track, now)}
            out.append(
                self._notice(kind, subject, "cleared", track, now, cleared=track.false_since)
            )
            del self._tracks[(kind, subject)]

    def _repeat(
        self, kind: RuleKind, subject: str, track: _Track, now: datetime, out: list[Notice]
    ) -> None:
        if self.repeat and track.last_sent is not None and now - track.last_sent >= self.repeat:
            track.last_sent = now
            track.figures = {**track.figures, "lasted_s": _lasted(track, now)}
            out.append(self._notice(kind, subject, "repeated", track, now))

    def moment(
        self, kind: RuleKind, subject: str, now: datetime, figures: Figures, out: list[Notice]
    ) -> None:
        rule = self.rules.get(kind)
        key = (kind, subject, *sorted((k, str(v)) for k, v in figures.items()))
        if rule is None or key in self._occurred:
            return
        self._occurred.append(key)
        out.append(
            Notice(kind, subject, "occurred", rule.severity, now, now, {**figures, "at": now})
        )

    def _notice(
        self,
        kind: RuleKind,
        subject: str,
        event: NoticeEvent,
        track: _Track,
        now: datetime,
        cleared: datetime | None = None,
    ) -> Notice:
        started = track.started or now
        rule = self.rules[kind]
        figures = {**track.figures, "since": started, "duration_s": rule.duration_s}
        return Notice(kind, subject, event, rule.severity, started, now, figures, cleared)


def _merged(kind: RuleKind, before: Figures, now: Figures) -> Figures:
    merged = {**before, **now}
    if kind == "voltage_band":
        choose = max if now.get("side") == "high" else min
        old, new = before.get("peak"), now.get("mean_v")
        merged["peak"] = (
            new
            if not isinstance(old, Decimal) or not isinstance(new, Decimal)
            else (choose(old, new))
        )
        return merged
    peak = _PEAKS.get(kind)
    if peak is not None:
        name, choose_peak = peak
        old, new = before.get("peak"), now.get(name)
        if isinstance(new, Decimal | int):
            merged["peak"] = (
                new
                if not isinstance(old, Decimal | int)
                else choose_peak(Decimal(old), Decimal(new))
            )
    return merged


def _lasted(track: _Track, now: datetime) -> int:
    start = track.started or now
    end = track.false_since or now
    return max(0, int((end - start).total_seconds()))
