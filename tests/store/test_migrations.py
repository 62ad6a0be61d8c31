"""Versioned storage: a database written by hanport 0.1.0 (the golden fixture, made by the old
code with fixtures/make_golden.py) is upgraded after a backup and reads the same; a failing or
killed upgrade leaves the file as it was; a newer file is refused in one sentence."""

from __future__ import annotations

import gzip
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hanport.model import Reading
from hanport.output import reading_json
from hanport.store import Store, StoreError, open_store
from hanport.store.blocks import BlockError
from hanport.store.migrations import MIGRATIONS
from hanport.store.rollups import STEPS, rollups
from hanport.store.schema import SCHEMA_VERSION
from hanport.web.accounts import Accounts

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = FIXTURES / "hanport-0.1.0.db"
TALLINN = ZoneInfo("Europe/Tallinn")
FOREVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
P1_METER, HDLC_METER = "", "7359992895281953"  # 0.1.0's simulator sent no id in P1


def golden_copy(tmp_path: Path) -> Path:
    path = tmp_path / "hanport.db"
    shutil.copy(GOLDEN, path)
    return path


def golden_readings() -> list[dict[str, Any]]:
    with gzip.open(FIXTURES / "hanport-0.1.0.readings.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [json.loads(line, parse_float=Decimal) for line in lines if line.strip()]


def as_json(readings: list[Reading]) -> list[dict[str, Any]]:
    return [json.loads(reading_json(r), parse_float=Decimal) for r in readings]


def contents(path: Path) -> list[str]:
    """Every table's rows and the version, to tell whether a file changed."""
    with sqlite3.connect(path) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        return [f"version {version}", *db.iterdump()]


def shape(store: Store, meter: str, step: str) -> list[tuple[object, ...]]:
    rows = store.series(meter, step, *FOREVER)
    return [(r.start, r.readings, r.energy_import_wh, r.gap, r.stats, r.legacy) for r in rows]


def test_the_database_of_hanport_0_1_0_is_upgraded_and_reads_the_same(tmp_path: Path) -> None:
    path = golden_copy(tmp_path)
    before = contents(path)
    old_quarters = sqlite3.connect(path).execute(
        "SELECT start, readings FROM rollups WHERE step = '15m' ORDER BY meter, start"
    )
    old = dict(old_quarters.fetchall())
    store = open_store(str(path), TALLINN)
    backup = tmp_path / "hanport.db.before-v1"
    assert contents(backup) == before  # the copy taken first holds the file as it was
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert sorted(m.id for m in store.meters()) == [P1_METER, HDLC_METER]
    got = [row for m in (P1_METER, HDLC_METER) for row in as_json(store.readings(m, *FOREVER))]
    expected = golden_readings()
    assert len(got) == len(expected) == 2 * (3 * 360 + 17)
    key = lambda r: (r.get("meter_id", ""), r["meter_time"])  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)
    for meter in (P1_METER, HDLC_METER):
        readings = store.readings(meter, *FOREVER)
        for step in STEPS:  # recomputed by today's rules: nothing had been pruned
            pure = rollups(readings, step, TALLINN)
            assert shape(store, meter, step) == [
                (r.start, r.readings, r.energy_import_wh, r.gap, r.stats, r.legacy) for r in pure
            ], (meter, step)
    first = store.series(P1_METER, "15m", *FOREVER)[0]
    assert first.readings == old[int(first.start.timestamp())] + 1  # 21:45:00 closes it now
    store.close()
    accounts = Accounts(path)
    assert accounts.check_password("admin", "golden password 1") is not None
    accounts.close()


def test_opening_the_upgraded_file_again_changes_nothing(tmp_path: Path) -> None:
    path = golden_copy(tmp_path)
    open_store(str(path), TALLINN).close()
    upgraded = contents(path)
    store = open_store(str(path), TALLINN)
    store.close()
    assert contents(path) == upgraded
    assert [p.name for p in tmp_path.glob("*.before-*")] == ["hanport.db.before-v1"]


def prune_in_old_file(path: Path, before_hour: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM blocks WHERE hour < ?", (before_hour,))


def test_rollups_of_pruned_readings_are_kept_and_marked_legacy(tmp_path: Path) -> None:
    path = golden_copy(tmp_path)
    with sqlite3.connect(path) as db:
        (meter_id,) = db.execute("SELECT id FROM meters WHERE key = ''").fetchone()
        first = db.execute("SELECT min(hour) FROM blocks WHERE meter = ?", (meter_id,)).fetchone()
        old_hours = dict(
            db.execute(
                "SELECT start, import_wh FROM rollups WHERE step = '1h' AND meter = ?", (meter_id,)
            ).fetchall()
        )
    prune_in_old_file(path, first[0] + 1)  # the first hour's readings deleted by retention
    store = open_store(str(path), TALLINN)
    hours = store.series(P1_METER, "1h", *FOREVER)
    kept, *recomputed = hours
    assert kept.legacy
    assert kept.energy_import_wh == old_hours[int(kept.start.timestamp())]
    assert not any(h.legacy for h in recomputed)
    days = store.series(P1_METER, "1d", *FOREVER)
    assert days[0].legacy  # a day holding a legacy hour
    text = store.series_json(P1_METER, "1h", *FOREVER, None)  # type: ignore[attr-defined]
    assert text.count('"legacy":true') == 1
    readings = store.readings(P1_METER, *FOREVER)
    closed_by_first, *later = rollups(readings, "1h", TALLINN)  # that hour is the legacy one
    assert closed_by_first.start == kept.start
    assert [h.energy_import_wh for h in recomputed] == [h.energy_import_wh for h in later]
    store.close()


def test_an_hour_that_cannot_be_read_keeps_its_rollups_and_its_block(tmp_path: Path) -> None:
    path = golden_copy(tmp_path)
    with sqlite3.connect(path) as db:
        meter, hour, data = db.execute(
            "SELECT meter, hour, data FROM blocks ORDER BY meter, hour LIMIT 1 OFFSET 1"
        ).fetchone()
        broken = data[:1] + b"\x00damaged" + data[9:]
        db.execute("UPDATE blocks SET data = ? WHERE meter = ? AND hour = ?", (broken, meter, hour))
        key = db.execute("SELECT key FROM meters WHERE id = ?", (meter,)).fetchone()[0]
    store = open_store(str(path), TALLINN)  # the upgrade goes through
    assert {m.id for m in store.meters()} == {P1_METER, HDLC_METER}
    legacy = [h for h in store.series(key, "1h", *FOREVER) if h.legacy]
    # as computed before: the hour, and the one before, whose closing reading it holds
    assert [int(h.start.timestamp()) // 3600 for h in legacy] == [hour - 1, hour]
    quarters = [q for q in store.series(key, "15m", *FOREVER) if q.legacy]
    assert len(quarters) == 1 + 4
    with pytest.raises(BlockError, match="damaged"):
        store.readings(key, *FOREVER)  # the block is there, never rewritten
    store.close()
    with sqlite3.connect(path) as db:
        query = "SELECT data FROM blocks WHERE hour = ? AND meter = ?"
        assert db.execute(query, (hour, meter)).fetchone()[0] == broken


def test_a_failing_upgrade_leaves_the_file_as_it_was_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = golden_copy(tmp_path)
    before = contents(path)
    real = MIGRATIONS[0]

    def failing(db: sqlite3.Connection, zone: tzinfo) -> None:
        real(db, zone)  # all the work, then the disk fails before the commit
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(MIGRATIONS, 0, failing)
    with pytest.raises(StoreError) as raised:
        open_store(str(path), TALLINN)
    message = str(raised.value)
    assert message == (
        f"The database {path} could not be upgraded from storage version 0 to 1 (disk I/O "
        f"error); it is unchanged, and the copy from before is {path}.before-v1."
    )
    assert "on muutmata" in raised.value.text("et")
    assert contents(path) == before
    monkeypatch.setitem(MIGRATIONS, 0, real)
    store = open_store(str(path), TALLINN)  # once the disk works again
    assert len(store.readings(HDLC_METER, *FOREVER)) == 3 * 360 + 17
    store.close()
    assert [p.name for p in tmp_path.glob("*.before-*")] == ["hanport.db.before-v1"]


KILLED = textwrap.dedent(
    """
    import sys, time
    from zoneinfo import ZoneInfo
    from hanport.store import migrations, open_store

    real = migrations.MIGRATIONS[0]

    def slow(db, zone):
        real(db, zone)
        print("upgraded, not committed", flush=True)
        time.sleep(60)

    migrations.MIGRATIONS[0] = slow
    open_store(sys.argv[1], ZoneInfo("Europe/Tallinn"))
    """
)


def test_an_upgrade_killed_by_kill_9_starts_again_with_the_same_backup(tmp_path: Path) -> None:
    path = golden_copy(tmp_path)
    before = contents(path)
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "upgraded, not committed"
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    process.stdout.close()
    assert contents(path) == before
    backup = tmp_path / "hanport.db.before-v1"
    taken = backup.stat().st_mtime_ns
    store = open_store(str(path), TALLINN)
    assert as_json(store.readings(P1_METER, *FOREVER)) == [
        r for r in golden_readings() if "meter_id" not in r
    ]
    store.close()
    assert backup.stat().st_mtime_ns == taken  # the copy was not taken twice
    assert [p.name for p in tmp_path.glob("*.before-*")] == ["hanport.db.before-v1"]


def test_a_backup_of_other_content_is_never_overwritten(tmp_path: Path) -> None:
    path = golden_copy(tmp_path)
    other = tmp_path / "hanport.db.before-v1"
    other.write_bytes(b"a copy of something else")
    open_store(str(path), TALLINN).close()
    assert other.read_bytes() == b"a copy of something else"
    assert contents(tmp_path / "hanport.db.before-v1.2")[0] == "version 0"


def test_a_file_of_a_newer_hanport_is_refused_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    open_store(str(path), TALLINN).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = contents(path)
    with pytest.raises(StoreError) as raised:
        open_store(str(path), TALLINN)
    assert str(raised.value) == (
        f"The database {path} was written by a newer hanport (storage version "
        f"{SCHEMA_VERSION + 1}; this one knows up to {SCHEMA_VERSION}); upgrade hanport or "
        "restore a backup."
    )
    assert "uuem hanport" in raised.value.text("et")
    assert contents(path) == before


def test_a_new_file_starts_at_the_newest_version_without_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    Accounts(path).close()  # the app's tables first, as on a new install
    open_store(str(path), TALLINN).close()
    assert contents(path)[0] == f"version {SCHEMA_VERSION}"
    assert not list(tmp_path.glob("*.before-*"))


def test_without_upgrading_an_old_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = golden_copy(tmp_path)
    before = contents(path)
    with pytest.raises(StoreError, match="has storage version 0; hanport upgrades it"):
        open_store(str(path), TALLINN, upgrade=False)
    assert contents(path) == before
    assert not list(tmp_path.glob("*.before-*"))
