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

__all__ = [
    "MAX_HDLC",
    "UNTERMINATED_HDLC",
    "HdlcFrame",
    "frame_hdlc",
    "hdlc_extent",
    "looks_like_hdlc",
    "parse_hdlc",
]

_FLAG = 0x7E
MAX_HDLC = 2 + 0x7FF
"""Both flags and the largest frame the 11-bit length field can announce."""


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


def hdlc_extent(buf: bytes | bytearray, start: int) -> int:
    """End of the bytes the frame header at `start` announces (its closing flag included), or
    `start` when these bytes are no frame header. Capped at the end of `buf`."""
    if start + 3 > len(buf) or buf[start + 1] & 0xF0 != 0xA0:
        return start
    length = ((buf[start + 1] & 0x07) << 8) | buf[start + 2]
    return min(len(buf), start + 2 + length) if length >= 7 else start


UNTERMINATED_HDLC = "decoder.hdlc_unterminated"


def looks_like_hdlc(buf: bytes | bytearray, start: int) -> bool:
    """Whether the frame header at `start` checks against its HCS: a real frame, not noise."""
    header = bytes(buf[start + 1 : start + 16])
    if len(header) < 2 or header[0] & 0xF0 != 0xA0:
        return False
    length = ((header[0] & 0x07) << 8) | header[1]
    try:
        pos = _skip_address(header, _skip_address(header, 2)) + 1
    except (FrameError, IndexError):
        return False
    if pos + 2 > len(header) or length < pos + 4:
        return False
    return crc16_x25(header[:pos]) == int.from_bytes(header[pos : pos + 2], "little")


def parse_hdlc(frame: bytes) -> HdlcFrame:
    """Check HCS and FCS of `frame` (format field through FCS, without flags)."""
    pos = _skip_address(frame, _skip_address(frame, 2)) + 1  # + control byte
    fcs_expected = int.from_bytes(frame[-2:], "little")
    if len(frame) > pos + 2:
        hcs_expected = int.from_bytes(frame[pos : pos + 2], "little")
        hcs = crc16_x25(frame[:pos])
        if hcs != hcs_expected:
            raise ChecksumError("decoder.part_hdlc_header", hcs_expected, hcs)
        information = frame[pos + 2 : -2]
    else:
        information = b""
    fcs = crc16_x25(frame[:-2])
    if fcs != fcs_expected:
        raise ChecksumError("decoder.part_hdlc", fcs_expected, fcs)
    return HdlcFrame(information, bool(frame[0] & 0x08))


def _skip_address(frame: bytes, pos: int) -> int:
    """Addresses are 1–4 bytes; the last one has its low bit set. Returns the position after."""
    for end in range(pos, min(pos + 4, len(frame) - 2)):
        if frame[end] & 0x01:
            return end + 1
    raise FrameError("decoder.hdlc_address")
