"""Backups of the SQLite database: online copies while `hanport run` keeps writing, restore,
scheduled copies with rotation, and `hanport db check`.

    backup_database(...)        an online copy (SQLite backup API), 0600, renamed into place
    restore_database(...)       put a checked backup back; the replaced file is kept
    check_database(...)         integrity, schema version, sizes, readings per meter
    run_scheduled_backups(...)  the sink `hanport run` runs with [backup] every_days, keep, folder
"""

from __future__ import annotations

from hanport.backup.check import DbReport, check_database, report_lines
from hanport.backup.restore import RestoreError, restore_database
from hanport.backup.rotation import backup_name, backup_time, next_due, to_remove
from hanport.backup.schedule import run_scheduled_backups
from hanport.backup.settings import BACKUP_KEYS, BackupSettings, backup_settings
from hanport.store.copy import BackupError, BackupResult, backup_database

__all__ = [
    "BACKUP_KEYS",
    "BackupError",
    "BackupResult",
    "BackupSettings",
    "DbReport",
    "RestoreError",
    "backup_database",
    "backup_name",
    "backup_settings",
    "backup_time",
    "check_database",
    "next_due",
    "report_lines",
    "restore_database",
    "run_scheduled_backups",
    "to_remove",
]
