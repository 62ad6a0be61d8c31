"""The errors of `hanport backup`, `restore` and `db check`: codes of the `[backup]` table.

The online copy itself is the store's (`hanport.store.copy`): storage upgrades take one first.
"""

from __future__ import annotations

from hanport.store.copy import BackupProblem

__all__ = ["BackupProblem"]
