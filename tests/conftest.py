"""Shared test set-up: fixtures every test folder may use.

- `hub`: an empty `Hub`; `store`: a SQLite store in a temporary folder, closed afterwards;
  `app`: the app over an hour of simulated readings (`webapp.make_app`);
- `broker`, `auth_broker`, `tls_broker`, `subscriber`: a private Mosquitto per test and an
  independent subscriber (`mqtt_broker`);
- `read_only_folder`: a place the database cannot be written (a read-only mount as root);
- every `hanport run` a test starts keeps its database in the test's folder and serves the app
  on a free port.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hanport.runtime.hub import Hub
from hanport.store import Store, open_store
from hanport.store.sqlite import SqliteStore

pytest_plugins = ("mqtt_broker",)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="write the browser tests' screenshots to docs/screenshots/ (off: only checked)",
    )


@pytest.fixture(autouse=True)
def _database_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`hanport run` keeps readings in a database: in tests, never in the working directory;
    its app listens on a free port."""
    monkeypatch.setenv("HANPORT_DATABASE", str(tmp_path / "hanport.db"))
    monkeypatch.setenv("HANPORT_WEB_PORT", "0")  # the app on a free port: tests never collide
    monkeypatch.setenv("HANPORT_PRICES_SOURCE", "none")  # never the real Elering from a test


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to, holding a database: a read-only mount (as root, which
    ignores file modes) or a folder without write permission."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        SqliteStore(folder / "hanport.db", ZoneInfo("Europe/Tallinn")).close()
        folder.chmod(0o500)
        (folder / "hanport.db").chmod(0o400)
        yield folder
        folder.chmod(0o700)
        return
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], check=True)
    try:
        SqliteStore(folder / "hanport.db", ZoneInfo("Europe/Tallinn")).close()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.fixture
def hub() -> Hub:
    return Hub()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "store.db"), ZoneInfo("Europe/Tallinn"))
    yield opened
    opened.close()


@pytest.fixture
def app(tmp_path: Path) -> object:
    from webapp import make_app

    return make_app(tmp_path / "app.db", hours=1)
