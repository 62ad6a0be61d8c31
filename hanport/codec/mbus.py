"""M-Bus long frames (EN 13757-2) carrying DLMS push data (Austria, Switzerland, Poland).

    68 L L 68 | C | A | CI | STSAP DTSAP | APDU segment … | CS | 16

CI bit 4 marks the last segment; the APDU is the concatenation of the segments.
"""

from __future__ import annotations

from hanport.codec.p1 import NEED_MORE, NOT_A_FRAME
from hanport.codec.record import Record
from hanport.errors import ChecksumError, FrameError

__all__ = [
    "MAX_MBUS",
    "UNTERMINATED_MBUS",
    "MbusFrame",
    "frame_mbus",
    "looks_like_mbus",
    "mbus_extent",
    "parse_mbus",
]

MAX_MBUS = 255 + 6
"""The longest long frame: 255 bytes of C, A, CI and data, and its 6 bytes of framing."""


class MbusFrame(Record):
    """One segment of an APDU; `sequence` is its number (CI low nibble), counting from 0."""

    __slots__ = ("last", "segment", "sequence")

    def __init__(self, segment: bytes, last: bool, sequence: int) -> None:
        self.segment = segment
        self.last = last
        self.sequence = sequence


def frame_mbus(buf: bytes | bytearray, start: int) -> int:
    if start + 4 > len(buf):
        return NEED_MORE
    length = buf[start + 1]
    if buf[start + 2] != length or buf[start + 3] != 0x68 or length < 3:
        return NOT_A_FRAME
    end = start + length + 6
    if end > len(buf):
        return NEED_MORE
    return end if buf[end - 1] == 0x16 else NOT_A_FRAME


def mbus_extent(buf: bytes | bytearray, start: int) -> int:
    """End of the bytes the long-frame header at `start` announces, or `start` when these bytes
    are no long-frame header. Capped at the end of `buf`."""
    if not looks_like_mbus(buf, start):
        return start
    return min(len(buf), start + buf[start + 1] + 6)


UNTERMINATED_MBUS = "decoder.mbus_unterminated"


def looks_like_mbus(buf: bytes | bytearray, start: int) -> bool:
    """Whether the bytes at `start` are a long-frame header `68 L L 68`."""
    return (
        start + 4 <= len(buf)
        and buf[start + 1] == buf[start + 2] >= 3
        and buf[start] == buf[start + 3] == 0x68
    )


def parse_mbus(frame: bytes) -> MbusFrame:
    body = frame[4:-2]
    computed = sum(body) & 0xFF
    if computed != frame[-2]:
        raise ChecksumError("decoder.part_mbus", frame[-2], computed)
    if len(body) < 5:
        raise FrameError("decoder.mbus_short")
    control_info = body[2]
    return MbusFrame(body[5:], bool(control_info & 0x10), control_info & 0x0F)
