"""Backups: an online copy while another connection keeps writing holds every committed row,
restore round trips and refuses a database in use or a damaged backup, rotation keeps the
newest, `hanport db check` finds damage, and every file is 0600."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import stat
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import hanport
from hanport.backup import (
    BackupError,
    BackupSettings,
    RestoreError,
    backup_database,
    backup_name,
    backup_settings,
    backup_time,
    check_database,
    next_due,
    report_lines,
    restore_database,
    run_scheduled_backups,
    to_remove,
)
from hanport.cli.backup import add_backup_commands
from hanport.model import Reading
from hanport.settings.values import ConfigError, Raw
from hanport.sim.home import HomeSimulator
from hanport.store.schema import SCHEMA_VERSION
from hanport.store.sqlite import SqliteStore

ZONE = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def _readings(count: int, start: datetime = START, interval_s: int = 10) -> list[Reading]:
    sim = HomeSimulator(seed=2, start=start, interval_s=interval_s)
    return [r for _ in range(count) for r in hanport.decode(sim.next_telegram())]


def _database(path: Path, count: int = 2_000) -> Path:
    store = SqliteStore(path, ZONE)
    try:
        readings = _readings(count)
        for i in range(0, len(readings), 500):
            store.write(readings[i : i + 500])
    finally:
        store.close()
    return path


def _stored(path: Path) -> int:
    report = check_database(path)
    return sum(meter.readings for meter in report.meters)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_copy_holds_every_row_committed_before_it_began_while_writes_go_on(
    tmp_path: Path,
) -> None:
    live = _database(tmp_path / "live.db")
    writer = SqliteStore(live, ZONE)  # like hanport run: its own connection, committing
    later = iter(_readings(400, start=START + timedelta(days=1)))
    steps: list[int] = []

    def write_during_the_copy(done: int, total: int) -> None:
        steps.append(done)
        writer.write([next(later) for _ in range(20)])  # committed while the copy runs

    try:
        result = backup_database(
            live, tmp_path / "copy.db", pages_per_step=2, progress=write_during_the_copy
        )
    finally:
        writer.close()
    assert len(steps) > 5  # copied in many steps, a write committed after each
    assert result.pages == steps[-1]
    assert _stored(tmp_path / "copy.db") == 2_000  # the snapshot at the start, exactly
    assert _stored(live) == 2_000 + 20 * len(steps)
    assert check_database(tmp_path / "copy.db").intact


def test_copy_is_consistent_with_a_writer_thread(tmp_path: Path) -> None:
    live = _database(tmp_path / "live.db", 500)
    stop = threading.Event()
    committed: list[int] = []

    def keep_writing() -> None:
        db = sqlite3.connect(live, isolation_level=None)
        db.execute("CREATE TABLE IF NOT EXISTS ticks (n INTEGER PRIMARY KEY, pad BLOB)")
        n = 0
        while not stop.is_set():
            db.execute("INSERT INTO ticks VALUES (?, randomblob(500))", (n,))
            committed.append(n)
            n += 1
        db.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        while len(committed) < 200:
            pass
        before = len(committed)
        backup_database(live, tmp_path / "copy.db", pages_per_step=1)
    finally:
        stop.set()
        thread.join()
    copy = sqlite3.connect(tmp_path / "copy.db")
    ticks = [n for (n,) in copy.execute("SELECT n FROM ticks ORDER BY n")]
    copy.close()
    assert len(ticks) >= before  # every row committed before the copy began
    assert ticks == list(range(len(ticks)))  # and no gap: one consistent moment
    assert check_database(tmp_path / "copy.db").intact


def test_copy_is_private_self_contained_and_never_overwrites(tmp_path: Path) -> None:
    live = _database(tmp_path / "live.db", 100)
    copy = tmp_path / "copy.db"
    backup_database(live, copy)
    assert _mode(copy) == 0o600  # it holds the app's password hashes
    assert copy.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one file, no -wal
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    with pytest.raises(BackupError, match="exists already"):
        backup_database(live, copy)
    with pytest.raises(BackupError, match="does not exist; create it"):
        backup_database(live, tmp_path / "nowhere" / "copy.db")
    with pytest.raises(BackupError, match="There is no database"):
        backup_database(tmp_path / "missing.db", tmp_path / "c2.db")
    (tmp_path / "text.db").write_text("not a database at all, just some text" * 100)
    with pytest.raises(BackupError, match="is not an SQLite database"):
        backup_database(tmp_path / "text.db", tmp_path / "c3.db")
    assert not (tmp_path / "c3.db").exists()


def test_a_full_disk_is_one_sentence_and_leaves_nothing(tmp_path: Path) -> None:
    live = _database(tmp_path / "live.db", 2_000)
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(small)], check=True)
    try:
        with pytest.raises(BackupError, match="the disk is full; free some space"):
            backup_database(live, small / "copy.db")
        assert list(small.iterdir()) == []  # no partial copy fills the disk
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_restore_round_trip_keeps_the_replaced_database(tmp_path: Path) -> None:
    live = _database(tmp_path / "live.db", 1_000)
    backup_database(live, tmp_path / "saved.db")
    store = SqliteStore(live, ZONE)
    store.write(_readings(300, start=START + timedelta(days=2)))
    store.close()
    assert _stored(live) == 1_300

    result = restore_database(tmp_path / "saved.db", live)
    assert result.before == tmp_path / "live.db.before-restore"
    assert _stored(live) == 1_000
    assert _stored(result.before) == 1_300  # nothing is lost by a restore
    assert _mode(result.before) == 0o600
    assert _mode(live) == 0o600
    assert live.read_bytes()[18:20] == b"\x02\x02"  # back in WAL mode, as hanport runs it
    store = SqliteStore(live, ZONE)  # and hanport can write to it again
    store.write(_readings(10, start=START + timedelta(days=3)))
    store.close()
    assert _stored(live) == 1_010


def test_restore_into_a_missing_database_creates_it(tmp_path: Path) -> None:
    backup_database(_database(tmp_path / "live.db", 50), tmp_path / "saved.db")
    target = tmp_path / "new" / "hanport.db"
    target.parent.mkdir()
    result = restore_database(tmp_path / "saved.db", target)
    assert result.before is None
    assert _stored(target) == 50
    assert _mode(target) == 0o600


def test_restore_replaces_a_database_sqlite_cannot_open(tmp_path: Path) -> None:
    backup_database(_database(tmp_path / "live.db", 50), tmp_path / "saved.db")
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\x00garbage after a power cut" * 200)
    result = restore_database(tmp_path / "saved.db", broken)
    assert result.before == tmp_path / "broken.db.before-restore"
    assert result.before.read_bytes() == b"\x00garbage after a power cut" * 200  # kept as it was
    assert _stored(broken) == 50


def test_restore_refuses_a_database_in_use(tmp_path: Path) -> None:
    live = _database(tmp_path / "live.db", 100)
    backup_database(live, tmp_path / "saved.db")
    running = SqliteStore(live, ZONE)  # hanport run has it open
    running.write(_readings(5, start=START + timedelta(days=1)))
    try:
        with pytest.raises(RestoreError, match=r"is in use \(is hanport running\?\)"):
            restore_database(tmp_path / "saved.db", live)
    finally:
        running.close()
    assert not (tmp_path / "live.db.before-restore").exists()
    assert _stored(live) == 105  # untouched


def test_restore_refuses_a_damaged_backup_and_db_check_finds_it(tmp_path: Path) -> None:
    live = _database(tmp_path / "live.db", 2_000)
    copy = tmp_path / "copy.db"
    backup_database(live, copy)
    data = bytearray(copy.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 7 * page):  # scribble over b-tree pages
        data[offset : offset + 64] = b"\xff" * 64
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    with pytest.raises(RestoreError, match="is damaged"):
        restore_database(damaged, live)
    assert not (tmp_path / "live.db.before-restore").exists()
    report = check_database(damaged)
    assert not report.intact
    assert "DAMAGED" in report_lines(report, "en")[1]
    assert "KAHJUSTATUD" in report_lines(report, "et")[1]


def test_restore_refuses_an_sqlite_file_that_is_not_hanport(tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE notes (text TEXT)")
    other.commit()
    other.close()
    with pytest.raises(RestoreError, match="not a hanport database"):
        restore_database(tmp_path / "other.db", tmp_path / "live.db")


def test_db_check_reports_schema_sizes_and_readings_per_meter(tmp_path: Path) -> None:
    live = _database(tmp_path / "live.db", 1_000)  # 2 h 46 min: sealed hours and an open one
    report = check_database(live)
    assert report.intact
    assert report.user_version == SCHEMA_VERSION
    assert report.problem is None
    assert report.page_count * report.page_size == report.file_size
    tables = {t.name: t for t in report.tables}
    assert {"meters", "blocks", "pending", "rollups"} <= set(tables)
    assert tables["meters"].rows == 1
    assert tables["blocks"].rows == 2  # two sealed hours
    assert all(t.size is not None and t.size > 0 for t in report.tables)
    (meter,) = report.meters
    assert meter.readings == 1_000
    assert meter.first == START
    assert meter.last == START + timedelta(seconds=9_990)
    english = report_lines(report, "en")
    estonian = report_lines(report, "et")
    assert english[1] == "integrity: ok (integrity_check and quick_check)"
    assert english[2] == f"schema version: {SCHEMA_VERSION}"
    assert meter.meter.startswith("9")  # the simulated E360's serial
    shown = meter.meter
    assert english[-1].startswith(f"meter {shown}: 1000 readings from 2026-03-01T12:00:00+02:00 to")
    assert estonian[-1].startswith(f"arvesti {shown}: 1 000 näitu, 2026-03-01T12:00:00+02:00 kuni")
    assert "table meters: 8.2 kB, rows: 1" in english


def test_db_check_leaves_an_older_or_newer_storage_version_as_it_is(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent.parent / "store" / "fixtures" / "hanport-0.1.0.db", old)
    before = old.read_bytes()
    report = check_database(old)
    assert report.user_version == 0
    assert report.meters == []
    assert report.problem is not None
    english, estonian = report_lines(report, "en"), report_lines(report, "et")
    assert any("upgrades it to version 1, after taking a copy" in line for line in english)
    assert any("uuendab selle versioonile 1" in line for line in estonian)
    assert old.read_bytes() == before
    assert not list(tmp_path.glob("*.before-v*"))
    newer = _database(tmp_path / "newer.db", 10)
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    lines = report_lines(check_database(newer), "en")
    assert any("was written by a newer hanport" in line for line in lines)


def test_rotation_keeps_the_newest_and_never_touches_other_files() -> None:
    moment = datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("Europe/Tallinn"))
    assert backup_name(moment) == "hanport-20261024-213000.db"  # UTC
    assert backup_time("hanport-20261024-213000.db") == datetime(2026, 10, 24, 21, 30, tzinfo=UTC)
    assert backup_time("hanport-20261399-000000.db") is None
    assert backup_time("notes.db") is None
    names = [
        "hanport-20260103-000000.db",
        "hanport-20260101-000000.db",
        "my-own-copy.db",
        "hanport-20260102-000000.db",
        "hanport-20260104-000000.db",
    ]
    assert to_remove(names, 2) == ["hanport-20260101-000000.db", "hanport-20260102-000000.db"]
    assert to_remove(names, 10) == []
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    assert next_due(names, now, 7) == datetime(2026, 1, 11, tzinfo=UTC)
    assert next_due(["my-own-copy.db"], now, 7) == now  # none yet: at once
    assert next_due(["hanport-20270101-000000.db"], now, 7) == now  # the clock was wrong


def test_backup_settings_name_the_setting_in_each_problem(tmp_path: Path) -> None:
    assert backup_settings({}) == BackupSettings(every_days=7, keep=4, folder=None)
    settings = backup_settings(
        {"every_days": (1, "backup.every_days in x.toml"), "keep": ("14", "HANPORT_BACKUP_KEEP")}
    )
    assert (settings.every_days, settings.keep) == (1, 14)
    assert settings.folder_for(tmp_path / "hanport.db") == tmp_path / "backups"
    cases: list[tuple[Raw, str]] = [
        ({"every_days": (-1, "backup.every_days in x.toml")}, "backup.every_days in x.toml"),
        ({"keep": (0, "HANPORT_BACKUP_KEEP")}, "from HANPORT_BACKUP_KEEP must be a whole number"),
        ({"folder": ("", "backup.folder in x.toml")}, "backup folder from backup.folder"),
    ]
    for raw, message in cases:
        with pytest.raises(ConfigError, match=message):
            backup_settings(raw)
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match="is a file; name a folder"):
        backup_settings({"folder": (str(tmp_path / "file"), "backup.folder in x.toml")})


def test_scheduled_backups_copy_at_once_then_keep_the_newest(tmp_path: Path) -> None:
    live = _database(tmp_path / "live.db", 100)
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"hanport-2026010{day}-000000.db").write_bytes(b"old")
    (folder / "keep-me.txt").write_text("mine")
    clock = datetime(2026, 2, 1, 3, 0, tzinfo=UTC)

    async def scenario() -> None:
        task = asyncio.create_task(
            run_scheduled_backups(
                live, BackupSettings(every_days=1, keep=2, folder=str(folder)), now=lambda: clock
            )
        )
        for _ in range(500):
            if (folder / "hanport-20260201-030000.db").exists():
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # the rotation follows the copy
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(scenario())
    assert sorted(p.name for p in folder.iterdir()) == [
        "hanport-20260103-000000.db",
        "hanport-20260201-030000.db",
        "keep-me.txt",
    ]
    assert _stored(folder / "hanport-20260201-030000.db") == 100
    assert _mode(folder / "hanport-20260201-030000.db") == 0o600


def test_scheduled_backups_off_returns_at_once(tmp_path: Path) -> None:
    asyncio.run(run_scheduled_backups(tmp_path / "x.db", BackupSettings(every_days=0)))
    assert list(tmp_path.iterdir()) == []


def test_backup_restore_and_check_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="hanport")
    add_backup_commands(parser.add_subparsers(required=True))
    live = str(_database(tmp_path / "live.db", 100))

    def run(*argv: str, language: str = "en") -> int:
        args = parser.parse_args(argv)
        result: int = args.handler(args, language)
        return result

    folder = tmp_path / "out"
    folder.mkdir()
    assert run("backup", str(folder), "--database", live) == 0
    (made,) = folder.iterdir()
    assert backup_time(made.name) is not None
    assert f"Backed up {live} to {made}" in capsys.readouterr().out
    assert run("restore", str(made), "--database", live, language="et") == 0
    assert "endine andmebaas on alles failis" in capsys.readouterr().out
    assert run("db", "check", "--database", live) == 0
    assert "integrity: ok" in capsys.readouterr().out
    assert run("backup", str(made), "--database", live) == 2
    assert "exists already" in capsys.readouterr().err
    assert run("db", "check", "--database", str(tmp_path / "none.db"), language="et") == 2
    assert "Andmebaasi" in capsys.readouterr().err
