"""The `[backup]` section: scheduled backups while `hanport run` runs.

    [backup]
    every_days = 7        # HANPORT_BACKUP_EVERY_DAYS: a copy every this many days; 0: none
    keep = 4              # HANPORT_BACKUP_KEEP: the newest this many scheduled copies stay
    folder = "backups"    # HANPORT_BACKUP_FOLDER: default "backups" beside the database
                          # (for a PostgreSQL database: in the working folder)

A copy takes the database's size on the same disk: keep × size in all. Copy the folder to
another disk or machine to survive a broken SD card.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hanport.settings.section import Section
from hanport.settings.values import ConfigError, Raw, whole

__all__ = ["BACKUP", "BACKUP_KEYS", "BackupSettings", "backup_settings"]

BACKUP_KEYS = ("every_days", "keep", "folder")


@dataclass(frozen=True)
class BackupSettings:
    every_days: int = 7
    """0: no scheduled backups (`hanport backup FILE` still works)."""
    keep: int = 4
    folder: str | None = None
    """None: a folder `backups` beside the database (in the working folder for PostgreSQL)."""

    def folder_for(self, database: str | Path) -> Path:
        if self.folder is not None:
            return Path(self.folder)
        scheme, found, rest = str(database).partition("://")
        if found and scheme.lower() in ("postgresql", "postgres"):
            return Path("backups").resolve()
        if found and scheme.lower() == "sqlite" and rest.startswith("/"):
            database = rest[1:]
        return Path(database).resolve().parent / "backups"


def backup_settings(raw: Raw) -> BackupSettings:
    return BackupSettings(
        every_days=whole(raw.get("every_days"), 7, 0, 365, "settings.what.backup_every"),
        keep=whole(raw.get("keep"), 4, 1, 1000, "settings.what.backup_keep"),
        folder=_folder(raw.get("folder")),
    )


def _folder(item: tuple[object, str] | None) -> str | None:
    if item is None:
        return None
    value, where = item
    text = str(value).strip()
    if not text:
        raise ConfigError("backup.setting_folder_empty", where=where)
    if Path(text).exists() and not Path(text).is_dir():
        raise ConfigError("backup.setting_folder_file", folder=text, where=where)
    return text


BACKUP: Section[BackupSettings] = Section(
    "backup", BACKUP_KEYS, lambda raw, before: backup_settings(raw)
)
