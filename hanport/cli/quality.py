"""`hanport quality report --from DAY --to DAY --format pdf|csv [--output FILE]`: the EN 50160
report of a period from the database (`hanport.quality.stored_report`), to attach to a
complaint to the grid operator. `hanport quality rebuild`: the kept figures computed anew from
the stored readings (after readings of past hours were imported)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

__all__ = ["add_quality_commands"]


def add_quality_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    quality = commands.add_parser("quality", help="power quality (EN 50160): the report")
    actions = quality.add_subparsers(required=True, metavar="ACTION")
    report = actions.add_parser("report", help="a period's report as PDF or CSV")
    report.add_argument("--from", dest="first", required=True, help="first day, e.g. 2026-03-01")
    report.add_argument("--to", dest="last", required=True, help="last day (included)")
    report.add_argument("--format", choices=("pdf", "csv"), default="pdf", help="pdf or csv")
    report.add_argument("--output", help="file to write (default: quality-FROM-TO.pdf or .csv)")
    report.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    report.add_argument("--database", help="SQLite file (default: the configured one)")
    report.add_argument("--meter", help="meter id (default: the only meter in the database)")
    report.set_defaults(handler=_report)
    rebuild = actions.add_parser("rebuild", help="compute the kept figures anew from the readings")
    rebuild.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    rebuild.add_argument("--database", help="SQLite file or PostgreSQL URL (default: configured)")
    rebuild.set_defaults(handler=_rebuild)


def _report(args: argparse.Namespace, language: str) -> int:
    from hanport.cli.export import ExportError, _pick_meter
    from hanport.i18n import text
    from hanport.plugins import load_settings
    from hanport.quality.plugin import QUALITY
    from hanport.quality.report import report_bytes
    from hanport.quality.stored_report import MAX_REPORT_DAYS, ReportRequest, stored_report
    from hanport.store import open_store, shown_url

    settings = load_settings(
        Path(args.config) if args.config else None, overrides={"database": args.database}
    )
    first, last = _day(args.first), _day(args.last)
    if last < first:
        raise ExportError("quality.report_period", value=f"--from {args.first} --to {args.last}")
    if (last - first).days >= MAX_REPORT_DAYS:
        raise ExportError("quality.report_too_long", days=MAX_REPORT_DAYS)
    url = _database(settings.database)
    quality = settings.get(QUALITY)
    store = open_store(url, ZoneInfo(settings.timezone))
    try:
        meter = _pick_meter(store, args.meter, shown_url(url))
        request = ReportRequest(
            meter,
            first,
            last,
            quality,
            settings.site,
            settings.interval_s,
            args.lang or quality.language,
            datetime.now(UTC),
        )
        body = report_bytes(stored_report(store, request), args.format)
    finally:
        store.close()
    target = Path(args.output or f"quality-{first}-{last}.{args.format}")
    if str(target) == "-":
        sys.stdout.buffer.write(body)
        return 0
    try:
        target.write_bytes(body)
    except OSError as error:
        raise ExportError("quality.report_not_written", path=target, error=error) from None
    print(text("quality.report_written", language, path=target), file=sys.stderr)
    return 0


def _rebuild(args: argparse.Namespace, language: str) -> int:
    """Drop every kept quality figure, then take in every stored hour again, meter by meter."""
    from hanport.i18n import text
    from hanport.plugins import load_settings
    from hanport.quality.keeper import catch_up
    from hanport.quality.plugin import QUALITY
    from hanport.quality.records import EVENT, STATE, WEEK, WINDOW_KIND
    from hanport.quality.windows import Method
    from hanport.store import RecordStore, open_store

    settings = load_settings(
        Path(args.config) if args.config else None, overrides={"database": args.database}
    )
    zone = ZoneInfo(settings.timezone)
    method = Method.for_site(settings.get(QUALITY), settings.site, zone, settings.interval_s)
    store = open_store(_database(settings.database), zone)
    try:
        records = cast(RecordStore, store)
        for kind in (STATE, WINDOW_KIND, EVENT, WEEK):
            records.delete_records(kind, datetime(9999, 1, 1, tzinfo=UTC))
        for info in store.meters():
            done = catch_up(store, info.id, method, datetime.now(UTC))
            counts = {"windows": len(done.windows), "events": len(done.events)}
            print(text("quality.rebuilt", language, meter=info.id, weeks=len(done.weeks), **counts))
    finally:
        store.close()
    return 0


def _database(configured: str | None) -> str:
    """The configured database, which must exist unless it is a server's (a URL)."""
    from hanport.cli.export import ExportError
    from hanport.store import missing_file, shown_url

    url = configured or "hanport.db"
    if missing_file(url):
        raise ExportError("export.no_database", database=shown_url(url))
    return url


def _day(value: str) -> date:
    from hanport.cli.export import ExportError

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ExportError("quality.report_period", value=value) from None
