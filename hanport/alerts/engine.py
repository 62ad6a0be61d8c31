"""The alert state machine: observations and `now` in, notices out. Pure: no clock, no I/O.

Per rule and subject (a phase, the meter, a charger) there is at most one alert (de-duplicated):

    quiet ──condition holds──▶ pending ──held for duration_s──▶ FIRED ─┬─ every repeat_s: REPEATED
      ▲                          │ condition ends                      │ condition ends for clear_s
      └──────────────────────────┴──────────────◀── CLEARED ◀──────────┘

Reading conditions (current, import, phase loss, broken neutral) clear after `clear_s` without
the condition, so a value hovering at a threshold does not fire and clear every 10 s; the
10-minute voltage mean, lost data, the EV fail-safe and decoder errors clear at once. A reading
without the value a rule needs leaves that rule as it is. Moments (`meter_changed`,
`monthly_peak`) occur once each.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from hanport.alerts.rules import (
    DEFAULT_RULES,
    DecoderRejections,
    EvFailSafe,
    MeterChanged,
    MonthlyPeak,
    Observation,
    ReadingSeen,
    Rule,
    RuleKind,
    Severity,
    WindowClosed,
    meter_change,
)
from hanport.grid import Site, phase_loads
from hanport.model import Reading
from hanport.quality.events import lost_phases, neutral_signature
from hanport.quality.settings import QualitySettings

__all__ = ["AlertEngine", "Notice", "NoticeEvent"]

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


class AlertEngine:
    def __init__(
        self,
        rules: Iterable[Rule] = DEFAULT_RULES,
        *,
        site: Site | None = None,
        quality: QualitySettings | None = None,
        repeat_s: int = 3600,
        clear_s: int = 60,
        started_at: datetime,
    ) -> None:
        self.rules = {rule.kind: rule for rule in rules if rule.enabled}
        self.site = site or Site()
        self.quality = quality or QualitySettings()
        self.repeat = timedelta(seconds=repeat_s)
        self.clear = timedelta(seconds=clear_s)
        self.last_reading_at = started_at
        self._previous: Reading | None = None
        self._tracks: dict[tuple[RuleKind, str], _Track] = {}
        self._occurred: deque[tuple[object, ...]] = deque(maxlen=1000)
        self._rejections: deque[tuple[datetime, int]] = deque()

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

    def observe(self, observation: Observation, now: datetime) -> list[Notice]:
        out: list[Notice] = []
        if isinstance(observation, ReadingSeen):
            self._reading(observation.reading, observation.at, out)
        elif isinstance(observation, WindowClosed):
            self._window(observation, now, out)
        elif isinstance(observation, EvFailSafe):
            figures: Figures = {"reason": observation.reason}
            self._condition(
                "ev_failsafe", observation.charger, observation.engaged, now, figures, out
            )
        elif isinstance(observation, MeterChanged):
            self._moment(
                "meter_changed",
                observation.meter_after or "meter",
                now,
                _meter_figures(observation),
                out,
            )
        elif isinstance(observation, DecoderRejections):
            self._decoder(observation.total, now, out)
        elif isinstance(observation, MonthlyPeak):
            self._peak(observation, now, out)
        return out

    def tick(self, now: datetime) -> list[Notice]:
        """Time passing: lost data, and repeats of alerts whose condition still holds."""
        out: list[Notice] = []
        rule = self.rules.get("data_lost")
        if rule is not None:
            silent = now - self.last_reading_at
            figures: Figures = {
                "since": self.last_reading_at,
                "silent_s": int(silent.total_seconds()),
            }
            holds = silent >= timedelta(seconds=rule.duration_s)
            self._condition(
                "data_lost", "meter", holds, now, figures, out, since=self.last_reading_at
            )
        for (kind, subject), track in list(self._tracks.items()):
            if track.started is not None and track.false_since is None and kind != "data_lost":
                self._repeat(kind, subject, track, now, out)
        return out

    # -------------------------------------------------------------- observations

    def _reading(self, reading: Reading, at: datetime, out: list[Notice]) -> None:
        self.last_reading_at = max(self.last_reading_at, at)
        self._condition("data_lost", "meter", False, at, {}, out)
        if self._previous is not None:
            change = meter_change(self._previous, reading)
            if change is not None:
                self._moment(
                    "meter_changed", change.meter_after or "meter", at, _meter_figures(change), out
                )
        self._previous = reading
        loads = phase_loads(reading)[: self.site.phases]
        overcurrent = self.rules.get("overcurrent")
        if overcurrent is not None and overcurrent.threshold is not None:
            limit = self.site.fuse_a * overcurrent.threshold / 100
            for load in loads:
                if load.current_a is not None:
                    current = abs(load.current_a)
                    figures: Figures = {
                        "current_a": current,
                        "fuse_a": self.site.fuse_a,
                        "pct": overcurrent.threshold,
                        "load_pct": current * 100 / self.site.fuse_a,
                    }
                    self._condition(
                        "overcurrent", f"L{load.phase}", current >= limit, at, figures, out
                    )
        imported = self.rules.get("import_power")
        if (
            imported is not None
            and imported.threshold is not None
            and reading.power_import_w is not None
        ):
            figures = {"power_w": reading.power_import_w, "threshold_w": imported.threshold}
            holds = reading.power_import_w >= imported.threshold
            self._condition("import_power", "total", holds, at, figures, out)
        volts = [load.voltage_v for load in loads]
        if self.site.phases == 3 and any(v is not None for v in volts):
            self._phases(volts, at, out)

    def _phases(self, volts: list[Decimal | None], at: datetime, out: list[Notice]) -> None:
        quality = self.quality
        lost = lost_phases(volts, quality.phase_loss_v)
        for number, value in enumerate(volts, 1):
            figures: Figures = {"voltage_v": value}
            self._condition("phase_lost", f"L{number}", number in lost, at, figures, out)
        found = neutral_signature(volts, quality.neutral_high_v, quality.neutral_low_v)
        figures = {"high_limit_v": quality.neutral_high_v, "low_limit_v": quality.neutral_low_v}
        if found is not None:
            high, low = found
            figures |= {
                "high_phases": " ".join(f"L{n}" for n in high),
                "low_phases": " ".join(f"L{n}" for n in low),
                "high_v": max(v for n, v in enumerate(volts, 1) if n in high and v is not None),
                "low_v": min(v for n, v in enumerate(volts, 1) if n in low and v is not None),
            }
        self._condition("broken_neutral", "site", found is not None, at, figures, out)

    def _window(self, observation: WindowClosed, now: datetime, out: list[Notice]) -> None:
        window, quality = observation.window, self.quality
        for number, phase in enumerate(window.phases, 1):
            if not phase.complete:
                continue
            high = phase.above(quality.band_high_v)
            low = phase.below(quality.band_low_v)
            figures: Figures = {
                "mean_v": phase.mean_v,
                "low_v": quality.band_low_v,
                "high_v": quality.band_high_v,
                "wide_v": quality.wide_low_v,
                "wide": high or phase.below(quality.wide_low_v),
                "side": "high" if high else "low",
            }
            self._condition(
                "voltage_band",
                f"L{number}",
                high or low,
                now,
                figures,
                out,
                since=window.start,
                moment=window.end,
            )

    def _decoder(self, total: int, now: datetime, out: list[Notice]) -> None:
        points = self._rejections
        if points and total < points[-1][1]:
            points.clear()  # the reader restarted its count
        points.append((now, total))
        hour_ago = now - timedelta(hours=1)
        while len(points) > 1 and points[1][0] <= hour_ago:
            points.popleft()
        count = total - points[0][1]
        rule = self.rules.get("decoder_errors")
        if rule is not None and rule.threshold is not None:
            figures: Figures = {"count": count, "threshold": rule.threshold}
            self._condition("decoder_errors", "decoder", count >= rule.threshold, now, figures, out)

    def _peak(self, peak: MonthlyPeak, now: datetime, out: list[Notice]) -> None:
        rule = self.rules.get("monthly_peak")
        if rule is not None and peak.power_w >= (rule.threshold or 0):
            figures: Figures = {"month": peak.month, "power_w": peak.power_w}
            self._moment("monthly_peak", peak.month, now, figures, out)

    # -------------------------------------------------------------- the state machine

    def _condition(
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

    def _moment(
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


def _meter_figures(change: MeterChanged) -> Figures:
    return {
        "what": change.what,
        "before": change.meter_before,
        "after": change.meter_after,
        "register": change.register,
        "before_wh": change.before_wh,
        "after_wh": change.after_wh,
    }
