"""Login rate limiting: a few failures per address and per user name, then a pause.

Pure bookkeeping (the caller passes the clock), kept in memory: a restart forgets it, which
costs an attacker a restart of someone else's program per few guesses.
"""

from __future__ import annotations

from collections import defaultdict, deque

__all__ = ["LoginLimiter"]


class LoginLimiter:
    def __init__(self, per_address: int = 5, per_name: int = 10, window_s: float = 900) -> None:
        self._limits = {"address": per_address, "name": per_name}
        self._window_s = window_s
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def wait_s(self, address: str, name: str, now: float) -> float:
        """Seconds until a login from `address` for `name` may be tried again (0: now)."""
        wait = 0.0
        for key, limit in (("address", address), ("name", name)):
            failures = self._recent((key, limit), now)
            if len(failures) >= self._limits[key]:
                wait = max(wait, failures[0] + self._window_s - now)
        return wait

    def failed(self, address: str, name: str, now: float) -> None:
        self._recent(("address", address), now).append(now)
        self._recent(("name", name), now).append(now)
        if len(self._failures) > 10_000:  # a flood of names: forget the oldest bookkeeping
            for key in list(self._failures)[:5_000]:
                del self._failures[key]

    def succeeded(self, address: str) -> None:
        self._failures.pop(("address", address), None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self._window_s:
            failures.popleft()
        return failures
