"""Scheduled backups inside `hanport run`: a copy every `every_days`, the newest `keep` kept.

`run_scheduled_backups` is a sink like the others: it runs until cancelled. The schedule
survives restarts, because it is read from the names of the backups already in the folder; a
failed backup (full disk, missing folder) is logged in one sentence and tried again an hour later.
A PostgreSQL database is dumped with pg_dump (`hanport.backup.pg_backup`), as `.dump` files
scheduled and rotated apart from any SQLite `.db` copies in the same folder.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hanport.backup.pg_backup import backup_postgres
from hanport.backup.rotation import (
    POSTGRES_EXTENSION,
    backup_extension,
    backup_name,
    next_due,
    to_remove,
)
from hanport.backup.settings import BackupSettings
from hanport.i18n import text
from hanport.i18n.formats import size_text
from hanport.store import local_file
from hanport.store.copy import BackupError, BackupResult, backup_database

__all__ = ["run_scheduled_backups"]

log = logging.getLogger(__name__)

_RETRY_S = 3600.0
_LONGEST_NAP_S = 3600.0  # wake at least hourly, so a changed clock is noticed


async def run_scheduled_backups(
    database: str | Path,
    settings: BackupSettings,
    *,
    language: str = "en",
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    """Back up `database` on schedule until cancelled; returns at once when every_days is 0."""
    if settings.every_days == 0:
        return
    folder = settings.folder_for(database)
    extension = backup_extension(str(database))
    while True:
        due = next_due(_names(folder), now(), settings.every_days, extension)
        wait_s = (due - now()).total_seconds()
        if wait_s > 0:
            await asyncio.sleep(min(wait_s, _LONGEST_NAP_S))
            continue
        try:
            done = await _backup(database, folder, now())
        except BackupError as error:
            log.error(text("backup.scheduled_failed", language, reason=error.text(language)))
            await asyncio.sleep(_RETRY_S)
            continue
        log.info(
            text(
                "backup.scheduled",
                language,
                path=done.path,
                size=size_text(done.size, language),
                keep=settings.keep,
            )
        )
        for name in to_remove(_names(folder), settings.keep, extension):
            try:
                (folder / name).unlink()
            except OSError as error:
                log.error(
                    text(
                        "backup.remove_failed", language, path=folder / name, detail=error.strerror
                    )
                )


async def _backup(database: str | Path, folder: Path, moment: datetime) -> BackupResult:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        raise BackupError("backup.no_folder", folder=folder) from None
    extension = backup_extension(str(database))
    target = folder / backup_name(moment, extension)
    if extension == POSTGRES_EXTENSION:
        work = asyncio.ensure_future(asyncio.to_thread(backup_postgres, str(database), target))
    else:
        path = local_file(str(database))  # a sqlite:// URL: the file it names
        work = asyncio.ensure_future(asyncio.to_thread(backup_database, path, target))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        await asyncio.wait({work})  # the copy runs in a thread: let it finish and rename
        raise


def _names(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in folder.iterdir()]
    except OSError:
        return []
