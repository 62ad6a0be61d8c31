"""hanport: read electricity smart meters' HAN/P1 port exactly.

    >>> import hanport
    >>> readings = hanport.decode(open("capture.bin", "rb").read())
    >>> decoder = hanport.Decoder(key="…32 hex digits…")
    >>> for item in decoder.feed(chunk): ...

The decoding core is sans-I/O: it takes bytes and returns `Reading` or `Rejected` values, with
no asyncio, clock or logging inside, so it can be driven by any transport and tested exactly.
"""

from __future__ import annotations

from hanport.codec.decoder import DEFAULT_ZONE, Decoder, DecoderStats, decode
from hanport.errors import (
    ChecksumError,
    DecodeError,
    DecryptionError,
    FrameError,
    HanError,
    UnknownLayoutError,
)
from hanport.fields import FIELDS, Field
from hanport.model import Reading, Register, Rejected

__all__ = [
    "DEFAULT_ZONE",
    "FIELDS",
    "ChecksumError",
    "DecodeError",
    "Decoder",
    "DecoderStats",
    "DecryptionError",
    "Field",
    "FrameError",
    "HanError",
    "Reading",
    "Register",
    "Rejected",
    "UnknownLayoutError",
    "__version__",
    "decode",
]

__version__ = "0.1.0"
