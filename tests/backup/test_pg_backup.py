"""Backups of a PostgreSQL database, against the machine's PostgreSQL: `hanport backup` is a
pg_dump archive (0600, the password never on pg_dump's command line nor in any sentence),
`hanport restore` puts every reading back exactly in one transaction and keeps the tables it
replaces, refuses the other kind of backup, a database in use and a damaged archive without
changing anything, `hanport db check` reports versions, sizes and readings in both languages,
and scheduled backups rotate `.dump` files apart from SQLite's `.db` copies."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import stat
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import psycopg
import pytest
from store.postgres_db import server_url

import hanport
from hanport.backup import BackupSettings, run_scheduled_backups
from hanport.backup.pg_backup import backup_kind, backup_postgres
from hanport.backup.pg_restore import PG_TABLES, PgRestoreError, restore_postgres
from hanport.cli.backup import add_backup_commands
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.store import open_store
from hanport.store.sqlite import SqliteStore

ZONE = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
PASSWORD = "s3cret-Pw"  # the machine's PostgreSQL trusts 127.0.0.1: any password is taken


@pytest.fixture(name="database")
def database_fixture() -> Iterator[str]:
    """A database of its own for the test (pg_dump and pg_restore work on whole databases), in
    a URL with a password, dropped after the test."""
    server = server_url()
    name = f"hanport_bk_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _readings(count: int, start: datetime = START) -> list[Reading]:
    sim = HomeSimulator(seed=2, start=start, interval_s=10)
    return [r for _ in range(count) for r in hanport.decode(sim.next_telegram())]


def _write(url: str, readings: list[Reading]) -> None:
    store = open_store(url, ZONE)
    try:
        store.write(readings)
    finally:
        store.close()


def _stored(url: str) -> list[Reading]:
    store = open_store(url, ZONE)
    try:
        return [
            reading
            for meter in store.meters()
            for reading in store.readings(
                meter.id, START - timedelta(days=1), START + timedelta(days=9)
            )
        ]
    finally:
        store.close()


def _cli() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hanport")
    add_backup_commands(parser.add_subparsers(required=True))
    return parser


def _run(*argv: str, language: str = "en") -> int:
    args = _cli().parse_args(argv)
    result: int = args.handler(args, language)
    return result


def _spy(folder: Path, tool: str) -> Path:
    """A `tool` before the real one on PATH that writes its arguments and PGPASSWORD down."""
    folder.mkdir(exist_ok=True)
    spy = folder / tool
    spy.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{folder}/{tool}.argv"\n'
        f'printf "%s" "$PGPASSWORD" > "{folder}/{tool}.password"\n'
        f'exec /usr/bin/{tool} "$@"\n'
    )
    spy.chmod(0o755)
    return folder


def test_round_trip_restores_every_reading_exactly_and_keeps_the_replaced_tables(
    database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _readings(400)
    _write(database, first)
    before = _stored(database)
    assert len(before) == len(first)
    assert isinstance(before[0].voltage_l1_v, Decimal)
    spies = _spy(tmp_path / "bin", "pg_dump")
    monkeypatch.setenv("PATH", f"{spies}:{os.environ['PATH']}")
    folder = tmp_path / "backups"
    folder.mkdir()

    assert _run("backup", str(folder), "--database", database) == 0
    said = capsys.readouterr().out
    (made,) = folder.iterdir()
    assert made.name.startswith("hanport-")
    assert made.suffix == ".dump"
    assert backup_kind(made) == "pgdump"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert PASSWORD not in said
    assert "postgres:***@127.0.0.1" in said
    assert str(made) in said
    argv = (spies / "pg_dump.argv").read_text()
    assert PASSWORD not in argv
    assert "--format=custom" in argv
    assert "dbname=hanport_bk_" in argv
    assert (spies / "pg_dump.password").read_text() == PASSWORD

    _write(database, _readings(50, START + timedelta(days=2)))  # more readings, another month
    with psycopg.connect(database.replace(f":{PASSWORD}", ""), autocommit=True) as db:
        db.execute("DELETE FROM rollups")
        db.execute("DELETE FROM blocks WHERE hour = (SELECT min(hour) FROM blocks)")
    changed = _stored(database)
    assert changed[-1].meter_time != before[-1].meter_time
    assert len(changed) < len(before)

    assert _run("restore", str(made), "--database", database) == 0
    said = capsys.readouterr().out
    (kept,) = folder.glob("hanport-before-restore-*.dump")
    assert f"the tables as they were are kept in {kept}" in said
    assert PASSWORD not in said
    after = _stored(database)
    assert len(after) == len(before)
    for i, (a, b) in enumerate(zip(after, before, strict=True)):
        assert a == b, (i, a, b)
    assert after == before  # every field, Decimal for Decimal
    assert [r.voltage_l1_v for r in after] == [r.voltage_l1_v for r in before]

    assert _run("restore", str(kept), "--database", database, language="et") == 0
    assert "tabelite endine seis on alles failis" in capsys.readouterr().out
    assert _stored(database) == changed  # the kept tables put back what the restore replaced


def test_restore_into_an_empty_database_and_a_schema_of_its_own(
    database: str, tmp_path: Path
) -> None:
    schema_url = f"{database}?options={quote('-csearch_path=mine')}"
    with psycopg.connect(database, autocommit=True) as db:
        db.execute("CREATE SCHEMA mine")
        db.execute("CREATE TABLE public.not_hanport (a integer)")
    readings = _readings(200)
    _write(schema_url, readings)
    dump = backup_postgres(schema_url, tmp_path / "mine.dump").path
    with psycopg.connect(database, autocommit=True) as db:
        db.execute("DROP SCHEMA mine CASCADE")
        db.execute("CREATE SCHEMA mine")
        db.execute("CREATE TABLE mine.yours (a integer)")
    done = restore_postgres(dump, schema_url)
    assert done.before is None  # there were no hanport tables to keep
    assert _stored(schema_url) == _stored_once(readings, schema_url)
    with psycopg.connect(database, autocommit=True) as db:
        names = {row[0] for row in db.execute("SELECT relname FROM pg_class WHERE relkind = 'r'")}
    assert {"not_hanport", "yours"} <= names  # only hanport's tables were touched

    # a dump of the schema `mine` is refused for a URL that uses `public`
    with pytest.raises(PgRestoreError, match="holds the schema mine, but the database"):
        restore_postgres(dump, database)


def _stored_once(readings: list[Reading], url: str) -> list[Reading]:
    stored = _stored(url)
    assert len(stored) == len(readings)
    return stored


def test_wrong_kinds_of_backup_are_refused_in_one_sentence(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(database, _readings(50))
    sqlite_file = tmp_path / "hanport.db"
    store = SqliteStore(sqlite_file, ZONE)
    store.write(_readings(20))
    store.close()
    dump = backup_postgres(database, tmp_path / "pg.dump").path
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    before = _stored(database)

    assert _run("restore", str(sqlite_file), "--database", database) == 2
    err = capsys.readouterr().err
    assert "is a SQLite backup, but the database" in err
    assert "Traceback" not in err
    assert PASSWORD not in err
    assert _run("restore", str(dump), "--database", str(sqlite_file), language="et") == 2
    assert "on PostgreSQL'i varukoopia (pg_dump), aga andmebaas" in capsys.readouterr().err
    assert _run("restore", str(other), "--database", database) == 2
    assert "begins with PGDMP" in capsys.readouterr().err
    assert _run("restore", str(tmp_path / "none.dump"), "--database", database) == 2
    assert "There is no backup" in capsys.readouterr().err
    assert _stored(database) == before
    assert len(SqliteStore(sqlite_file, ZONE).meters()) == 1


def test_a_database_in_use_and_a_damaged_archive_change_nothing(
    database: str, tmp_path: Path
) -> None:
    _write(database, _readings(300))
    dump = backup_postgres(database, tmp_path / "good.dump").path
    _write(database, _readings(30, START + timedelta(days=3)))
    before = _stored(database)

    store = open_store(database, ZONE)  # as `hanport run` would hold it
    try:
        with pytest.raises(PgRestoreError, match=r"is in use \(one other connection; is hanport"):
            restore_postgres(dump, database)
    finally:
        store.close()

    damaged = tmp_path / "damaged.dump"
    data = dump.read_bytes()
    damaged.write_bytes(data[: len(data) - 3000])  # the table of contents stays readable
    with pytest.raises(
        PgRestoreError, match=r"nothing was changed \(the restore is one transaction"
    ):
        restore_postgres(damaged, database)
    assert _stored(database) == before

    with psycopg.connect(database.replace(f":{PASSWORD}", ""), autocommit=True) as db:
        db.execute("CREATE VIEW my_view AS SELECT key FROM meters")  # a user's view on hanport's
    with pytest.raises(PgRestoreError, match=r"Restoring .* failed .*depend"):
        restore_postgres(dump, database)
    assert _stored(database) == before


def test_missing_or_failing_pg_dump_is_one_sentence(
    database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _write(database, _readings(20))
    dump = backup_postgres(database, tmp_path / "made.dump").path
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    target = tmp_path / "x.dump"
    assert _run("backup", str(target), "--database", database) == 2
    err = capsys.readouterr().err
    assert "pg_dump is not installed" in err
    assert "sudo apt install postgresql-client" in err
    assert not target.exists()
    assert "Traceback" not in err
    assert _run("restore", str(dump), "--database", database, language="et") == 2
    err = capsys.readouterr().err
    assert "pg_restore pole paigaldatud" in err
    assert "postgresql-client" in err

    only_restore = _spy(tmp_path / "restore-bin", "pg_restore")  # pg_restore, but no psql
    monkeypatch.setenv("PATH", str(only_restore))
    assert _run("restore", str(dump), "--database", database) == 2
    assert "psql is not installed" in capsys.readouterr().err
    assert list(tmp_path.glob("hanport-before-restore-*")) == []  # refused before anything

    failing = tmp_path / "bin"
    failing.mkdir()
    (failing / "pg_dump").write_text(
        "#!/bin/sh\necho 'pg_dump: error: query failed: out of cheese' >&2\necho 'more' >&2\n"
        "exit 1\n"
    )
    (failing / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", str(failing))
    assert _run("backup", str(target), "--database", database) == 2
    err = capsys.readouterr().err
    assert "The backup to" in err
    assert "(pg_dump: query failed: out of cheese)" in err
    assert "more" not in err
    assert not target.exists()
    assert list(tmp_path.glob(".x.dump.partial")) == []


def test_db_check_reports_versions_sizes_and_readings(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("db", "check", "--database", database) == 0
    out = capsys.readouterr().out
    assert "schema version: - (none)" in out
    assert "no hanport tables" in out
    _write(database, _readings(120))
    assert _run("db", "check", "--database", database) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Database {database.replace(PASSWORD, '***')}"
    assert lines[1].startswith("connection: ok (PostgreSQL 1")
    assert "schema public)" in lines[1]
    assert lines[2] == "schema version: 1 (current)"
    for table in PG_TABLES:
        assert any(line.startswith(f"table {table}: ") and " kB, rows: " in line for line in lines)
    assert any(line.startswith("table pending: ") and "rows: 1" in line for line in lines)
    assert any(line.startswith("in all: ") and "kB" in line for line in lines)
    assert any(
        line.startswith("meter ") and ": 120 readings from 2026-03-01T12:00:00+02:00" in line
        for line in lines
    )
    assert PASSWORD not in out

    assert _run("db", "check", "--database", database, language="et") == 0
    out = capsys.readouterr().out
    assert "ühendus: korras" in out
    assert "(ajakohane)" in out
    assert "120 näitu" in out

    plain = database.replace(f":{PASSWORD}", "")
    with psycopg.connect(plain, autocommit=True) as db:
        db.execute("UPDATE hanport_version SET version = 99")
    assert _run("db", "check", "--database", database) == 0
    assert "schema version: 99 (newer than this hanport knows (up to 1)" in capsys.readouterr().out
    with psycopg.connect(plain, autocommit=True) as db:
        db.execute("UPDATE hanport_version SET version = 0")
    assert _run("db", "check", "--database", database) == 0
    out = capsys.readouterr().out
    assert "schema version: 0 (older: hanport upgrades it to version 1" in out
    assert "meter " not in out
    with psycopg.connect(plain, autocommit=True) as db:
        (version,) = db.execute("SELECT version FROM hanport_version").fetchone() or (None,)
    assert version == 0  # the check upgraded nothing

    missing = database.rsplit("/", 1)[0] + "/hanport_no_such_db"
    assert _run("db", "check", "--database", missing) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err
    assert "does not exist" in err
    assert PASSWORD not in err


def test_scheduled_backups_of_postgresql_rotate_their_own_dumps(
    database: str, tmp_path: Path
) -> None:
    _write(database, _readings(60))
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"hanport-2026010{day}-000000.dump").write_bytes(b"PGDMP old")
        (folder / f"hanport-2026010{day}-000000.db").write_bytes(b"old sqlite")
    clock = datetime(2026, 2, 1, 3, 0, tzinfo=UTC)
    made = folder / "hanport-20260201-030000.dump"

    async def scenario() -> None:
        task = asyncio.create_task(
            run_scheduled_backups(
                database,
                BackupSettings(every_days=1, keep=2, folder=str(folder)),
                now=lambda: clock,
            )
        )
        for _ in range(1000):
            if made.exists():
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # the rotation follows the dump
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(scenario())
    assert sorted(p.name for p in folder.iterdir()) == [
        "hanport-20260101-000000.db",
        "hanport-20260102-000000.db",
        "hanport-20260103-000000.db",
        "hanport-20260103-000000.dump",
        "hanport-20260201-030000.dump",
    ]
    assert backup_kind(made) == "pgdump"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert BackupSettings().folder_for(database) == Path("backups").resolve()


def test_names_urls_and_passwords() -> None:
    from hanport.backup.pg_tools import connection_for_tool, safe_url
    from hanport.backup.rotation import backup_name, backup_time, next_due, to_remove

    url = "postgresql://u:p%40ss@db.example:5433/h?site=x&password=other&sslmode=require"
    assert (
        safe_url(url) == "postgresql://u:***@db.example:5433/h?site=x&password=***&sslmode=require"
    )
    conninfo, environment = connection_for_tool(url)
    assert "p@ss" not in conninfo
    assert "other" not in conninfo
    assert "site" not in conninfo
    assert "sslmode=require" in conninfo
    assert "port=5433" in conninfo
    assert environment["PGPASSWORD"] == "other"  # libpq's rule: the parameter wins
    moment = datetime(2026, 10, 24, 21, 30, tzinfo=UTC)
    assert backup_name(moment, ".dump") == "hanport-20261024-213000.dump"
    assert backup_time("hanport-20261024-213000.dump", ".db") is None
    assert backup_time("hanport-20261024-213000.dump") == moment
    names = ["hanport-20260101-000000.db", "hanport-20260102-000000.dump"]
    names += ["hanport-20260103-000000.dump", "hanport-20260104-000000.db"]
    assert to_remove(names, 1, ".dump") == ["hanport-20260102-000000.dump"]
    assert to_remove(names, 1, ".db") == ["hanport-20260101-000000.db"]
    assert next_due(names, moment, 7, ".dump") == datetime(2026, 1, 10, tzinfo=UTC)


def test_a_backup_while_a_writer_goes_on_holds_whole_batches(database: str, tmp_path: Path) -> None:
    """pg_dump reads one snapshot: the backup holds the batches committed before it began,
    each whole, while the writer goes on committing."""
    batch = 30
    readings = _readings(batch * 40)
    _write(database, readings[:batch])
    stop = threading.Event()
    written = [1]

    def writer() -> None:
        store = open_store(database, ZONE)
        try:
            for i in range(1, 40):
                if stop.is_set():
                    break
                store.write(readings[i * batch : (i + 1) * batch])
                written[0] = i + 1
                time.sleep(0.05)  # 2 s for the 40 batches: the dump is taken meanwhile
        finally:
            store.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 5:
            time.sleep(0.01)
        dump = backup_postgres(database, tmp_path / "live.dump").path
    finally:
        stop.set()
        thread.join()
    server = server_url()
    copy = f"hanport_bk_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {copy}")
    try:
        restore_postgres(dump, f"{server}/{copy}")
        restored = _stored(f"{server}/{copy}")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
    assert len(restored) >= 5 * batch
    assert len(restored) < len(readings)  # the writer was still going
    assert len(restored) % batch == 0
    assert restored == _stored(database)[: len(restored)]


def test_sqlite_urls_and_unknown_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hanport.db"
    store = SqliteStore(path, ZONE)
    store.write(_readings(20))
    store.close()
    assert _run("db", "check", "--database", f"sqlite:///{path}") == 0
    assert f"Database {path}" in capsys.readouterr().out
    folder = tmp_path / "out"
    folder.mkdir()
    assert _run("backup", str(folder), "--database", f"sqlite:///{path}") == 0
    (made,) = folder.iterdir()
    assert made.suffix == ".db"
    assert backup_kind(made) == "sqlite"
    assert _run("db", "check", "--database", "mysql://u:pw@host/db") == 2
    err = capsys.readouterr().err
    assert "mysql:// is not a database it knows" in err
    assert "pw" not in err
