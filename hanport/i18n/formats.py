"""Figures for people, written the way each language does: rounded numbers, local moments,
durations and sizes (230.5 V and 2026-03-02 18:00 in English, 230,5 V and 02.03.2026 18:00 in
Estonian). Exact numbers are `hanport.i18n.number`."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["duration", "moment", "rounded", "size_text"]


def rounded(value: Decimal | int | None, places: int = 1, language: str = "en") -> str:
    """`value` rounded half-even to `places`; a decimal comma in Estonian; – for None."""
    if value is None:
        return "–"
    exponent = Decimal(1).scaleb(-places)
    written = f"{Decimal(value).quantize(exponent, ROUND_HALF_EVEN):f}"
    return written.replace(".", ",") if language == "et" else written


def moment(value: datetime, zone: tzinfo, language: str = "en", seconds: bool = False) -> str:
    """Local date and time: 2026-03-02 18:00 (en), 02.03.2026 18:00 (et)."""
    local = value.astimezone(zone)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return local.strftime(("%d.%m.%Y " if language == "et" else "%Y-%m-%d ") + clock)


def duration(seconds: int, language: str = "en") -> str:
    """4 h 10 min, 2 min, 50 s (the same units in both languages)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs and not hours:
        parts.append(f"{secs} s")
    return " ".join(parts) or "0 s"


def size_text(size: int, language: str = "en") -> str:
    """Bytes for people: 512 B, 3.4 MB, 1.2 GB (decimal units, as disks are sold); 3,4 MB in
    Estonian."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            written = f"{size / scale:.1f}"
            return f"{written.replace('.', ',') if language == 'et' else written} {unit}"
    return f"{size} B"
