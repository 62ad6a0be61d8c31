"""Framing P1 telegrams: from the identification line `/XXX…` to the end line `!` and its CRC.

Bounded: a telegram has at most MAX_TELEGRAM bytes and its identification line at most
MAX_IDENTIFICATION; each candidate costs time in proportion to its bytes up to the first one
that cannot be in a telegram, so that line noise is scanned in linear time.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    Why: TypeAlias = tuple[str, dict[str, object], int]
    """Why bytes that looked like a frame are given up: a `[decoder]` code, its parameters, and
    where the bytes the reason is about end."""

__all__ = [
    "MAX_IDENTIFICATION",
    "MAX_TELEGRAM",
    "NEED_MORE",
    "NOT_A_FRAME",
    "frame_p1",
    "looks_like_p1",
    "unusable_p1",
]

MAX_TELEGRAM = 16384
MAX_IDENTIFICATION = 128
NEED_MORE = -1
NOT_A_FRAME = -2
_TEXT = bytes(range(0x20, 0x7F)) + b"\r\n\t"
"""The bytes a P1 telegram is made of: printable ASCII in lines."""
_IDENTIFICATION_TEXT = bytes(range(0x20, 0x7F)) + b"\t\x02"
"""The identification line may also hold byte 0x02: some captures show IEC 62056-21's enhanced
identification escape `\\2` (`/ISk5\\2MIE5T-200`) as that byte."""
_NOT_TEXT = re.compile(rb"[^\t\n\r\x20-\x7e]|/")
"""The first byte that cannot be inside a telegram (for reasons only: `re` is slow per byte)."""
_IDENTIFIED = re.compile(rb"/[A-Za-z]{3}[\t\x02\x20-\x2e\x30-\x7e]{0,124}\r?\n")
"""A whole identification line, `/XXX…` up to its line end: the start of a real telegram."""
_HEX = frozenset(b"0123456789ABCDEFabcdef")
_LINE_STARTS = frozenset(b"0123456789(!")


def frame_p1(buf: bytes | bytearray, start: int, at_end: bool = False) -> int:
    """End (exclusive) of the telegram that starts with `/` at `start`.

    The end line is `!` with 4, 3 or no hex digits, then CR LF; a `!` followed by anything else
    is noise inside the telegram (which its CRC will catch), not its end. A telegram without a
    CRC is taken as ended only when no object line follows it.
    NEED_MORE when it is not complete yet; NOT_A_FRAME when these bytes cannot be one (binary
    data, another `/` before the end, no identification line within 128 bytes, more than
    MAX_TELEGRAM bytes). Bounded: a candidate is never searched beyond MAX_TELEGRAM bytes, and
    its text is checked only up to the first `/` after it, where the next candidate begins.
    """
    size = len(buf)
    limit = start + MAX_TELEGRAM if size > start + MAX_TELEGRAM else size
    checked = start + 1
    bang = buf.find(b"!", checked, limit)
    while bang >= 0:
        if buf.find(b"/", checked, bang) >= 0 or not _text(buf, start, checked, bang):
            return NOT_A_FRAME
        checked = bang
        end = _end_line(buf, bang, at_end)
        if end != NOT_A_FRAME:
            return end
        bang = buf.find(b"!", bang + 1, limit)
    if buf.find(b"/", checked, limit) >= 0 or not _text(buf, start, checked, limit):
        return NOT_A_FRAME
    if size - start >= MAX_IDENTIFICATION and _line_end(buf, start) < 0:
        return NOT_A_FRAME  # an identification line longer than any meter's
    return NOT_A_FRAME if size - start >= MAX_TELEGRAM else NEED_MORE


def _text(buf: bytes | bytearray, start: int, lo: int, hi: int) -> bool:
    """Whether buf[lo:hi] holds only telegram text; on the identification line (the first line
    of the telegram at `start`) byte 0x02 is text too."""
    if not buf[lo:hi].translate(None, _TEXT):
        return True
    line_end = _line_end(buf, start)
    if line_end < 0:  # the identification line has not ended yet (or never does)
        line_end = min(len(buf), start + MAX_IDENTIFICATION)
    if lo >= line_end:
        return False
    split = min(line_end, hi)
    return not (
        buf[lo:split].translate(None, _IDENTIFICATION_TEXT) or buf[split:hi].translate(None, _TEXT)
    )


def _line_end(buf: bytes | bytearray, start: int) -> int:
    """Where the identification line of the telegram at `start` ends (its first CR or LF, in
    its first MAX_IDENTIFICATION bytes), or -1."""
    stop = min(len(buf), start + MAX_IDENTIFICATION)
    cr = buf.find(b"\r", start + 1, stop)
    lf = buf.find(b"\n", start + 1, cr if cr >= 0 else stop)
    return lf if lf >= 0 else cr


def unusable_p1(buf: bytes | bytearray, start: int) -> Why | None:
    """Why the telegram at `start` (which frame_p1 gave up) cannot be read (a `[decoder]` code
    and its parameters), and where the bytes the reason is about end; None when they never
    looked like a telegram (no identification line `/XXX…`), which is line noise rather than a
    damaged telegram."""
    if _IDENTIFIED.match(buf, start) is None:
        return None
    limit = min(len(buf), start + MAX_TELEGRAM)
    bad = _NOT_TEXT.search(buf, buf.index(b"\n", start), limit)
    if bad is None:
        if limit - start < MAX_TELEGRAM:
            return None
        return "decoder.p1_no_end", {"size": MAX_TELEGRAM}, limit
    if buf[bad.start()] == 0x2F:
        return "decoder.p1_cut_off", {}, bad.start()
    return "decoder.p1_not_text", {"byte": f"0x{buf[bad.start()]:02X}"}, bad.start()


def looks_like_p1(buf: bytes | bytearray, start: int) -> bool:
    """Whether the bytes at `start` begin with a whole identification line."""
    return _IDENTIFIED.match(buf, start) is not None


def _end_line(buf: bytes | bytearray, bang: int, at_end: bool) -> int:
    """End of the telegram if the `!` at `bang` starts its end line, NEED_MORE or NOT_A_FRAME.

    `at_end`: the input has ended, so what has not arrived never will.
    """
    size = len(buf)
    if buf[bang - 1] not in (0x0D, 0x0A):
        return NOT_A_FRAME  # the end line starts a line
    end = bang + 1
    while end < size and end - bang <= 4 and buf[end] in _HEX:
        end += 1
    digits = end - bang - 1
    if end == size:
        return end if digits == 4 or (at_end and digits in (0, 3)) else NEED_MORE
    if digits == 4 and buf[end] not in (0x0D, 0x0A):
        return end  # a full CRC needs no line end to be recognised
    if buf[end] not in (0x0D, 0x0A) or digits not in (0, 3, 4):
        return NOT_A_FRAME
    if buf[end] == 0x0D:
        end += 1
        if end == size:
            return end if at_end else NEED_MORE
    if buf[end] == 0x0A:
        end += 1
    if digits == 0:
        following = bytes(buf[end : end + 64]).lstrip(b"\r\n\x00")
        if not following:
            return end if at_end else NEED_MORE
        if following[0] in _LINE_STARTS:
            return NOT_A_FRAME  # more object lines follow: that `!` was noise
    return end
