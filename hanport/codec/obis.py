"""OBIS codes in their reduced text form, `A-B:C.D.E` (group F dropped when it is 255)."""

from __future__ import annotations

__all__ = ["obis_text"]

_CACHE: dict[bytes, str] = {}


def obis_text(raw: bytes) -> str:
    """Six OBIS bytes → `"1-0:1.8.0"`; a group F other than 255 is kept as `.F`."""
    text = _CACHE.get(raw)
    if text is None:
        a, b, c, d, e, f = raw
        text = f"{a}-{b}:{c}.{d}.{e}" if f == 255 else f"{a}-{b}:{c}.{d}.{e}.{f}"
        if len(_CACHE) < 4096:
            _CACHE[bytes(raw)] = text
    return text
