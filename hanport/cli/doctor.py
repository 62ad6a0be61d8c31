"""`hanport doctor SOURCE`: listen to a connection and say what is wrong (see
`hanport.sources.doctor`); on a terminal a line shows what has arrived so far."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from hanport.cli.flags import positive
from hanport.cli.progress import StatusLine
from hanport.codec.decoder import Decoder
from hanport.i18n import plural
from hanport.plugins import load_settings
from hanport.sources.doctor import Diagnosis, diagnose, grouped, report
from hanport.sources.transport import parse_source

__all__ = ["doctor"]


def doctor(args: argparse.Namespace, language: str) -> int:
    """Diagnose a connection; exit 0 when verified readings arrived, 1 otherwise."""
    positive(args.seconds, "--seconds")
    source = parse_source(args.source)
    settings = load_settings(
        Path(args.config) if args.config else None,
        overrides={"key": args.key, "auth_key": args.auth_key, "energy_scale": args.energy_scale},
    )
    decoder = Decoder(
        key=settings.key,
        auth_key=settings.auth_key,
        zone=settings.timezone,
        energy_scale=settings.energy_scale,
    )
    line = StatusLine()

    def listening(found: Diagnosis, left_s: float) -> None:
        line.show(_progress(found, left_s, language))

    try:
        found = asyncio.run(diagnose(source, args.seconds, decoder, listening))
    finally:
        line.close()
    print("\n".join(report(found, language)))
    return 0 if found.readings else 1


def _progress(found: Diagnosis, left_s: float, language: str) -> str:
    frames = found.readings + found.rejected
    return plural(
        "doctor.listening",
        language,
        frames,
        source=found.source,
        left=f"{left_s:.0f}",
        bytes=grouped(found.bytes_seen, language),
        frames=frames,
        readings=found.readings,
    )
