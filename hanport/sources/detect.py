"""Find a serial port's line settings: try each until one yields verified frames.

P1 meters send at 115200 8N1; DLMS meters on M-Bus HAN ports at 2400 8E1 (sometimes 8N1) or
9600 8N1. A setting is kept only when a frame passes its checksum, never on bytes alone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing

from hanport.codec.decoder import Decoder
from hanport.i18n import text
from hanport.model import Reading
from hanport.sources.transport import Source, SourceError, open_stream

__all__ = ["LINE_SETTINGS", "detect_line"]

log = logging.getLogger(__name__)

LINE_SETTINGS = ((115200, "N"), (9600, "N"), (2400, "E"), (2400, "N"))
Opener = Callable[[Source], AsyncGenerator[bytes, None]]


async def detect_line(
    source: Source,
    decoder_factory: Callable[[], Decoder] = Decoder,
    seconds_each: float = 25.0,
    opener: Opener = open_stream,
    language: str = "en",
) -> Source:
    """The source with the first line setting that yields a verified frame."""
    tried: list[str] = []
    for baudrate, parity in LINE_SETTINGS:
        candidate = dataclasses.replace(source, baudrate=baudrate, parity=parity, detect=False)
        setting = f"{baudrate} 8{parity}1"
        values = {"port": source.target, "setting": setting, "seconds": f"{seconds_each:g}"}
        if tried:  # the port opened, but the last setting brought no frame: say what is next
            log.info("%s", text("sources.detect_trying", language, tried=tried[-1], **values))
        tried.append(setting)
        if await _yields_a_frame(candidate, decoder_factory(), seconds_each, opener):
            log.info("%s", text("sources.detect_found", language, **values))
            return candidate
    raise SourceError("sources.detect_none", port=source.target, tried=", ".join(tried))


async def _yields_a_frame(source: Source, decoder: Decoder, seconds: float, opener: Opener) -> bool:
    try:
        async with asyncio.timeout(seconds), aclosing(opener(source)) as chunks:
            async for chunk in chunks:
                if any(isinstance(item, Reading) for item in decoder.feed(chunk)):
                    return True
    except TimeoutError:
        return False
    return False
