"""The error of every source: a URL that is wrong, or a source that cannot be opened or read."""

from __future__ import annotations

from hanport.i18n import Localized

__all__ = ["SourceError"]


class SourceError(Localized):
    """The source URL is wrong, or the source cannot be opened or read."""
