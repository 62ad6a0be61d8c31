"""`hanport db check`: is the database intact, which schema version, how big, what is in it.

Runs on a live database too (reads only, in WAL mode next to `hanport run`); the integrity check
of a large file takes a while (it reads every page).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hanport.backup.errors import BackupProblem
from hanport.backup.restore import HANPORT_TABLES
from hanport.i18n import text
from hanport.i18n.formats import size_text
from hanport.store.copy import open_existing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hanport.errors import HanError
    from hanport.store.base import Store

__all__ = ["CheckError", "DbReport", "MeterSummary", "TableSize", "check_database", "report_lines"]


class CheckError(BackupProblem):
    pass


@dataclass(frozen=True)
class TableSize:
    name: str
    rows: int
    size: int | None
    """Bytes from dbstat; None when this SQLite has no dbstat."""


@dataclass(frozen=True)
class MeterSummary:
    meter: str
    readings: int
    first: datetime | None
    last: datetime | None


@dataclass(frozen=True)
class DbReport:
    path: Path
    integrity: list[str]
    """integrity_check's rows: ["ok"] when intact."""
    quick: str
    user_version: int
    page_size: int
    page_count: int
    freelist_count: int
    file_size: int
    wal_size: int
    tables: list[TableSize] = field(default_factory=list)
    meters: list[MeterSummary] = field(default_factory=list)
    hanport: bool = True
    """Whether the hanport tables are there."""
    problem: HanError | None = None
    """Why the store could not be read (a storage version to upgrade, or too new)."""

    @property
    def intact(self) -> bool:
        return self.integrity == ["ok"] and self.quick == "ok"


def check_database(path: str | Path, zone: str = "Europe/Tallinn") -> DbReport:
    where = Path(path)
    db = open_existing(where, CheckError)
    try:
        report = _report(db, where)
    except sqlite3.DatabaseError as failure:
        report = _damaged(where, str(failure))
    finally:
        db.close()
    if report.intact and report.hanport:
        report = _with_meters(report, zone)
    return report


def report_lines(report: DbReport, language: str) -> list[str]:
    lines = [text("backup.check_title", language, path=report.path)]
    if report.intact:
        lines.append(text("backup.check_integrity_ok", language))
    else:
        detail = "; ".join([*report.integrity[:3], report.quick][:3])
        lines.append(text("backup.check_integrity_bad", language, detail=detail))
    lines.append(text("backup.check_schema", language, version=report.user_version))
    lines.append(
        text(
            "backup.check_files",
            language,
            size=size_text(report.file_size, language),
            wal=size_text(report.wal_size, language),
            pages=report.page_count,
            page_size=report.page_size,
            free=report.freelist_count,
        )
    )
    for table in report.tables:
        size = size_text(table.size, language) if table.size is not None else "?"
        lines.append(
            text("backup.check_table", language, name=table.name, rows=table.rows, size=size)
        )
    if report.problem is not None:
        lines.append(report.problem.text(language))
    if not report.hanport:
        lines.append(text("backup.check_not_hanport", language))
    elif report.intact and not report.meters and report.problem is None:
        lines.append(text("backup.check_no_meter", language))
    for meter in report.meters:
        lines.append(
            text(
                "backup.check_meter",
                language,
                meter=meter.meter or "''",
                count=meter.readings,
                first=_shown(meter.first),
                last=_shown(meter.last),
            )
        )
    return lines


def _report(db: sqlite3.Connection, path: Path) -> DbReport:
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
    quick = db.execute("PRAGMA quick_check").fetchone()[0]
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    sizes = _dbstat(db)
    tables = [
        TableSize(name, db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0], sizes.get(name))
        for name in names
    ]
    return DbReport(
        path=path,
        integrity=integrity,
        quick=quick,
        user_version=_pragma(db, "user_version"),
        page_size=_pragma(db, "page_size"),
        page_count=_pragma(db, "page_count"),
        freelist_count=_pragma(db, "freelist_count"),
        file_size=path.stat().st_size,
        wal_size=_size(Path(f"{path}-wal")),
        tables=tables,
        hanport=all(table in names for table in HANPORT_TABLES),
    )


def _damaged(path: Path, detail: str) -> DbReport:
    return DbReport(
        path=path,
        integrity=[detail],
        quick=detail,
        user_version=0,
        page_size=0,
        page_count=0,
        freelist_count=0,
        file_size=_size(path),
        wal_size=_size(Path(f"{path}-wal")),
        hanport=True,
    )


def _dbstat(db: sqlite3.Connection) -> dict[str, int]:
    """Bytes per table and index, indexes counted with their table."""
    try:
        rows = db.execute(
            "SELECT coalesce(m.tbl_name, s.name), sum(s.pgsize) FROM dbstat s "
            "LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY 1"
        ).fetchall()
    except sqlite3.OperationalError:  # built without SQLITE_ENABLE_DBSTAT_VTAB
        return {}
    return {str(name): int(size) for name, size in rows}


def _with_meters(report: DbReport, zone: str) -> DbReport:
    """Readings per meter through the store: the counts of its monthly rollups, the open
    month's as it stands. A file of another storage version is not upgraded here: the report
    says what hanport will do with it."""
    from hanport.store import StoreError, open_store

    try:
        store = open_store(str(report.path), ZoneInfo(zone), upgrade=False)
    except StoreError as problem:
        return DbReport(**{**report.__dict__, "problem": problem})
    try:
        meters = [_meter(store, meter.id, meter.first, meter.last) for meter in store.meters()]
    finally:
        store.close()
    return DbReport(**{**report.__dict__, "meters": meters})


def _meter(store: Store, meter: str, start: datetime | None, end: datetime | None) -> MeterSummary:
    if start is None or end is None:
        return MeterSummary(meter, 0, start, end)
    months = store.series(meter, "1mo", start - timedelta(days=32), end + timedelta(days=32))
    return MeterSummary(meter, sum(month.readings for month in months), start, end)


def _shown(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else "?"


def _pragma(db: sqlite3.Connection, name: str) -> int:
    return int(db.execute(f"PRAGMA {name}").fetchone()[0])


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
