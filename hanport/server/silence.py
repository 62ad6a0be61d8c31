"""Which sites have gone silent: no reading committed for `silent_min` minutes. Pure.

The gateway's own "data lost" rule cannot fire when the gateway is the thing that stopped (no
power, no network, a pulled cable to the router); the server sees that as a site whose readings
stopped coming. Each change (silent, sending again) is told once; the server logs it and counts
the silent sites in /metrics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Changes", "Silence"]


@dataclass(frozen=True)
class Changes:
    silent: list[str]
    """Sites that went silent since the last check, in name order."""
    back: list[str]
    """Silent sites that sent a reading again."""


class Silence:
    def __init__(self, after_s: float) -> None:
        self.after_s = after_s
        self.heard_at: dict[str, float] = {}
        """Per site, the (wall clock) second its newest reading was committed."""
        self.silent: set[str] = set()
        self._back: set[str] = set()

    def known(self, sites: Iterable[str], now_s: float) -> None:
        """Sites the store holds at start: silent if nothing comes from them for `after_s`."""
        for site in sites:
            self.heard_at.setdefault(site, now_s)

    def heard(self, site: str, now_s: float) -> None:
        self.heard_at[site] = now_s
        if site in self.silent:
            self.silent.discard(site)
            self._back.add(site)

    def check(self, now_s: float) -> Changes:
        went = sorted(
            site
            for site, at in self.heard_at.items()
            if site not in self.silent and now_s - at >= self.after_s
        )
        self.silent.update(went)
        back, self._back = sorted(self._back), set()
        return Changes(went, back)
