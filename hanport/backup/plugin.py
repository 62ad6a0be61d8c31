"""Backups as a part of `hanport run`: the `[backup]` section, and a copy on schedule."""

from __future__ import annotations

from collections.abc import Sequence

from hanport.backup.schedule import run_scheduled_backups
from hanport.backup.settings import BACKUP, BackupSettings
from hanport.runtime.hub import Subscription
from hanport.runtime.sink import RuntimeView, Sink
from hanport.settings.loader import Settings

__all__ = ["BackupSink", "sinks"]

SECTIONS = (BACKUP,)


class BackupSink:
    """Copies the database every `every_days` while hanport runs; needs no readings."""

    name = "backup"
    queue_size = 1

    def __init__(self, database: str, settings: BackupSettings, language: str = "en") -> None:
        self.database = database
        self.settings = settings
        self.language = language

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        import asyncio

        scheduled = asyncio.create_task(
            run_scheduled_backups(self.database, self.settings, language=self.language)
        )
        try:
            async for _ in readings:  # ends with hanport; the copies go on meanwhile
                pass
        finally:
            scheduled.cancel()
            await asyncio.gather(scheduled, return_exceptions=True)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    """A scheduled copy of a real meter's database (not of the simulator's)."""
    backup = settings.get(BACKUP)
    return [BackupSink(database, backup)] if backup.every_days and settings.source else []
