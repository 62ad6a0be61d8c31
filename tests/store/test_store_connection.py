"""Opening the database: private file modes, one sentence for every unusable database."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hanport.store.connection import StoreError, open_sqlite
from hanport.store.sqlite import SqliteStore
from hanport.web.accounts import Accounts

ZONE = ZoneInfo("Europe/Tallinn")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_are_private(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    old = os.umask(0o022)
    try:
        store = SqliteStore(path, ZONE)
        accounts = Accounts(path)
        accounts.add_user("admin", "a long password")
    finally:
        os.umask(old)
    try:
        for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert made.exists()
            assert _mode(made) == 0o600, made
    finally:
        accounts.close()
        store.close()


def test_an_older_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    SqliteStore(path, ZONE).close()
    path.chmod(0o644)
    SqliteStore(path, ZONE).close()
    assert _mode(path) == 0o600


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"folder .*missing.* does not exist; create it"):
        open_sqlite(tmp_path / "missing" / "hanport.db")


def test_a_file_that_is_not_sqlite_is_named(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="is not a hanport database"):
        SqliteStore(path, ZONE)
    assert path.read_text().startswith("these are my notes")


def test_a_folder_given_as_the_database_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder") as raised:
        open_sqlite(tmp_path)
    assert raised.value.code == "store.database_folder"
    assert raised.value.text("et").startswith(f"Andmebaas {tmp_path} on kaust;")


def test_a_database_in_a_read_only_place_is_named(read_only_folder: Path) -> None:
    with pytest.raises(StoreError, match=r"is read-only|cannot be opened"):
        SqliteStore(read_only_folder / "hanport.db", ZONE).write([])
    with pytest.raises(StoreError, match="cannot be created"):
        open_sqlite(read_only_folder / "other.db")
