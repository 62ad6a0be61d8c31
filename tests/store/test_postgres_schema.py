"""The PostgreSQL store's storage versions: a new database at the newest, a newer one refused,
an older one upgraded in one transaction (or refused without `upgrade`), a failing upgrade
leaving every table as it was."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest

from hanport.store import StoreError, open_store
from hanport.store.postgres import schema
from store.postgres_db import postgres_database_fixture, postgres_url_fixture  # noqa: F401

TALLINN = ZoneInfo("Europe/Tallinn")


def version(url: str) -> int:
    with psycopg.connect(url) as db:
        row = db.execute("SELECT version FROM hanport_version").fetchone()
    assert row is not None
    return int(row[0])


def columns(url: str, table: str) -> list[str]:
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = current_schema() ORDER BY ordinal_position",
            (table,),
        ).fetchall()
    return [name for (name,) in rows]


def test_a_new_database_starts_at_the_newest_version_and_opens_again(postgres_url: str) -> None:
    open_store(postgres_url, TALLINN).close()
    open_store(postgres_url, TALLINN, upgrade=False).close()
    assert version(postgres_url) == schema.SCHEMA_VERSION
    assert "data" in columns(postgres_url, "blocks")


def test_tables_of_a_newer_hanport_are_refused_in_one_sentence(postgres_url: str) -> None:
    open_store(postgres_url, TALLINN).close()
    with psycopg.connect(postgres_url) as db:
        db.execute("UPDATE hanport_version SET version = %s", (schema.SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="was written by a newer hanport") as raised:
        open_store(postgres_url, TALLINN)
    assert "uuem hanport" in raised.value.text("et")
    assert version(postgres_url) == schema.SCHEMA_VERSION + 1


def add_column(db: psycopg.Connection[Any]) -> None:
    db.execute("ALTER TABLE meters ADD COLUMN note text")


def add_then_fail(db: psycopg.Connection[Any]) -> None:
    add_column(db)
    db.execute("SELECT no_such_column FROM meters")


def test_an_older_version_is_upgraded_once_in_one_transaction(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(postgres_url, TALLINN).close()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, add_then_fail)
    with pytest.raises(StoreError, match="could not be upgraded from storage version 1 to 2"):
        open_store(postgres_url, TALLINN)
    assert version(postgres_url) == 1
    assert "note" not in columns(postgres_url, "meters")  # the half upgrade rolled back
    with pytest.raises(StoreError, match="has storage version 1; hanport upgrades it"):
        open_store(postgres_url, TALLINN, upgrade=False)
    monkeypatch.setitem(schema.MIGRATIONS, 1, add_column)
    open_store(postgres_url, TALLINN).close()
    open_store(postgres_url, TALLINN).close()  # once: the version says it is done
    assert version(postgres_url) == 2
    assert columns(postgres_url, "meters")[-1] == "note"
