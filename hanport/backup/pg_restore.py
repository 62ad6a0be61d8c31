"""`hanport restore` into a PostgreSQL database: `pg_restore --clean --if-exists` of a dump
that `hanport backup` made, in one transaction.

The backup is checked first: a pg_dump archive (`PGDMP`; a SQLite backup is refused), one that
pg_restore can read, with hanport's tables, of the schema the database URL uses. The restore is
refused while any other client is connected to the database (`hanport run`, the server, psql):
stop them first. When the database holds hanport's tables already, they are dumped first to
`hanport-before-restore-YYYYMMDD-HHMMSS.dump` beside the backup (`hanport restore` of that file
puts them back), as the SQLite restore keeps `<name>.before-restore`. hanport's tables are then
dropped and the backup's created and filled (pg_restore's script, run by psql) in a single
transaction: a failure changes nothing. The schema itself is left in place (only hanport's
tables are replaced), so other objects in it and its privileges stay; a view of yours on
hanport's tables makes the restore fail (drop it first), never silently dropped.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from hanport.backup.errors import BackupProblem
from hanport.backup.pg_backup import backup_kind, backup_postgres, connect, hanport_schema
from hanport.backup.pg_tools import (
    connection_for_tool,
    first_line,
    run_tool,
    safe_url,
    tool_path,
)

__all__ = ["PG_TABLES", "PgRestoreError", "PgRestoreResult", "before_name", "restore_postgres"]

PG_TABLES = (
    "hanport_version",
    "sites",
    "meters",
    "pending",
    "blocks",
    "rollups",
    "rollup_state",
    "records",
)
"""hanport's tables (storage version 1): dropped before the backup's are restored."""

_CHUNK = 1 << 16
_PSQL_WHERE = re.compile(r"^psql:[^ ]*: ")


class PgRestoreError(BackupProblem):
    """Nothing was restored (a failed pg_restore rolled its transaction back)."""


@dataclass(frozen=True)
class PgRestoreResult:
    database: str
    """The URL as it may be shown (no password)."""
    backup: Path
    before: Path | None
    """Where the replaced tables were dumped; None when the database had none."""


def before_name(moment: datetime) -> str:
    return f"hanport-before-restore-{moment.astimezone(UTC):%Y%m%d-%H%M%S}.dump"


def restore_postgres(
    backup: str | Path,
    url: str,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PgRestoreResult:
    backup_path, shown = Path(backup), safe_url(url)
    kind = backup_kind(backup_path)
    if not backup_path.is_file():
        raise PgRestoreError("backup.no_backup", path=backup_path)
    if kind == "sqlite":
        raise PgRestoreError("backup.pg_sqlite_backup", path=backup_path, database=shown)
    if kind != "pgdump":
        raise PgRestoreError("backup.pg_not_dump", path=backup_path)
    for tool in ("pg_restore", "psql"):  # both, before anything is dumped or changed
        tool_path(tool, PgRestoreError)
    entries = _entries(backup_path)
    schema = _dumped_schema(entries, backup_path)
    with connect(url, PgRestoreError) as db:
        current = db.execute("SELECT current_schema()").fetchone()
        target = str(current[0]) if current and current[0] is not None else None
        if target != schema:
            raise PgRestoreError(
                "backup.pg_other_schema",
                path=backup_path,
                schema=schema,
                database=shown,
                target=target or "-",
            )
        others = db.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ).fetchone()
        if others and others[0]:
            count = int(others[0])
            code = "backup.pg_in_use_one" if count == 1 else "backup.pg_in_use"
            raise PgRestoreError(code, database=shown, count=count)
        existing = hanport_schema(db) is not None
    before = _keep(url, backup_path, now()) if existing else None
    _restore(url, backup_path, entries, schema, shown, before)
    with connect(url, PgRestoreError) as db:  # pg_restore leaves no planner statistics
        db.execute(f"ANALYZE {', '.join(_qualified(schema, _tables(entries)))}")
    return PgRestoreResult(shown, backup_path, before)


def _entries(backup: Path) -> list[str]:
    """The archive's table of contents (`pg_restore --list`): one line per entry."""
    listing = run_tool(
        "pg_restore",
        ["--list", str(backup)],
        None,
        code="backup.backup_damaged",
        error=PgRestoreError,
        path=backup,
    )
    return [line for line in listing.splitlines() if line.strip() and not line.startswith(";")]


def _dumped_schema(entries: list[str], backup: Path) -> str:
    """The schema of the dump's hanport_version table; one sentence when it has none."""
    for entry in entries:
        fields = entry.split()
        if _is_table(fields) and fields[5] == "hanport_version":
            return fields[4]
    raise PgRestoreError("backup.pg_dump_not_hanport", path=backup)


def _keep(url: str, backup: Path, moment: datetime) -> Path:
    folder = backup.resolve().parent
    before = folder / before_name(moment)
    for again in range(2, 100):  # a second restore within the same second
        if not before.exists():
            break
        before = folder / before_name(moment).replace(".dump", f"-{again}.dump")
    try:
        backup_postgres(url, before, PgRestoreError)
    except PgRestoreError as failure:
        raise PgRestoreError("backup.pg_keep_failed", path=before, reason=failure) from None
    return before


def _restore(
    url: str, backup: Path, entries: list[str], schema: str, shown: str, before: Path | None
) -> None:
    """pg_restore's script of every entry but the schema's own (kept as it is), after dropping
    hanport's tables, run by psql in one transaction. (`pg_restore --clean` cannot drop a
    partitioned table's partitions: their primary keys are inherited.) The script is relayed
    here, so that psql's input ends only after pg_restore ended well: a pg_restore that fails
    midway (a damaged archive) has psql killed with its transaction open, never committed."""
    restore, psql = tool_path("pg_restore", PgRestoreError), tool_path("psql", PgRestoreError)
    conninfo, environment = connection_for_tool(url, PgRestoreError)
    wanted = [entry for entry in entries if not _schema_entry(entry)]
    tables = sorted(set(_tables(entries)) | set(PG_TABLES))
    drop = f"DROP TABLE IF EXISTS {', '.join(_qualified(schema, tables))}"
    values = {"database": shown, "backup": backup, "before": before}
    code = "backup.pg_restore_failed" if before else "backup.pg_restore_new_failed"
    handle, listed = tempfile.mkstemp(prefix="hanport-restore-", suffix=".list")
    try:
        with os.fdopen(handle, "w") as file:
            file.write("\n".join(wanted) + "\n")
        with tempfile.TemporaryFile() as said_restore, tempfile.TemporaryFile() as said_psql:
            producer = subprocess.Popen(
                [restore, "--no-owner", f"--use-list={listed}", "--file=-", str(backup)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=said_restore,
                env=environment,
            )
            consumer = subprocess.Popen(
                [
                    psql,
                    "--no-psqlrc",
                    "--quiet",
                    "--single-transaction",
                    "--set=ON_ERROR_STOP=1",
                    f"--dbname={conninfo}",
                    "--command=SET client_min_messages = warning",
                    f"--command={drop}",
                    "--file=-",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=said_psql,
                env=environment,
            )
            restored = _relay(producer, consumer)
            if not restored:
                raise PgRestoreError(code, detail=_said(said_restore, "pg_restore"), **values)
            if consumer.returncode != 0:
                raise PgRestoreError(code, detail=_said(said_psql, "psql"), **values)
    except OSError as failure:
        raise PgRestoreError(code, detail=failure.strerror or str(failure), **values) from None
    finally:
        os.unlink(listed)


def _relay(producer: subprocess.Popen[bytes], consumer: subprocess.Popen[bytes]) -> bool:
    """Copy pg_restore's script to psql; whether pg_restore ended well (else psql is killed
    before its input ends, so that its transaction is rolled back)."""
    source, sink = producer.stdout, consumer.stdin
    if source is None or sink is None:  # both made with PIPE
        raise OSError("no pipe")
    try:
        while chunk := source.read(_CHUNK):
            try:
                sink.write(chunk)
            except BrokenPipeError:  # psql stopped at an error: its transaction is gone
                break
    finally:
        source.close()
        producer.wait()
        if producer.returncode != 0:
            consumer.kill()
        with contextlib.suppress(BrokenPipeError):
            sink.close()
        consumer.wait()
    return producer.returncode == 0


def _said(file: IO[bytes], tool: str) -> str:
    file.seek(0)
    line = first_line(file.read().decode(errors="replace"), tool)
    line = _PSQL_WHERE.sub("", line)
    return line.removeprefix("ERROR:").strip()


def _tables(entries: list[str]) -> list[str]:
    """The tables the archive holds (partitions too)."""
    return [fields[5] for entry in entries if _is_table(fields := entry.split())]


def _is_table(fields: list[str]) -> bool:
    """`215; 1259 27504 TABLE public blocks owner`, not `TABLE DATA …` nor `TABLE ATTACH …`."""
    return len(fields) > 5 and fields[3] == "TABLE" and fields[4] not in ("DATA", "ATTACH")


def _qualified(schema: str, tables: list[str]) -> list[str]:
    return [f"{_quoted(schema)}.{_quoted(table)}" for table in tables]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _schema_entry(entry: str) -> bool:
    """`SCHEMA - public` and its COMMENT or ACL: the schema stays as it is in the database."""
    fields = entry.split()
    return fields[3:4] == ["SCHEMA"] or fields[4:6] == ["-", "SCHEMA"]
