"""HDLC frames (IEC 62056-46, frame format type 3) as DLMS meters push them.

    7E | A0 LL | dst… | src… | ctrl | HCS | information… | FCS | 7E

Framed by the 11-bit length, never by scanning for 7E: DLMS meters do not stuff bytes, so 7E
and 7D occur inside the information field. Consecutive frames may share one flag.
"""

from __future__ import annotations

from hanport.codec.crc import crc16_x25
from hanport.codec.p1 import NEED_MORE, NOT_A_FRAME
from hanport.codec.record import Record
from hanport.errors import ChecksumError, FrameError

__all__ = ["HdlcFrame", "frame_hdlc", "parse_hdlc"]

_FLAG = 0x7E


class HdlcFrame(Record):
    """An HDLC frame's information field; `segmented`: more frames continue it."""

    __slots__ = ("information", "segmented")

    def __init__(self, information: bytes, segmented: bool) -> None:
        self.information = information
        self.segmented = segmented


def frame_hdlc(buf: bytes | bytearray, start: int) -> int:
    """End (exclusive, excluding the closing flag) of the frame whose opening flag is at `start`."""
    if start + 3 > len(buf):
        return NEED_MORE
    fmt = buf[start + 1]
    if fmt & 0xF0 != 0xA0:
        return NOT_A_FRAME
    length = ((fmt & 0x07) << 8) | buf[start + 2]
    if length < 7:
        return NOT_A_FRAME
    close = start + 1 + length
    if close >= len(buf):
        return NEED_MORE
    return close if buf[close] == _FLAG else NOT_A_FRAME


def parse_hdlc(frame: bytes) -> HdlcFrame:
    """Check HCS and FCS of `frame` (format field through FCS, without flags)."""
    pos = _skip_address(frame, _skip_address(frame, 2)) + 1  # + control byte
    fcs_expected = int.from_bytes(frame[-2:], "little")
    if len(frame) > pos + 2:
        hcs_expected = int.from_bytes(frame[pos : pos + 2], "little")
        hcs = crc16_x25(frame[:pos])
        if hcs != hcs_expected:
            raise ChecksumError("HDLC frame header (HCS)", hcs_expected, hcs)
        information = frame[pos + 2 : -2]
    else:
        information = b""
    fcs = crc16_x25(frame[:-2])
    if fcs != fcs_expected:
        raise ChecksumError("HDLC frame (FCS)", fcs_expected, fcs)
    return HdlcFrame(information, bool(frame[0] & 0x08))


def _skip_address(frame: bytes, pos: int) -> int:
    """Addresses are 1–4 bytes; the last one has its low bit set. Returns the position after."""
    for end in range(pos, min(pos + 4, len(frame) - 2)):
        if frame[end] & 0x01:
            return end + 1
    raise FrameError("The HDLC frame has no valid address field.")
