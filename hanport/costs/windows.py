"""Time-of-use windows on the Tallinn clock: which network price applies to a moment.

Schemes (named in the presets):
    flat                one price around the clock ("day")
    day-night           Elektrilevi since 1 Mar 2022: day Mon–Fri 07:00–22:00 except national
                        holidays; night the rest, all of Sat, Sun and holidays
    day-night-peaks     Võrk 5: day-night, plus from November to March the day peak (working
                        days 09–12 and 16–20) and the rest-day peak (rest days 16–20)
    seasonal-day-night  Imatra Elekter's (and Elektrilevi's before 2022): day on weekdays
                        07–23 in winter time, 08–24 in summer time; night the rest and weekends

National holidays come from `holidays.country_holidays("EE")`, imported on first use.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Literal

__all__ = ["SCHEMES", "WINDOWS", "Window", "is_rest_day", "window"]

Window = Literal["day", "night", "peak", "restday_peak"]
WINDOWS: tuple[Window, ...] = ("day", "night", "peak", "restday_peak")
SCHEMES = ("flat", "day-night", "day-night-peaks", "seasonal-day-night")
_PEAK_MONTHS = (11, 12, 1, 2, 3)
_WORKDAY_PEAKS = ((9, 12), (16, 20))
_RESTDAY_PEAKS = ((16, 20),)


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("EE", years=year))


def is_rest_day(day: date) -> bool:
    """Saturday, Sunday or an Estonian national holiday."""
    return day.weekday() >= 5 or day in _holidays(day.year)


def window(scheme: str, local: datetime) -> Window:
    """The window of a moment given on the Tallinn clock (an aware or naive local time)."""
    if scheme == "flat":
        return "day"
    if scheme == "seasonal-day-night":
        return _seasonal(local)
    rest = is_rest_day(local.date())
    hour = local.hour
    if scheme == "day-night-peaks" and local.month in _PEAK_MONTHS:
        peaks = _RESTDAY_PEAKS if rest else _WORKDAY_PEAKS
        if any(first <= hour < last for first, last in peaks):
            return "restday_peak" if rest else "peak"
    if scheme not in ("day-night", "day-night-peaks"):
        raise ValueError(f"Unknown window scheme {scheme!r}.")
    return "night" if rest or not 7 <= hour < 22 else "day"


def _seasonal(local: datetime) -> Window:
    if local.weekday() >= 5:
        return "night"
    summer = bool(local.dst())
    first, last = (8, 24) if summer else (7, 23)
    return "day" if first <= local.hour < last else "night"
