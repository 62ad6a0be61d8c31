"""The errors of `hanport backup`, `restore` and `db check`: codes of the `[backup]` table."""

from __future__ import annotations

from hanport.errors import HanError

__all__ = ["BackupProblem"]


class BackupProblem(HanError):
    """A backup, a restore or a check that cannot be done; `str()` English, `text("et")`."""
