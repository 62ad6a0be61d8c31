"""Finding frames in line data: start marks, a size bound per format, and giving up.

Frames are found by their start marks (`/` P1, `7E` HDLC, `68 L L 68` M-Bus, `DB 08` raw
ciphered APDU, `0F` bare DLMS APDU, or `E6 E7 00 0F` with its LLC) and framed by their own
length or end mark. Every kind has a bound: a P1 telegram MAX_TELEGRAM bytes (16 KiB), an HDLC
frame 2,049, an M-Bus long frame 261, a ciphered or bare APDU 8 KiB. A candidate that cannot
complete within its bound is given up and the search goes on at the next start mark, so line
noise never stops a decoder, and no candidate costs more than its bound's worth of scanning.
A candidate that looked like a real frame (a whole P1 identification line, an HDLC
header whose HCS checks, an M-Bus `68 L L 68` header, a ciphered header) is reported with a
reason when it is given up: a decode never ends with nothing and no reason.
"""

from __future__ import annotations

import re

from hanport.codec import hdlc, mbus, p1
from hanport.codec.apdu import LLC_HEADERS, parse_notification
from hanport.codec.axdr import TruncatedError
from hanport.codec.cipher import GLO_CIPHERING, ciphered_extent
from hanport.errors import DecodeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hanport.codec.p1_frame import Why

__all__ = [
    "CUT_SHORT",
    "MAX_APDU",
    "MAX_BUFFER",
    "NEED_MORE",
    "NOT_A_FRAME",
    "WAIT_FOR_END",
    "extent",
    "frame_bare",
    "given_up",
    "next_start",
]

NEED_MORE, NOT_A_FRAME = p1.NEED_MORE, p1.NOT_A_FRAME
WAIT_FOR_END = -3
"""A bare APDU that ends where the data does: it is one if no more data comes."""
MAX_APDU = 8192
MAX_BUFFER = 2 * p1.MAX_TELEGRAM
"""The most a decoder keeps between chunks; the bounds above keep it below MAX_TELEGRAM."""
CUT_SHORT = "decoder.cut_short"
"""The code of the reason for bytes that began a frame the input ended in."""
_START = re.compile(rb"[/\x7e\x68\xdb\x0f\xe6]")
"""The first byte of every frame kind: P1, HDLC, M-Bus, ciphered APDU, bare APDU (with LLC)."""
_LLC_APDU = frozenset(header + b"\x0f" for header in LLC_HEADERS)


def next_start(buf: bytes | bytearray, pos: int) -> int:
    match = _START.search(buf, pos)
    return -1 if match is None else match.start()


def frame_bare(buf: bytes | bytearray, start: int, at_end: bool) -> int:
    """A bare APDU has no frame: accept it only when it ends exactly where the input does.

    One that would be longer than MAX_APDU is not tried at all, so that the end of a long input
    is reached in linear time.
    """
    if buf[start] == 0xE6 and bytes(buf[start : start + 4]) not in _LLC_APDU:
        return NOT_A_FRAME
    offset = 3 if buf[start] == 0xE6 else 0
    if len(buf) - start - offset > MAX_APDU:
        return NOT_A_FRAME
    try:
        size = parse_notification(bytes(buf[start + offset :])).size + offset
    except TruncatedError:
        return NOT_A_FRAME if at_end else NEED_MORE
    except (DecodeError, ValueError, IndexError):
        return NOT_A_FRAME
    if start + size != len(buf):
        return NOT_A_FRAME
    return len(buf) if at_end else WAIT_FOR_END


def given_up(buf: bytes | bytearray, start: int, cut_short: bool) -> Why | None:
    """Why the candidate at `start`, given up by framing (or `cut_short` by the end of the
    input), cannot be read (a `[decoder]` code and its parameters), and where the bytes that
    reason is about end; None when it never looked like a frame (line noise)."""
    mark = buf[start]
    if mark == 0x2F:
        if cut_short:
            return (CUT_SHORT, {}, len(buf)) if p1.looks_like_p1(buf, start) else None
        return p1.unusable_p1(buf, start)
    if mark == 0x7E:
        if not hdlc.looks_like_hdlc(buf, start):
            return None
        code = CUT_SHORT if cut_short else hdlc.UNTERMINATED_HDLC
        return code, {}, hdlc.hdlc_extent(buf, start)
    if mark == 0x68:
        if not mbus.looks_like_mbus(buf, start):
            return None
        code = CUT_SHORT if cut_short else mbus.UNTERMINATED_MBUS
        return code, {}, mbus.mbus_extent(buf, start)
    if mark == GLO_CIPHERING and cut_short and ciphered_extent(buf, start) > start:
        return CUT_SHORT, {}, len(buf)
    return None


def extent(buf: bytes | bytearray, start: int) -> int:
    """Where the bytes end that began as an HDLC, M-Bus or ciphered frame at `start` (capped at
    the end of `buf`); `start` for any other candidate. A bare APDU is never read inside them."""
    mark = buf[start]
    if mark == 0x7E:
        return hdlc.hdlc_extent(buf, start)
    if mark == 0x68:
        return mbus.mbus_extent(buf, start)
    if mark == GLO_CIPHERING:
        return ciphered_extent(buf, start)
    return start
