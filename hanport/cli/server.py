"""`hanport server` and `hanport server stats`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hanport.i18n import text

if TYPE_CHECKING:
    from hanport.settings.loader import Settings

__all__ = ["add_server_commands"]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    parser.add_argument("--database", help="postgresql://… or a SQLite path ([server] database)")
    parser.add_argument("--nats", help="nats://a:4222,nats://b:4222,… ([server] nats)")


def add_server_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = commands.add_parser("server", help="many gateways' readings from NATS into a store")
    _common(server)
    server.add_argument("--workers", help="ingest worker processes (default 2)")
    server.add_argument(
        "--listen", help="address of the app, /healthz and /metrics (default 127.0.0.1)"
    )
    server.add_argument("--port", help="port of the app, /healthz and /metrics (default 8090)")
    server.set_defaults(handler=_serve)
    actions = server.add_subparsers(metavar="ACTION")
    stats = actions.add_parser("stats", help="readings per site and meter, ingest lag")
    _common(stats)
    stats.add_argument("--json", action="store_true", help="as JSON")
    stats.set_defaults(handler=_stats)


def _settings(args: argparse.Namespace) -> object:
    from dataclasses import replace

    from hanport.server.settings import SERVER

    loaded = _loaded(args)
    return replace(loaded.get(SERVER), zone=loaded.timezone)


def _loaded(args: argparse.Namespace) -> Settings:
    from hanport.plugins import load_settings

    overrides = {
        "server.database": args.database,
        "server.nats": args.nats,
        "server.workers": getattr(args, "workers", None),
        "server.listen": getattr(args, "listen", None),
        "server.port": getattr(args, "port", None),
    }
    return load_settings(Path(args.config) if args.config else None, overrides=overrides)


def _serve(args: argparse.Namespace, language: str) -> int:
    from hanport.server.live import SiteHub
    from hanport.server.run import serve
    from hanport.server.settings import ServerSettings
    from hanport.web.app import create_app
    from hanport.web.tenant import tenant_context

    settings = _settings(args)
    assert isinstance(settings, ServerSettings)
    import logging

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    feed = SiteHub()
    web = create_app(tenant_context(_loaded(args), settings.database, feed))
    return serve(settings, web, feed)


def _stats(args: argparse.Namespace, language: str) -> int:
    from zoneinfo import ZoneInfo

    from hanport.server.settings import ServerSettings
    from hanport.server.stats import gather, stats_json, stats_table
    from hanport.store import open_store

    settings = _settings(args)
    assert isinstance(settings, ServerSettings)
    store = open_store(settings.database, ZoneInfo(settings.zone), upgrade=False)
    try:
        stats = gather(settings, store)
    finally:
        store.close()
    if args.json:
        print(stats_json(stats))
        return 0
    headings = [text(f"server.column_{name}", language) for name in _COLUMNS]
    for line in stats_table(stats, headings):
        print(line)
    lag = "—" if stats.lag_s is None else f"{stats.lag_s:.1f}"
    pending = "—" if stats.pending is None else str(stats.pending)
    print(text("server.stats_consumer", language, pending=pending, lag=lag), file=sys.stdout)
    return 0


_COLUMNS = ("site", "meter", "readings", "first", "last", "last_seen")
