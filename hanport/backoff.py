"""How long to wait before trying again: 1, 2, 4 … seconds up to a maximum.

Used by every edge that reconnects (the meter's source, the MQTT broker, alert channels, price
fetches); pure bookkeeping, the caller sleeps.
"""

from __future__ import annotations

__all__ = ["Backoff"]


class Backoff:
    """1, 2, 4 … seconds up to `maximum`; back to the start with `reset()` after a success."""

    def __init__(self, initial: float = 1.0, maximum: float = 60.0) -> None:
        self.initial = initial
        self.maximum = maximum
        self._next = initial

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self.maximum)
        return delay

    def reset(self) -> None:
        self._next = self.initial
