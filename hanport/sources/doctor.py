"""What `hanport doctor SOURCE` does: listen to a connection for a while and say in plain
words what is wrong.

It reports the bytes seen, the line settings, the format found, how many frames failed their
checksum, why the first frame was rejected, the interval between telegrams, what it found out
about the meter (encrypted but unauthenticated frames, readings without a checksum, the energy
scale of lists without scalers), and gives one piece of advice: no bytes at all (cable, port
activation, data-request line), only noise (line speed or an inverted signal), damaged frames
(cable length, earthing), encrypted frames without a key, or all well. On a terminal a line
shows what has arrived so far while it listens.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from statistics import median

from hanport.codec.decoder import Decoder
from hanport.i18n import number, plural, reason, text
from hanport.model import Reading, Rejected
from hanport.sources.transport import Source, open_stream

__all__ = ["Diagnosis", "Listening", "advice", "diagnose", "grouped", "report"]

Listening = Callable[["Diagnosis", float], None]
"""Called about twice a second while listening: what was found so far, seconds left."""
_KEY_PROBLEMS = frozenset(
    (
        "decoder.no_key",
        "decoder.no_auth_key",
        "decoder.wrong_key",
        "decoder.not_authenticated",
        "decoder.incomplete",
    )
)
"""The rejections a key (missing, wrong, or not matching the meter's security) explains."""


@dataclass
class Diagnosis:
    source: str
    seconds: float
    bytes_seen: int = 0
    readings: int = 0
    rejected: int = 0
    checksum_errors: int = 0
    key_problems: list[str] = field(default_factory=list)
    """The decoder's reasons (each a `Message`) that a missing or wrong key explains."""
    format: str | None = None
    arrivals: list[float] = field(default_factory=list)
    junk_bytes: int = 0
    first_rejection: str | None = None
    """The decoder's reason (a `Message`) for the first frame it rejected."""
    unverified: int = 0
    """Readings from a format without a checksum."""
    unauthenticated: str | None = None
    """System title of a meter that encrypts but does not authenticate its frames."""
    energy_scales: dict[str, int] = field(default_factory=dict)
    """Meter id → the energy scale found for a list without scalers."""

    @property
    def interval_s(self) -> float | None:
        gaps = [b - a for a, b in zip(self.arrivals, self.arrivals[1:], strict=False)]
        return median(gaps) if gaps else None


async def diagnose(
    source: Source,
    seconds: float,
    decoder: Decoder | None = None,
    listening: Listening | None = None,
) -> Diagnosis:
    """Read the source for `seconds` (or until it ends) and collect what was seen."""
    decoder = decoder or Decoder()
    found = Diagnosis(str(source), seconds)
    started = time.monotonic()
    ticker = None
    if listening is not None:
        ticker = asyncio.create_task(_tick(found, started, seconds, listening))
    try:
        async with asyncio.timeout(seconds), aclosing(open_stream(source)) as chunks:
            async for chunk in chunks:
                found.bytes_seen += len(chunk)
                for item in decoder.feed(chunk):
                    _note(found, item, time.monotonic() - started)
    except TimeoutError:
        pass
    finally:
        if ticker is not None:
            ticker.cancel()
    for item in decoder.flush():
        _note(found, item, time.monotonic() - started)
    _note_decoder(found, decoder)
    return found


async def _tick(found: Diagnosis, started: float, seconds: float, listening: Listening) -> None:
    while True:
        listening(found, max(0.0, started + seconds - time.monotonic()))
        await asyncio.sleep(0.5)


def _note(found: Diagnosis, item: Reading | Rejected, at: float) -> None:
    if isinstance(item, Reading):
        found.readings += 1
        found.unverified += not item.verified
        found.arrivals.append(at)
        return
    found.rejected += 1
    why = item.reason
    found.first_rejection = found.first_rejection or why
    if item.code == "decoder.checksum":
        found.checksum_errors += 1
    elif item.code in _KEY_PROBLEMS and why not in found.key_problems:
        found.key_problems.append(why)


def _note_decoder(found: Diagnosis, decoder: Decoder) -> None:
    """What the decoder found out about the meter."""
    found.format = decoder.format
    found.junk_bytes = decoder.stats.junk_bytes
    found.unauthenticated = decoder.stats.unauthenticated_sender
    found.energy_scales = dict(decoder.stats.energy_scales)


def advice(found: Diagnosis, language: str = "en") -> str:
    """One plain sentence: the most likely fix, or that all is well."""
    if found.bytes_seen == 0:
        return text("doctor.no_bytes", language, seconds=found.seconds)
    if found.key_problems:
        return reason(found.key_problems[0], language)
    if found.readings == 0 and found.rejected == 0:
        return text("doctor.noise", language)
    total = found.readings + found.rejected
    if found.checksum_errors and found.checksum_errors / total > 0.05:
        return text("doctor.damaged", language, errors=found.checksum_errors, total=total)
    if found.readings == 0:
        return text("doctor.undecodable", language)
    interval = found.interval_s
    pace = "" if interval is None else text("doctor.pace", language, s=_decimal(interval, language))
    values = {"readings": found.readings, "format": found.format, "pace": pace}
    return plural("doctor.all_well", language, found.readings, **values)


def report(found: Diagnosis, language: str = "en") -> list[str]:
    """The findings as aligned `label  value` lines, then the advice."""
    rows = _rows(found, language)
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    return [*lines, "", advice(found, language)]


def _rows(found: Diagnosis, language: str) -> list[tuple[str, str]]:
    def row(key: str, value: str) -> tuple[str, str]:
        return text(key, language), value

    def said(key: str, **values: object) -> str:
        return text(key, language, **values)

    interval = found.interval_s
    seen = said(
        "doctor.bytes_value",
        bytes=grouped(found.bytes_seen, language),
        junk=grouped(found.junk_bytes, language),
    )
    rejected = said("doctor.rejected_value", count=found.rejected, checksum=found.checksum_errors)
    pace = "—" if interval is None else f"{_decimal(interval, language, 1)} s"
    rows = [
        row("doctor.source", found.source),
        row("doctor.listened", f"{_decimal(found.seconds, language)} s"),
        row("doctor.bytes", seen),
        row("doctor.format", found.format or said("doctor.none_found")),
        row("doctor.verified", str(found.readings)),
        row("doctor.rejected", rejected),
        row("doctor.interval", pace),
    ]
    if found.first_rejection is not None:
        rows.append(row("doctor.first_rejection", reason(found.first_rejection, language)))
    if found.unverified:
        rows.append(
            row("doctor.unverified", said("doctor.unverified_value", count=found.unverified))
        )
    if found.unauthenticated is not None:
        title = found.unauthenticated
        rows.append(row("doctor.unauthenticated", said("reader.unauthenticated", title=title)))
    for meter, scale in sorted(found.energy_scales.items()):
        value = said("doctor.energy_scale_value", meter=meter or "—", scale=scale)
        rows.append(row("doctor.energy_scale", value))
    return rows


def grouped(value: int, language: str) -> str:
    return f"{value:,}" if language != "et" else number(value, language)


def _decimal(value: float, language: str, places: int | None = None) -> str:
    shown = f"{value:.{places}f}" if places is not None else f"{value:g}"
    return shown.replace(".", ",") if language == "et" else shown
