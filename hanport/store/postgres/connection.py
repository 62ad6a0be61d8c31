"""Connecting to PostgreSQL: the URL (with hanport's own `site` parameter taken out), one
connection shared under a lock, opened again after the server went away, and psycopg's errors
as one sentence.

    postgresql://hanport@db.example/hanport              the default site
    postgresql://hanport@db.example/hanport?site=tartu-7 the site `tartu-7`

A server that cannot be reached raises `StoreUnavailable`, which is a `ConnectionError` too, and
a statement it refuses `StoreRefused`, an `OSError`: the storage sink keeps the readings in
memory and writes them once the database takes them again, as it does for SQLite's disk errors.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg

from hanport.store.connection import StoreError

__all__ = [
    "DEFAULT_SITE",
    "Database",
    "StoreRefused",
    "StoreUnavailable",
    "shown_url",
    "split_site",
]

IDLE_CHECK_S = 5.0
"""A connection unused this long is checked with a round trip before its next use."""
DEFAULT_SITE = "default"
"""The site of a household's readings (`hanport run`), and of a URL that names none."""


class StoreUnavailable(StoreError, ConnectionError):
    """The PostgreSQL server cannot be reached (or went away); nothing of the call was stored."""


class StoreRefused(StoreError, OSError):
    """The server refused a statement (a deadlock, a full disk, …); the transaction was rolled
    back. An `OSError` like SQLite's disk errors, so that the storage sink keeps the readings
    and tries again."""


def split_site(url: str) -> tuple[str, str]:
    """(the URL for libpq, the site it names): `?site=` is hanport's, not libpq's."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    sites = [value for name, value in query if name == "site"]
    rest = urlencode([(name, value) for name, value in query if name != "site"])
    site = sites[-1] if sites and sites[-1] else DEFAULT_SITE
    return urlunsplit(parts._replace(query=rest)), site


def shown_url(url: str) -> str:
    """The URL as it may be shown: a password in it replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


class Database:
    """One connection (autocommit; explicit transactions), shared by threads under a lock, opened
    again on the next call after the server went away."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.lock = threading.RLock()
        self._connection: psycopg.Connection[Any] | None = None
        self._used = time.monotonic()
        self.connection()

    def connection(self) -> psycopg.Connection[Any]:
        connection = self._connection
        if connection is not None and not (connection.closed or connection.broken):
            self._check_idle(connection)
        if connection is None or connection.closed or connection.broken:
            if connection is not None:
                connection.close()
            try:
                connection = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            except psycopg.Error as error:
                raise StoreUnavailable(
                    "store.postgresql_unreachable", url=shown_url(self.url), error=_first(error)
                ) from None
            self._connection = connection
        self._used = time.monotonic()
        return connection

    def _check_idle(self, connection: psycopg.Connection[Any]) -> None:
        """A connection idle for `IDLE_CHECK_S`, outside a transaction, asked first whether it
        still works: a server restarted meanwhile ended it, and the call about to be made
        would fail once although the server answers again (it is marked broken instead)."""
        if time.monotonic() - self._used < IDLE_CHECK_S:
            return
        if connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            return
        with contextlib.suppress(psycopg.Error):
            connection.execute("SELECT 1")

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """The connection inside one transaction, committed at the end, rolled back on an error;
        a lost connection raises `StoreUnavailable`, any other database error `StoreError`."""
        with self.lock, self.errors():
            connection = self.connection()
            with connection.transaction():
                yield connection

    @contextmanager
    def errors(self) -> Iterator[None]:
        try:
            yield
        except psycopg.OperationalError as error:
            connection = self._connection
            if connection is not None and (connection.closed or connection.broken):
                raise StoreUnavailable(
                    "store.postgresql_lost", url=shown_url(self.url), error=_first(error)
                ) from None
            raise StoreRefused("store.postgresql_failed", error=_first(error)) from None
        except psycopg.Error as error:
            raise StoreRefused("store.postgresql_failed", error=_first(error)) from None

    def close(self) -> None:
        with self.lock:
            if self._connection is not None:
                self._connection.close()


def _first(error: BaseException) -> str:
    """The first line of what libpq or the server said, without its final full stop."""
    lines = str(error).strip().splitlines()
    return lines[0].rstrip(".") if lines else type(error).__name__
