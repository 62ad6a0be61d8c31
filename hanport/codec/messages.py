"""DLMS messages that arrive in pieces: HDLC segments, General Block Transfer, M-Bus segments.

A piece that arrives out of order raises DecodeError; a message that a new one interrupts, that
the input leaves unfinished or that grows beyond MAX_MESSAGE bytes is reported (`abandoned`),
never glued to the next one.
"""

from __future__ import annotations

from hanport.codec.apdu import GENERAL_BLOCK_TRANSFER, LLC_HEADERS, parse_block
from hanport.codec.hdlc import HdlcFrame
from hanport.codec.mbus import MbusFrame
from hanport.errors import DecodeError

__all__ = ["INTERRUPTED", "MAX_MESSAGE", "TOO_LONG", "UNFINISHED", "Reassembly"]

_BLOCK_TRANSFER = bytes([GENERAL_BLOCK_TRANSFER])
MAX_MESSAGE = 65536
"""The most a message in several frames may hold (meters push a few KiB at most)."""
TOO_LONG = "decoder.dlms_too_long"
INTERRUPTED = "decoder.dlms_interrupted"
UNFINISHED = "decoder.dlms_unfinished"
"""The codes of the reasons for abandoning a message (catalogue table `[decoder]`)."""


class Reassembly:
    """The unfinished messages of one stream. `abandoned` collects (reason, bytes so far)."""

    __slots__ = ("_blocks", "_mbus_segments", "_segments", "abandoned")

    def __init__(self) -> None:
        self._segments: list[bytes] = []
        self._blocks: list[bytes] = []
        self._mbus_segments: list[bytes] = []
        self.abandoned: list[tuple[str, bytes]] = []

    def clear(self) -> None:
        """Forget unfinished messages (after a bad frame, or when the line reconnects)."""
        self._segments.clear()
        self._blocks.clear()
        self._mbus_segments.clear()

    def finish(self) -> None:
        """The input has ended: report an unfinished message and forget it."""
        for pieces in (self._segments, self._blocks, self._mbus_segments):
            if pieces:
                self._abandon(UNFINISHED, pieces)

    def hdlc(self, parsed: HdlcFrame) -> bytes | None:
        """The APDU this frame completes, or None while more frames are to come."""
        info = parsed.information
        if info[:3] in LLC_HEADERS:
            if self._segments:
                self._abandon(INTERRUPTED, self._segments)
            info = info[3:]
        self._segments.append(info)
        if parsed.segmented:
            self._bound(self._segments)
            return None
        apdu = b"".join(self._segments)
        self._segments.clear()
        if apdu[:1] != _BLOCK_TRANSFER:
            return apdu
        block = parse_block(apdu)
        if block.number == 1:
            if self._blocks:
                self._abandon(INTERRUPTED, self._blocks)
        elif block.number != len(self._blocks) + 1:
            raise DecodeError("decoder.block_lost", block=block.number, after=len(self._blocks))
        self._blocks.append(block.data)
        if not block.last:
            self._bound(self._blocks)
            return None
        apdu = b"".join(self._blocks)
        self._blocks.clear()
        return apdu

    def mbus(self, parsed: MbusFrame) -> bytes | None:
        """The APDU this long frame completes, or None while more frames are to come."""
        pending = len(self._mbus_segments)
        if parsed.sequence == 0 and pending % 16:
            self._abandon(INTERRUPTED, self._mbus_segments)
        elif parsed.sequence != pending % 16:
            raise DecodeError(
                "decoder.segment_lost", segment=parsed.sequence, after=len(self._mbus_segments)
            )
        self._mbus_segments.append(parsed.segment)
        if not parsed.last:
            self._bound(self._mbus_segments)
            return None
        apdu = b"".join(self._mbus_segments)
        self._mbus_segments.clear()
        return apdu

    def _bound(self, pieces: list[bytes]) -> None:
        """Frames that announce more and more, but never the last one, must not pile up."""
        if sum(map(len, pieces)) > MAX_MESSAGE:
            self._abandon(TOO_LONG, pieces)

    def _abandon(self, reason: str, pieces: list[bytes]) -> None:
        self.abandoned.append((reason, b"".join(pieces)))
        pieces.clear()
