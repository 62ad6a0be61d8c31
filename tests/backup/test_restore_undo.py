"""Undoing a SQLite restore: `hanport restore hanport.db.before-restore` puts the replaced
database back and keeps the restored one in its place (the two change places), instead of
keeping the database over the very backup it was about to restore."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import hanport
from hanport.backup import RestoreError, backup_database, check_database, restore_database
from hanport.sim.home import HomeSimulator
from hanport.store.sqlite import SqliteStore

ZONE = ZoneInfo("Europe/Tallinn")


def _stored(path: Path) -> int:
    return sum(meter.readings for meter in check_database(path).meters)


def test_restoring_the_kept_database_swaps_it_back(tmp_path: Path) -> None:
    sim = HomeSimulator(seed=2, start=datetime(2026, 3, 1, tzinfo=UTC), interval_s=10)
    readings = [r for _ in range(300) for r in hanport.decode(sim.next_telegram())]
    live, backup = tmp_path / "hanport.db", tmp_path / "backup.db"
    store = SqliteStore(live, ZONE)
    store.write(readings[:100])
    store.close()
    backup_database(live, backup)
    store = SqliteStore(live, ZONE)
    store.write(readings[100:])
    store.close()

    kept = restore_database(backup, live).before
    assert kept == tmp_path / "hanport.db.before-restore"
    assert (_stored(live), _stored(kept)) == (100, 300)
    done = restore_database(kept, live)  # undo
    assert done.before == kept
    assert (_stored(live), _stored(kept)) == (300, 100)
    assert not list(tmp_path.glob("*.restoring*"))

    # refused while in use: the kept copy stays under its own name, untouched
    holder = SqliteStore(live, ZONE)
    try:
        holder.write(readings[:1])
        with pytest.raises(RestoreError, match="in use"):
            restore_database(kept, live)
    finally:
        holder.close()
    assert _stored(kept) == 100
    assert not list(tmp_path.glob("*.restoring*"))
