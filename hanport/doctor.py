"""`hanport doctor SOURCE`: listen to a connection for a while and say in plain words what is wrong.

It reports the bytes seen, the line settings, the format found, how many frames failed their
checksum, the interval between telegrams, and gives one piece of advice: no bytes at all (cable,
port activation, data-request line), only noise (line speed or an inverted signal), damaged
frames (cable length, earthing), encrypted frames without a key, or all well.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import aclosing
from dataclasses import dataclass, field
from statistics import median

from hanport.codec.decoder import Decoder
from hanport.model import Reading
from hanport.transport import Source, open_stream

__all__ = ["Diagnosis", "advice", "diagnose", "report"]


@dataclass
class Diagnosis:
    source: str
    seconds: float
    bytes_seen: int = 0
    readings: int = 0
    rejected: int = 0
    checksum_errors: int = 0
    key_problems: list[str] = field(default_factory=list)
    format: str | None = None
    arrivals: list[float] = field(default_factory=list)
    junk_bytes: int = 0

    @property
    def interval_s(self) -> float | None:
        gaps = [b - a for a, b in zip(self.arrivals, self.arrivals[1:], strict=False)]
        return median(gaps) if gaps else None


async def diagnose(source: Source, seconds: float, decoder: Decoder | None = None) -> Diagnosis:
    """Read the source for `seconds` (or until it ends) and collect what was seen."""
    decoder = decoder or Decoder()
    found = Diagnosis(str(source), seconds)
    started = time.monotonic()
    try:
        async with asyncio.timeout(seconds), aclosing(open_stream(source)) as chunks:
            async for chunk in chunks:
                found.bytes_seen += len(chunk)
                for item in decoder.feed(chunk):
                    _note(found, item, time.monotonic() - started)
    except TimeoutError:
        pass
    for item in decoder.flush():
        _note(found, item, time.monotonic() - started)
    found.format = decoder.format
    found.junk_bytes = decoder.stats.junk_bytes
    return found


def _note(found: Diagnosis, item: object, at: float) -> None:
    if isinstance(item, Reading):
        found.readings += 1
        found.arrivals.append(at)
        return
    found.rejected += 1
    reason = getattr(item, "reason", "")
    if reason.startswith("Checksum mismatch"):
        found.checksum_errors += 1
    elif "key" in reason.lower() and reason not in found.key_problems:
        found.key_problems.append(reason)


def advice(found: Diagnosis) -> str:
    """One plain sentence: the most likely fix, or that all is well."""
    if found.bytes_seen == 0:
        return (
            f"No bytes arrived in {found.seconds:g} s: check the cable, that the grid operator "
            "has activated the HAN port, and (P1) that Data Request (pin 2) gets +5 V."
        )
    if found.key_problems:
        return found.key_problems[0]
    if found.readings == 0 and found.rejected == 0:
        return (
            "Bytes arrive but no frame can be found in them: the line speed is wrong (try "
            "115200 8N1, 9600 8N1 or 2400 8E1) or the signal is inverted (the P1 data line is "
            "inverted; use a reader that inverts it)."
        )
    total = found.readings + found.rejected
    if found.checksum_errors and found.checksum_errors / total > 0.05:
        return (
            f"{found.checksum_errors} of {total} frames were damaged on the line: use a shorter "
            "cable away from power cables, and check the reader's power supply."
        )
    if found.readings == 0:
        return "Frames arrive but none could be decoded; send a capture (hanport capture)."
    interval = found.interval_s
    pace = f", one every {interval:.1f} s" if interval is not None else ""
    return f"All well: {found.readings} verified readings ({found.format}{pace})."


def report(found: Diagnosis) -> list[str]:
    interval = found.interval_s
    return [
        f"Source           {found.source}",
        f"Listened         {found.seconds:g} s",
        f"Bytes seen       {found.bytes_seen:,} ({found.junk_bytes:,} outside frames)",
        f"Format           {found.format or 'none found'}",
        f"Verified frames  {found.readings}",
        f"Rejected frames  {found.rejected} ({found.checksum_errors} checksum errors)",
        f"Interval         {f'{interval:.1f} s' if interval is not None else '—'}",
        "",
        advice(found),
    ]
