"""`hanport export`: the command around `hanport.store.export.export` (settings, checks, the
progress bar)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from hanport.cli.progress import StatusLine, bar
from hanport.errors import HanError
from hanport.i18n import number, plural
from hanport.plugins import load_settings
from hanport.store import Store, missing_file, open_store, shown_url
from hanport.store.export import Progress, export

__all__ = ["ExportError", "export_command", "terminal_progress"]


class ExportError(HanError):
    """The export cannot start as asked: no database, a wrong date, no such meter or file."""


def export_command(args: argparse.Namespace, language: str) -> int:
    """Write a period's readings (or rollups with --step) from the database as CSV or JSON."""
    settings = load_settings(
        Path(args.config) if args.config else None, overrides={"database": args.database}
    )
    zone = ZoneInfo(settings.timezone)
    url = settings.database or "hanport.db"
    database = shown_url(url)
    if missing_file(url):
        raise ExportError("export.no_database", database=database)
    start, end = _moment(args.start, zone, "--from"), _moment(args.end, zone, "--to")
    if end <= start:
        raise ExportError("export.order")
    store = open_store(url, zone)
    try:
        meter = _pick_meter(store, args.meter, database)
        out = _open(args.output) if args.output else sys.stdout
        try:
            bar = _bar(args, language)
            rows = export(store, meter, start, end, args.step, args.format, out, bar)
            out.flush()
        finally:
            if out is not sys.stdout:
                out.close()
    finally:
        store.close()
    print(plural("export.exported", language, rows, rows=number(rows, language)), file=sys.stderr)
    return 0


def _open(path: str) -> TextIO:
    try:
        return open(path, "w", newline="", encoding="utf-8")
    except OSError as error:
        from hanport.sources.line_errors import why

        raise ExportError("cli.cannot_write", path=path, why=why(error)) from None


def _bar(args: argparse.Namespace, language: str) -> Progress | None:
    """The bar on the terminal's stderr, unless the rows go to that same terminal."""
    if not args.output and sys.stdout.isatty():
        return None
    return terminal_progress(language=language)


def _moment(value: str, zone: ZoneInfo, flag: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ExportError("export.moment", flag=flag, value=value) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _pick_meter(store: Store, wanted: str | None, database: str) -> str:
    meters = [meter.id for meter in store.meters()]
    known = ", ".join(map(repr, meters))
    if wanted is not None:
        if wanted not in meters:
            if not meters:
                raise ExportError("export.empty", database=database)
            raise ExportError("export.no_meter", meter=wanted, known=known)
        return wanted
    if not meters:
        raise ExportError("export.empty", database=database)
    if len(meters) != 1:
        raise ExportError("export.which_meter", count=len(meters), known=known)
    return meters[0]


def terminal_progress(stream: TextIO | None = None, language: str = "en") -> Progress | None:
    """A progress bar on a terminal (stderr by default); None on logs and pipes."""
    line = StatusLine(stream or sys.stderr)
    if not line.enabled:
        return None

    def show(fraction: float, rows: int) -> None:
        done = fraction >= 1
        counted = plural("export.rows", language, rows, rows=number(rows, language))
        line.show(f"{bar(fraction)}  {counted}", now=done)
        if done:
            line.close()

    return show
