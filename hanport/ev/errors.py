"""The errors of EV charging control: codes of the catalogues' `[ev]` table."""

from __future__ import annotations

from hanport.errors import HanError

__all__ = ["EvError"]


class EvError(HanError):
    """EV charging cannot start as set up (the OCPP listener cannot listen)."""
