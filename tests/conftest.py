"""Shared test set-up."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hanport.store.sqlite import SqliteStore


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
