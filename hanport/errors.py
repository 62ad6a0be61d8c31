"""Errors raised by hanport's one-shot functions.

The stream decoder never raises on line data; it returns `Rejected(reason, raw)` instead, with
the message of one of these errors as the reason.

    HanError
    ├── FrameError            the bytes are not a complete, well-formed frame
    │   └── ChecksumError     a CRC, HCS, FCS or M-Bus checksum does not match
    ├── DecodeError           the frame is intact but its content cannot be read
    │   └── UnknownLayoutError   a DLMS list this version cannot map to readings
    └── DecryptionError       the frame is encrypted and the key is missing or wrong
"""

from __future__ import annotations

__all__ = [
    "ChecksumError",
    "DecodeError",
    "DecryptionError",
    "FrameError",
    "HanError",
    "UnknownLayoutError",
]


class HanError(Exception):
    """Base of every hanport error; `str(error)` is one plain sentence for a person."""


class FrameError(HanError):
    pass


class ChecksumError(FrameError):
    def __init__(self, what: str, expected: int, computed: int) -> None:
        super().__init__(
            f"Checksum mismatch in {what}: the frame says {expected:04X}, computed {computed:04X}; "
            "the data was damaged on the line and is dropped."
        )
        self.expected = expected
        self.computed = computed


class DecodeError(HanError):
    pass


class UnknownLayoutError(DecodeError):
    pass


class DecryptionError(HanError):
    pass
