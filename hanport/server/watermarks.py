"""Per meter, the newest meter time below which every reading is committed. Pure.

Workers report what they committed (stream sequence, site, meter, meter time) before they
acknowledge it. The consumer's ack floor is the stream sequence up to which every message is
acknowledged, hence committed. A reported reading counts toward its meter's watermark only once
the floor has passed it: a reading that another worker still holds (or that a killed worker
dropped) keeps the watermarks of later readings back, so a gateway never forgets a reading the
database does not have.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime

from hanport.server.ingest import Committed

__all__ = ["Watermarks"]


class Watermarks:
    def __init__(self) -> None:
        self._waiting: list[tuple[int, str, str, datetime]] = []
        self.sites: dict[str, dict[str, datetime]] = {}
        self.floor = 0
        self._moved: set[str] = set()

    def reported(self, committed: Iterable[Committed]) -> None:
        for c in committed:
            if c.sequence > self.floor:
                heapq.heappush(self._waiting, (c.sequence, c.site, c.meter, c.meter_time))
            else:
                self._raise(c.site, c.meter, c.meter_time)

    def advance(self, floor: int) -> set[str]:
        """The ack floor is `floor` now: the sites whose watermarks moved."""
        self.floor = max(self.floor, floor)
        while self._waiting and self._waiting[0][0] <= self.floor:
            _, site, meter, moment = heapq.heappop(self._waiting)
            self._raise(site, meter, moment)
        moved, self._moved = self._moved, set()
        return moved

    def _raise(self, site: str, meter: str, moment: datetime) -> None:
        meters = self.sites.setdefault(site, {})
        if meter not in meters or moment > meters[meter]:
            meters[meter] = moment
            self._moved.add(site)

    @property
    def waiting(self) -> int:
        return len(self._waiting)
