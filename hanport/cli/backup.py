"""`hanport backup FILE`, `hanport restore FILE` and `hanport db check`.

The lead adds `add_backup_commands(commands)` to hanport/cli.py's parser. Each command finds the
database like `hanport run` does (--database, else the settings' database, else hanport.db):
a SQLite file (or sqlite:// URL), or a postgresql:// URL, whose backups are pg_dump archives
(`hanport.backup.pg_backup`, `pg_restore`, `pg_check`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hanport.errors import HanError

__all__ = ["add_backup_commands"]


def add_backup_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser("backup", help="copy the database, also while hanport runs")
    backup.add_argument("file", metavar="FILE", help="file to write, or a folder to write into")
    _database_options(backup)
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser("restore", help="put a backup back (stop hanport first)")
    restore.add_argument("file", metavar="FILE", help="the backup to restore")
    _database_options(restore)
    restore.set_defaults(handler=_restore)

    db = commands.add_parser("db", help="the database: check")
    actions = db.add_subparsers(required=True, metavar="ACTION")
    check = actions.add_parser("check", help="integrity, schema version, sizes, readings")
    _database_options(check)
    check.set_defaults(handler=_check)


def _database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    parser.add_argument(
        "--database", help="SQLite file or postgresql:// URL (default: the configured one)"
    )


def _backup(args: argparse.Namespace, language: str) -> int:
    from hanport.backup.pg_backup import backup_postgres
    from hanport.backup.pg_tools import is_postgres, safe_url
    from hanport.backup.rotation import backup_extension, backup_name
    from hanport.i18n import text
    from hanport.i18n.formats import size_text
    from hanport.store.copy import backup_database

    def work() -> str:
        database = _database(args)
        target = Path(args.file)
        if target.is_dir():
            target = target / backup_name(datetime.now(UTC), backup_extension(database))
        if is_postgres(database):
            done = backup_postgres(database, target)
            shown = safe_url(database)
        else:
            done = backup_database(database, target)
            shown = database
        return text(
            "backup.backed_up",
            language,
            database=shown,
            path=done.path,
            size=size_text(done.size, language),
        )

    return _said(work, language)


def _restore(args: argparse.Namespace, language: str) -> int:
    from hanport.backup.pg_tools import is_postgres
    from hanport.backup.restore import restore_database

    def work() -> str:
        database = _database(args)
        if is_postgres(database):
            return _restore_postgres(args.file, database, language)
        done = restore_database(args.file, database)
        keys = ("backup.restored", "backup.restored_new")
        return _restored(keys, done.database, done.backup, done.before, language)

    return _said(work, language)


def _restore_postgres(backup: str, database: str, language: str) -> str:
    from hanport.backup.pg_restore import restore_postgres

    done = restore_postgres(backup, database)
    keys = ("backup.pg_restored", "backup.pg_restored_new")
    return _restored(keys, done.database, done.backup, done.before, language)


def _restored(
    keys: tuple[str, str], database: object, backup: object, before: object, language: str
) -> str:
    """The first sentence when the replaced data was kept aside as `before`, the second when
    there was none."""
    from hanport.i18n import text

    kept, new = keys
    if before is None:
        return text(new, language, database=database, backup=backup)
    return text(kept, language, database=database, backup=backup, before=before)


def _check(args: argparse.Namespace, language: str) -> int:
    from hanport.backup.check import check_database, report_lines
    from hanport.backup.pg_check import check_postgres, pg_report_lines
    from hanport.backup.pg_tools import is_postgres

    try:
        database = _database(args)
        if is_postgres(database):
            pg_report = check_postgres(database)
            print("\n".join(pg_report_lines(pg_report, language)))
            return 0 if pg_report.intact else 1
        report = check_database(database)
    except HanError as error:
        return _fail(error, language)
    print("\n".join(report_lines(report, language)))
    return 0 if report.intact else 1


def _database(args: argparse.Namespace) -> str:
    """The database as `hanport run` would open it: a postgresql:// URL as it is, a SQLite
    file's path (a sqlite:// URL made a path); any other URL refused in one sentence."""
    from hanport.store import StoreError, local_file, shown_url

    if args.database:
        database = str(args.database)
    else:
        from hanport.plugins import load_settings

        settings = load_settings(Path(args.config) if args.config else None)
        fallback = "hanport.db" if settings.source else "hanport-simulator.db"
        database = settings.database or fallback
    scheme, found, rest = database.partition("://")
    if not found or scheme.lower() in ("postgresql", "postgres"):
        return database
    if scheme.lower() == "sqlite" and rest.startswith("/") and rest != "/":
        return local_file(database)
    if scheme.lower() == "sqlite":
        raise StoreError("store.sqlite_url", url=database)
    raise StoreError("store.unknown_url", url=shown_url(database), scheme=scheme)


def _said(work: Callable[[], str], language: str) -> int:
    try:
        print(work())
    except HanError as error:
        return _fail(error, language)
    return 0


def _fail(error: HanError, language: str) -> int:
    print(f"hanport: {error.text(language)}", file=sys.stderr)
    return 2
