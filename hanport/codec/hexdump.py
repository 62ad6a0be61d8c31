"""Captures are raw bytes or text hex dumps (`7E A0 2A …`); tell them apart and read both."""

from __future__ import annotations

import re

__all__ = ["unhex_if_hex"]

_HEX_DUMP = re.compile(rb"\A(?:0x)?[0-9A-Fa-f]{2}(?:[\s,:]*(?:0x)?[0-9A-Fa-f]{2})*\s*\Z")


def unhex_if_hex(data: bytes) -> bytes:
    """A text hex dump (`7E A0 2A …`, any spacing) → its bytes; anything else unchanged."""
    if _HEX_DUMP.match(data):
        digits = re.sub(rb"0x|[\s,:]", b"", data)
        return bytes.fromhex(digits.decode("ascii"))
    return data
