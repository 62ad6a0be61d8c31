"""What every rejection of the decoder must be: bad line data said in a sentence, never a bug.

`Decoder._handle` turns any exception into a `Rejected`, so that a decoder bug cannot stop the
reader; its code is then `decoder.internal`. A property test that only checked "no exception"
could never fail on such a bug: these checks make it fail.
"""

from __future__ import annotations

from collections.abc import Iterable

from hanport.codec.decoder import INTERNAL
from hanport.i18n.catalogue import catalogue
from hanport.model import Reading, Rejected

__all__ = ["assert_understood"]


def assert_understood(items: Iterable[Reading | Rejected]) -> None:
    """No rejection is an internal error, and each has a code of the catalogue that renders."""
    for item in items:
        if isinstance(item, Rejected):
            assert item.code != INTERNAL, f"a decoder bug, not bad data: {item.reason}"
            assert item.code in catalogue("en"), item
            assert item.text("en") == item.reason
            assert item.text("et") != item.reason or not item.reason, item
