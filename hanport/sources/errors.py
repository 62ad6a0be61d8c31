"""The error of every source: a URL that is wrong, or a source that cannot be opened or read."""

from __future__ import annotations

from hanport.errors import HanError

__all__ = ["SourceError"]


class SourceError(HanError):
    """The source URL is wrong, or the source cannot be opened or read."""
