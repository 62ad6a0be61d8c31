"""A minimal value class for the codec's internal results.

The codec's small result types (HDLC frame, M-Bus segment, APDU parts) are plain slotted classes
on this base instead of dataclasses: each dataclass costs about a millisecond at import time,
and `import hanport` has a budget of 30 ms.
"""

from __future__ import annotations

__all__ = ["Record"]


class Record:
    """Equality and repr from `__slots__`; subclasses write their own `__init__`."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def _names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = self.__slots__
        return names

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and all(
            getattr(self, name) == getattr(other, name) for name in self._names()
        )

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names())
        return f"{type(self).__name__}({values})"
