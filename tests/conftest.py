"""Shared test set-up."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _database_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`hanport run` keeps readings in a database: in tests, never in the working directory."""
    monkeypatch.setenv("HANPORT_DATABASE", str(tmp_path / "hanport.db"))
