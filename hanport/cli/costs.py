"""`hanport prices fetch|import` and `hanport import dso FILE`: prices and the DSO's data into
the database, without `hanport run`.

Each command finds the database like `hanport run` does (--database, else the settings'
database, else hanport.db, or hanport-simulator.db without a meter).
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from hanport.errors import HanError
from hanport.i18n import text
from hanport.settings.loader import Settings
from hanport.store import Store

__all__ = ["add_cost_commands"]


def add_cost_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    prices = commands.add_parser(
        "prices", help="day-ahead prices: fetch or import into the database"
    )
    actions = prices.add_subparsers(required=True, metavar="ACTION")
    fetch = actions.add_parser("fetch", help="fetch a period's prices from the [prices] provider")
    fetch.add_argument("--from", dest="start", required=True, help="first day, e.g. 2026-01-01")
    fetch.add_argument("--to", dest="end", required=True, help="last day (included)")
    _options(fetch)
    fetch.set_defaults(handler=_fetch)
    imported = actions.add_parser("import", help="import Elering's price CSV (comma decimals)")
    imported.add_argument("file", metavar="FILE")
    _options(imported)
    imported.set_defaults(handler=_import_prices)

    data = commands.add_parser("import", help="import data from elsewhere: dso")
    kinds = data.add_subparsers(required=True, metavar="KIND")
    dso = kinds.add_parser("dso", help="the DSO's hourly consumption CSV (Elektrilevi)")
    dso.add_argument("file", metavar="FILE")
    dso.add_argument(
        "--columns",
        help="column mapping for other exports, e.g. start=Algus,import=Kogus,unit=Wh",
    )
    dso.add_argument("--meter", help="the meter the data belongs to (default: the stored one)")
    dso.add_argument("--all", action="store_true", help="list every compared hour")
    _options(dso)
    dso.set_defaults(handler=_import_dso)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    parser.add_argument("--database", help="SQLite file (default: the configured one)")


def _fetch(args: argparse.Namespace, language: str) -> int:
    from hanport.costs.fetch import fetch_prices
    from hanport.costs.plugin import PRICES
    from hanport.costs.price_store import put_prices

    settings = _settings(args)
    zone = ZoneInfo(settings.timezone)
    start = _local_day(args.start, zone, "--from")
    end = _local_day(args.end, zone, "--to") + timedelta(days=1)
    prices = settings.get(PRICES)
    slots = asyncio.run(fetch_prices(prices, start, end))
    with _opened(args, settings) as store:
        count = put_prices(store, slots, prices.source)
    print(_stored(count, start, end, store_name=_database(args, settings), language=language))
    return 0


def _import_prices(args: argparse.Namespace, language: str) -> int:
    from hanport.costs.price_store import put_prices
    from hanport.costs.prices_elering import parse_elering_csv

    settings = _settings(args)
    content = Path(args.file).read_bytes().decode("utf-8-sig", errors="replace")
    slots = parse_elering_csv(content, source=args.file)
    with _opened(args, settings) as store:
        count = put_prices(store, slots, "csv")
    start = slots[0].start if slots else datetime.now(UTC)
    end = slots[-1].end if slots else start
    print(_stored(count, start, end, store_name=_database(args, settings), language=language))
    return 0


def _import_dso(args: argparse.Namespace, language: str) -> int:
    from hanport.costs.book import han_energies
    from hanport.costs.dso import DsoColumns, dso_columns, parse_dso_csv
    from hanport.costs.dso_store import put_intervals
    from hanport.costs.reconcile import hour_differences

    settings = _settings(args)
    zone = ZoneInfo(settings.timezone)
    columns = dso_columns(args.columns) if args.columns else DsoColumns()
    parsed = parse_dso_csv(Path(args.file).read_bytes(), columns, zone, args.file)
    intervals = parsed.intervals
    start, end = intervals[0].start, intervals[-1].end
    with _opened(args, settings) as store:
        meter = args.meter if args.meter is not None else _the_meter(store)
        han = han_energies(store, meter, start, end)
        put_intervals(store, meter, intervals)
    differences = hour_differences(intervals, han)
    own = {slot.start for slot in han if not slot.gap}
    filled = sum(1 for interval in intervals if interval.start not in own)
    bought = sum((interval.import_wh for interval in intervals), Decimal(0)) / 1000
    print(
        text(
            "costs.cli_dso_read",
            language,
            count=len(intervals),
            source=args.file,
            start=_show(start, zone),
            end=_show(end, zone),
            kwh=bought,
            filled=filled,
        )
    )
    from hanport.cli.costs_reconcile import reconcile_lines

    print("\n".join(reconcile_lines(differences, zone, language, every=args.all)))
    return 0


def _the_meter(store: Store) -> str:
    meters = [meter.id for meter in store.meters()]
    return meters[0] if len(meters) == 1 else ""


def _settings(args: argparse.Namespace) -> Settings:
    from hanport.plugins import load_settings

    return load_settings(Path(args.config) if args.config else None)


def _database(args: argparse.Namespace, settings: Settings) -> str:
    if args.database:
        return str(args.database)
    return settings.database or ("hanport.db" if settings.source else "hanport-simulator.db")


class _opened:
    def __init__(self, args: argparse.Namespace, settings: Settings) -> None:
        from hanport.store import open_store

        self.store = open_store(_database(args, settings), ZoneInfo(settings.timezone))

    def __enter__(self) -> Store:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _local_day(value: str, zone: ZoneInfo, flag: str) -> datetime:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise HanError("costs.cli_date", flag=flag, value=value) from None
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def _stored(count: int, start: datetime, end: datetime, *, store_name: str, language: str) -> str:
    zone = ZoneInfo("Europe/Tallinn")
    return text(
        "costs.cli_prices_stored",
        language,
        count=count,
        start=_show(start, zone),
        end=_show(end, zone),
        database=store_name,
    )


def _show(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
