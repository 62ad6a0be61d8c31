"""The peak (capacity) engine: what a package or country charges per kW of peak demand.

A `PeakRule` says how long a period is (15 minutes or an hour; its power is the period's
average, from the energy registers), which periods count (hours of the day, working days only,
months), how the periods of a month combine into the billed kW (the month's maximum, as
Elektrilevi's kasutusvõimsus over 63 A does, or the mean of the N days with the highest
maximum, as Norwegian grids do) and the price per kW per month.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from hanport.costs.energy import SlotEnergy
from hanport.costs.windows import is_rest_day

__all__ = [
    "MonthPeak",
    "Peak",
    "PeakRule",
    "PeakWarning",
    "month_peak",
    "peak_warning",
    "period_powers",
]

TALLINN = ZoneInfo("Europe/Tallinn")


@dataclass(frozen=True)
class PeakRule:
    period_min: Literal[15, 60] = 60
    combine: Literal["max", "top_days_mean"] = "max"
    top_days: int = 3
    hours: tuple[tuple[int, int], ...] | None = None
    """Local [from, to) hours whose periods count; None: every hour."""
    working_days_only: bool = False
    months: tuple[int, ...] | None = None
    price_eur_kw_month: Decimal = Decimal(0)
    """For `MonthPeak.charge_eur`; a package's price is per price list (its bill uses that)."""

    def __post_init__(self) -> None:
        if self.period_min not in (15, 60):
            raise ValueError("A peak period is 15 or 60 minutes.")
        if self.combine not in ("max", "top_days_mean") or self.top_days < 1:
            raise ValueError("Peaks combine as the month's max or the mean of the top N days.")

    @property
    def period(self) -> timedelta:
        return timedelta(minutes=self.period_min)

    def counts(self, local: datetime) -> bool:
        if self.months is not None and local.month not in self.months:
            return False
        if self.working_days_only and is_rest_day(local.date()):
            return False
        return self.hours is None or any(a <= local.hour < b for a, b in self.hours)


@dataclass(frozen=True, slots=True)
class Peak:
    start: datetime
    kw: Decimal


@dataclass(frozen=True)
class MonthPeak:
    kw: Decimal
    """The billed peak: the month's maximum, or the mean of its top days' maxima."""
    peaks: tuple[Peak, ...]
    """The periods combined into `kw` (one for "max", one per top day otherwise)."""
    charge_eur: Decimal
    complete: bool
    """False when a period with a gap was left out (the true peak may be higher)."""


@dataclass(frozen=True)
class PeakWarning:
    projected_kw: Decimal
    threshold_kw: Decimal
    new_peak: bool
    """True: the period will set a new peak at this rate; False: it comes near (≥ 90 %)."""


def period_powers(
    slots: Iterable[SlotEnergy], rule: PeakRule, zone: tzinfo = TALLINN
) -> tuple[list[Peak], bool]:
    """The average import power (kW) of every complete counting period, and whether every
    counting period was complete (a gap quarter leaves its period out)."""
    quarters = rule.period_min // 15
    hours = Decimal(rule.period_min) / 60
    sums: dict[datetime, tuple[Decimal, int, bool]] = {}
    for slot in slots:
        seconds = int(slot.start.timestamp())
        key = datetime.fromtimestamp(seconds - seconds % (rule.period_min * 60), slot.start.tzinfo)
        total, count, gap = sums.get(key, (Decimal(0), 0, False))
        sums[key] = (total + slot.import_wh, count + 1, gap or slot.gap)
    peaks: list[Peak] = []
    complete = True
    for start in sorted(sums):
        if not rule.counts(start.astimezone(zone)):
            continue
        total, count, gap = sums[start]
        if gap or count < quarters:
            complete = False
            continue
        peaks.append(Peak(start, total / 1000 / hours))
    return peaks, complete


def month_peak(slots: Iterable[SlotEnergy], rule: PeakRule, zone: tzinfo = TALLINN) -> MonthPeak:
    """The billed peak of the slots given (one month's, normally) and its charge."""
    peaks, complete = period_powers(slots, rule, zone)
    chosen = _combine(peaks, rule, zone)
    kw = sum((peak.kw for peak in chosen), Decimal(0)) / len(chosen) if chosen else Decimal(0)
    return MonthPeak(kw, tuple(chosen), kw * rule.price_eur_kw_month, complete)


def peak_warning(
    rule: PeakRule,
    month_so_far: Sequence[Peak],
    now: datetime,
    energy_so_far_wh: int | Decimal,
    power_now_w: int | Decimal,
    zone: tzinfo = TALLINN,
    near: Decimal = Decimal("0.9"),
) -> PeakWarning | None:
    """Will the running period set a new billed peak? Projects its average power from the
    energy so far and the power now; None when the period does not count or stays below
    `near` × the level at which the bill would rise."""
    seconds = int(now.timestamp())
    start = datetime.fromtimestamp(seconds - seconds % (rule.period_min * 60), now.tzinfo)
    if not rule.counts(start.astimezone(zone)):
        return None
    period_h = Decimal(rule.period_min) / 60
    remaining_h = Decimal(int((start + rule.period - now).total_seconds())) / 3600
    projected = (Decimal(energy_so_far_wh) + Decimal(power_now_w) * remaining_h) / 1000 / period_h
    threshold = _threshold(month_so_far, start.astimezone(zone).date(), rule, zone)
    if projected > threshold:
        return PeakWarning(projected, threshold, True)
    if threshold and projected >= threshold * near:
        return PeakWarning(projected, threshold, False)
    return None


def _combine(peaks: list[Peak], rule: PeakRule, zone: tzinfo) -> list[Peak]:
    if not peaks:
        return []
    if rule.combine == "max":
        return [max(peaks, key=lambda peak: (peak.kw, -peak.start.timestamp()))]
    daily = _daily_maxima(peaks, zone)
    ranked = sorted(daily.values(), key=lambda peak: (-peak.kw, peak.start))
    return sorted(ranked[: rule.top_days], key=lambda peak: peak.start)


def _daily_maxima(peaks: Iterable[Peak], zone: tzinfo) -> dict[date, Peak]:
    daily: dict[date, Peak] = {}
    for peak in peaks:
        day = peak.start.astimezone(zone).date()
        if day not in daily or peak.kw > daily[day].kw:
            daily[day] = peak
    return daily


def _threshold(peaks: Sequence[Peak], today: date, rule: PeakRule, zone: tzinfo) -> Decimal:
    if not peaks:
        return Decimal(0)
    if rule.combine == "max":
        return max(peak.kw for peak in peaks)
    daily = _daily_maxima(peaks, zone)
    today_kw = daily[today].kw if today in daily else Decimal(0)
    ranked = sorted((peak.kw for peak in daily.values()), reverse=True)
    if len(ranked) < rule.top_days or (today in daily and today_kw >= ranked[rule.top_days - 1]):
        return today_kw
    return max(today_kw, ranked[rule.top_days - 1])
