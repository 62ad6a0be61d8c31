"""The `monthly_peak` rule's input: a new highest hourly import of the month, from the store.

The power of an hour is its import energy (Wh, from the meter's registers by the store's
boundary rule) over one hour, the way Elektrilevi measures the peak it bills. Once an hour
(local time) the month's closed, complete hours are read; the first look after the start only
learns the peak so far (an old peak is no news), every later higher hour is a `MonthlyPeak`.
When the costs part offers its own peak, that can take this one's place.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from hanport.alerts.rules import MonthlyPeak
from hanport.errors import HanError
from hanport.store.base import Store

__all__ = ["PeakWatch"]


class PeakWatch:
    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._checked: datetime | None = None
        self._month: str | None = None
        self._peak_w: int | None = None

    def check(self, store: Store, meter: str, now: datetime) -> MonthlyPeak | None:
        """The new peak, if the hours closed since the last check set one."""
        local = now.astimezone(self.zone)
        hour = local.replace(minute=0, second=0, microsecond=0)
        if self._checked == hour:
            return None
        first = self._checked is None
        self._checked = hour
        month = f"{local:%Y-%m}"
        if month != self._month:
            self._month, self._peak_w = month, None
        start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        try:
            found = store.series(meter, "1h", start, hour)
        except HanError:  # the database is busy or gone: the next hour looks again
            self._checked = None if first else self._checked
            return None
        hours = [r for r in found if not r.partial and not r.gap and not r.reset]
        if not hours:
            return None
        best = max(r.energy_import_wh for r in hours)
        before, self._peak_w = self._peak_w, max(best, self._peak_w or 0)
        if first or (before is not None and best <= before) or best <= 0:
            return None
        return MonthlyPeak(month, best)
