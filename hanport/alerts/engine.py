"""The alerts: observations and `now` in, notices out. Pure: no clock, no I/O. Each rule's
condition is judged here; the state machine below is `hanport.alerts.states`.

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
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from hanport.alerts.rules import (
    DEFAULT_RULES,
    DecoderRejections,
    EvFailSafe,
    MeterChanged,
    MonthlyPeak,
    Observation,
    ReadingSeen,
    Rule,
    WindowClosed,
    meter_change,
)
from hanport.alerts.states import AlertStates, Figures, Notice, NoticeEvent
from hanport.grid import Site, phase_loads
from hanport.model import Reading
from hanport.quality.events import lost_phases, neutral_signature
from hanport.quality.settings import QualitySettings

__all__ = ["AlertEngine", "Notice", "NoticeEvent"]


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
        self.states = AlertStates(
            self.rules, timedelta(seconds=repeat_s), timedelta(seconds=clear_s)
        )
        self.last_reading_at = started_at
        self._previous: Reading | None = None
        self._rejections: deque[tuple[datetime, int]] = deque()

    def active(self) -> list[Notice]:
        """The alerts firing now (for the app, the API and MQTT states)."""
        return self.states.active()

    def observe(self, observation: Observation, now: datetime) -> list[Notice]:
        out: list[Notice] = []
        if isinstance(observation, ReadingSeen):
            self._reading(observation.reading, observation.at, out)
        elif isinstance(observation, WindowClosed):
            self._window(observation, now, out)
        elif isinstance(observation, EvFailSafe):
            figures: Figures = {"reason": observation.reason}
            self.states.condition(
                "ev_failsafe", observation.charger, observation.engaged, now, figures, out
            )
        elif isinstance(observation, MeterChanged):
            self.states.moment(
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
            self.states.condition(
                "data_lost", "meter", holds, now, figures, out, since=self.last_reading_at
            )
        self.states.repeat_due(now, out, skip="data_lost")
        return out

    # -------------------------------------------------------------- observations

    def _reading(self, reading: Reading, at: datetime, out: list[Notice]) -> None:
        self.last_reading_at = max(self.last_reading_at, at)
        self.states.condition("data_lost", "meter", False, at, {}, out)
        if self._previous is not None:
            change = meter_change(self._previous, reading)
            if change is not None:
                self.states.moment(
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
                    self.states.condition(
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
            self.states.condition("import_power", "total", holds, at, figures, out)
        volts = [load.voltage_v for load in loads]
        if self.site.phases == 3 and any(v is not None for v in volts):
            self._phases(volts, at, out)

    def _phases(self, volts: list[Decimal | None], at: datetime, out: list[Notice]) -> None:
        quality = self.quality
        lost = lost_phases(volts, quality.phase_loss_v)
        for number, value in enumerate(volts, 1):
            figures: Figures = {"voltage_v": value}
            self.states.condition("phase_lost", f"L{number}", number in lost, at, figures, out)
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
        self.states.condition("broken_neutral", "site", found is not None, at, figures, out)

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
            self.states.condition(
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
            self.states.condition(
                "decoder_errors", "decoder", count >= rule.threshold, now, figures, out
            )

    def _peak(self, peak: MonthlyPeak, now: datetime, out: list[Notice]) -> None:
        rule = self.rules.get("monthly_peak")
        if rule is not None and peak.power_w >= (rule.threshold or 0):
            figures: Figures = {"month": peak.month, "power_w": peak.power_w}
            self.states.moment("monthly_peak", peak.month, now, figures, out)


def _meter_figures(change: MeterChanged) -> Figures:
    return {
        "what": change.what,
        "before": change.meter_before,
        "after": change.meter_after,
        "register": change.register,
        "before_wh": change.before_wh,
        "after_wh": change.after_wh,
    }
