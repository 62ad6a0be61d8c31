"""`hanport db check` of a PostgreSQL database: the connection, the storage version (current,
to be upgraded, or too new), the size of each of hanport's tables (pg_total_relation_size, a
partitioned table with its partitions) and in all, and the readings per site and meter.

Reads only, in one read-only repeatable-read transaction: it never creates or upgrades tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql

from hanport.backup.check import CheckError, MeterSummary, TableSize
from hanport.backup.pg_backup import connect, hanport_schema
from hanport.backup.pg_tools import safe_url
from hanport.i18n import text
from hanport.i18n.formats import size_text
from hanport.store.postgres.connection import DEFAULT_SITE
from hanport.store.postgres.schema import SCHEMA_VERSION, storage_version
from hanport.store.postgres.stats import meter_counts

__all__ = ["PgReport", "check_postgres", "pg_report_lines"]

_TABLES = (
    "SELECT c.relname, CASE WHEN c.relkind = 'p' THEN (SELECT "
    "coalesce(sum(pg_total_relation_size(t.relid)), 0) FROM pg_partition_tree(c.oid) t) "
    "ELSE pg_total_relation_size(c.oid) END "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
    'ORDER BY c.relname COLLATE "C"'
)


@dataclass(frozen=True)
class PgReport:
    url: str
    """As it may be shown (no password)."""
    server: str
    database: str
    schema: str | None
    """The schema of hanport's tables; None when there are none."""
    version: int | None
    tables: list[TableSize] = field(default_factory=list)
    meters: list[MeterSummary] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """The database answered and its tables could be read."""
        return True

    @property
    def total(self) -> int:
        return sum(table.size or 0 for table in self.tables)


def check_postgres(url: str, zone: str = "Europe/Tallinn") -> PgReport:
    """The report of the database `url`; CheckError with one sentence when it cannot be
    reached or read."""
    shown = safe_url(url)
    with connect(url, CheckError) as db:
        try:
            with db.transaction():
                db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                return _report(db, shown, ZoneInfo(zone))
        except psycopg.Error as failure:
            lines = str(failure).strip().splitlines()
            raise CheckError(
                "backup.pg_check_failed", url=shown, detail=lines[0] if lines else failure
            ) from None


def _report(db: psycopg.Connection[Any], shown: str, zone: ZoneInfo) -> PgReport:
    row = db.execute("SELECT current_setting('server_version'), current_database()").fetchone()
    server, database = (str(row[0]).split(" ")[0], str(row[1])) if row else ("?", "?")
    schema = hanport_schema(db)
    if schema is None:
        current = db.execute("SELECT current_schema()").fetchone()
        tables = _tables(db, str(current[0])) if current and current[0] else []
        return PgReport(shown, server, database, None, None, tables)
    version = storage_version(db)
    tables = _tables(db, schema)
    meters: list[MeterSummary] = []
    if version == SCHEMA_VERSION:
        meters = [
            MeterSummary(
                _meter(count.site, count.meter),
                count.readings,
                count.first.astimezone(zone) if count.first else None,
                count.last.astimezone(zone) if count.last else None,
            )
            for count in meter_counts(db)
        ]
    return PgReport(shown, server, database, schema, version, tables, meters)


def _tables(db: psycopg.Connection[Any], schema: str) -> list[TableSize]:
    sizes = db.execute(_TABLES, (schema,)).fetchall()
    found = []
    for name, size in sizes:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, name))
        (rows,) = db.execute(query).fetchone() or (0,)
        found.append(TableSize(str(name), int(rows), int(size)))
    return found


def _meter(site: str, meter: str) -> str:
    shown = meter or "''"
    return shown if site == DEFAULT_SITE else f"{site}/{shown}"


def pg_report_lines(report: PgReport, language: str) -> list[str]:
    lines = [
        text("backup.check_title", language, path=report.url),
        text(
            "backup.pg_check_connection",
            language,
            server=report.server,
            database=report.database,
            schema=report.schema or "-",
        ),
        _version_line(report, language),
    ]
    for table in report.tables:
        size = size_text(table.size, language) if table.size is not None else "?"
        lines.append(
            text("backup.check_table", language, name=table.name, rows=table.rows, size=size)
        )
    lines.append(text("backup.pg_check_total", language, size=size_text(report.total, language)))
    if report.schema is None:
        lines.append(text("backup.check_not_hanport", language))
    elif report.version == SCHEMA_VERSION and not report.meters:
        lines.append(text("backup.check_no_meter", language))
    for meter in report.meters:
        lines.append(
            text(
                "backup.check_meter",
                language,
                meter=meter.meter,
                count=meter.readings,
                first=_shown(meter.first),
                last=_shown(meter.last),
            )
        )
    return lines


def _version_line(report: PgReport, language: str) -> str:
    version = report.version
    if version is None:
        state = text("backup.pg_version_none", language)
    elif version == SCHEMA_VERSION:
        state = text("backup.pg_version_current", language)
    elif version < SCHEMA_VERSION:
        state = text("backup.pg_version_older", language, newest=SCHEMA_VERSION)
    else:
        state = text("backup.pg_version_newer", language, known=SCHEMA_VERSION)
    shown = "-" if version is None else version
    return text("backup.pg_check_schema", language, version=shown, state=state)


def _shown(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else "?"
