"""Shared test set-up."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _database_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`hanport run` keeps readings in a database: in tests, never in the working directory;
    its app listens on a free port."""
    monkeypatch.setenv("HANPORT_DATABASE", str(tmp_path / "hanport.db"))
    monkeypatch.setenv("HANPORT_WEB_PORT", "0")  # the app on a free port: tests never collide
