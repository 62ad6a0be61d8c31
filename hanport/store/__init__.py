"""Storage of readings: the `Store` interface, and `open_store` for a database URL.

    open_store("/var/lib/hanport/hanport.db", zone)      a path: the SQLite store
    open_store("sqlite:///hanport.db", zone)             the same, as a URL (relative path)
    open_store("sqlite:////var/lib/hanport/hanport.db", zone)   (absolute path: four slashes)
    open_store("postgresql://user@host/db", zone)        the PostgreSQL store (its default site)
    open_store("postgresql://user@host/db?site=x", zone) the PostgreSQL store of site x

Everything else in hanport uses `Store` (and, where a store offers them, `SeriesJson`,
`ColumnReader`, `RecordStore`); see `hanport.store.base`. Opening an older database upgrades it
after taking a copy (`hanport.store.migrations`).
"""

from __future__ import annotations

from datetime import tzinfo

from hanport.store.base import (
    ColumnReader,
    MeterInfo,
    Record,
    RecordStore,
    Rollup,
    SeriesJson,
    Stats,
    Store,
    read_columns,
)
from hanport.store.connection import StoreError

__all__ = [
    "ColumnReader",
    "MeterInfo",
    "Record",
    "RecordStore",
    "Rollup",
    "SeriesJson",
    "Stats",
    "Store",
    "StoreError",
    "local_file",
    "missing_file",
    "open_store",
    "read_columns",
    "shown_url",
]


def open_store(url: str, zone: tzinfo, *, upgrade: bool = True) -> Store:
    """The store a database URL (or plain path) names, opened and ready (upgraded first when it
    was written by an older hanport, unless `upgrade` is False). Raises `StoreError` with one
    sentence for a URL it cannot open."""
    from pathlib import Path

    scheme, found, rest = url.partition("://")
    if not found:
        path = Path(url)
    elif scheme.lower() == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise StoreError("store.sqlite_url", url=url)
        path = Path(rest[1:])
    elif scheme.lower() in ("postgresql", "postgres"):
        from hanport.store.postgres import PostgresStore

        return PostgresStore(url, zone, upgrade=upgrade)
    else:
        raise StoreError("store.unknown_url", url=shown_url(url), scheme=scheme)
    from hanport.store.sqlite import SqliteStore

    return SqliteStore(path, zone, upgrade=upgrade)


def missing_file(url: str) -> bool:
    """Whether `url` is a plain path with no file there (a URL names a database that is asked,
    not looked for)."""
    from pathlib import Path

    return "://" not in url and not Path(url).exists()


def local_file(url: str) -> str:
    """The SQLite file for what lives only in one (the app's accounts) next to a database URL:
    the database's own file for SQLite, `hanport-accounts.db` in the working folder beside a
    PostgreSQL database."""
    scheme, found, rest = url.partition("://")
    if not found:
        return url
    if scheme.lower() == "sqlite" and rest.startswith("/") and rest != "/":
        return rest[1:]
    return "hanport-accounts.db"


def shown_url(url: str) -> str:
    """The URL as it may be shown: a password in it replaced by ***."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
