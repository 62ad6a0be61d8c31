"""The stream decoder: bytes as they arrive → `Reading` or `Rejected`, format auto-detected.

It finds frames by their start marks (`/` P1, `7E` HDLC, `68 L L 68` M-Bus, `DB 08` raw
ciphered APDU, `0F` bare DLMS APDU), frames each by its own length or end mark, verifies its
checksums, reassembles segmented and block-transferred APDUs, decrypts, and decodes. Chunks may
be split anywhere; junk between frames is skipped. It never raises on line data.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from hanport.codec import hdlc, mbus, p1
from hanport.codec.apdu import (
    DATA_NOTIFICATION,
    GENERAL_BLOCK_TRANSFER,
    LLC_HEADERS,
    parse_block,
    parse_notification,
    parse_notification_header,
)
from hanport.codec.axdr import TruncatedError
from hanport.codec.cipher import GLO_CIPHERING, aes_key, decrypt, frame_ciphered, parse_ciphered
from hanport.codec.clock import cosem_datetime
from hanport.codec.entries import add_entries
from hanport.codec.layouts import read_list
from hanport.codec.normalize import ReadingBuilder
from hanport.codec.record import Record
from hanport.codec.registers import scan_registers
from hanport.errors import DecodeError, HanError
from hanport.fields import FIELD_BY_NAME
from hanport.model import Reading, Rejected

__all__ = ["DEFAULT_ZONE", "Decoder", "DecoderStats", "decode"]

DEFAULT_ZONE = "Europe/Tallinn"
_NEED_MORE, _NOT_A_FRAME = p1.NEED_MORE, p1.NOT_A_FRAME
_WAIT_FOR_END = -3
_LLC_APDU = frozenset(header + b"\x0f" for header in LLC_HEADERS)
_CUT_SHORT = "The data ends in the middle of a frame; the rest of that frame never arrived."
_FILLER = b"\x7e\x00\r\n\t "
_MAX_APDU = 8192
_START = re.compile(rb"[/\x7e\x68\xdb\x0f\xe6]")
"""The first byte of every frame kind: P1, HDLC, M-Bus, ciphered APDU, bare APDU (with LLC)."""
_MAKERS = {b"LGZ": "landis+gyr", b"KAM": "kamstrup", b"KFM": "kaifa", b"AID": "aidon"}
Item = Reading | Rejected


class DecoderStats(Record):
    """What the decoder has seen so far: for diagnostics (`hanport doctor`) and the UI."""

    __slots__ = ("junk_bytes", "readings", "rejected")

    def __init__(self, readings: int = 0, rejected: int = 0, junk_bytes: int = 0) -> None:
        self.readings = readings
        self.rejected = rejected
        self.junk_bytes = junk_bytes


class Decoder:
    """Feed it chunks of line data; get every complete frame back as `Reading` or `Rejected`.

    `key` and `auth_key` (16 bytes, or 32 hex digits) decrypt general-glo-ciphering frames.
    `zone` is where meters that send only local time live (default Europe/Tallinn).
    """

    def __init__(
        self,
        *,
        key: bytes | str | None = None,
        auth_key: bytes | str | None = None,
        zone: tzinfo | str = DEFAULT_ZONE,
    ) -> None:
        self.key = aes_key(key, "key")
        self.auth_key = aes_key(auth_key, "auth_key")
        self.zone: tzinfo = _zone(zone) if isinstance(zone, str) else zone
        self.format: str | None = None
        """The format of the last verified frame: p1, hdlc, mbus, dlms, with `+encrypted`."""
        self.stats = DecoderStats()
        self._buffer = bytearray()
        self._segments: list[bytes] = []
        self._blocks: list[bytes] = []
        self._mbus_segments: list[bytes] = []

    def feed(self, chunk: bytes, received_at: datetime | None = None) -> list[Item]:
        """Add bytes from the line; return the frames they completed."""
        out: list[Item] = []
        if self._buffer:
            self._buffer += chunk
            self._scan(self._buffer, out, received_at, at_end=False)
        else:  # the usual case, a chunk that starts clean: scan it without copying it first
            rest = self._scan(chunk, out, received_at, at_end=False)
            self._buffer += rest
        return out

    def reset(self) -> None:
        """Start framing afresh (a reconnect): drop buffered bytes and unfinished messages.

        What was learnt about the meter (its format, whether it sends checksums, its energy
        scale) is kept: it is the same meter after the cable comes back.
        """
        self._buffer.clear()
        self._forget_partial_messages()

    def flush(self, received_at: datetime | None = None) -> list[Item]:
        """The input has ended: decode what only the end could complete, reject the rest."""
        out: list[Item] = []
        self._scan(self._buffer, out, received_at, at_end=True)
        self._buffer.clear()
        return out

    def _scan(
        self, buf: bytes | bytearray, out: list[Item], received_at: datetime | None, *, at_end: bool
    ) -> bytes | bytearray:
        """Decode the frames in `buf`; return what is left for later (and drop it from a buffer)."""
        pos = 0
        incomplete = -1
        while True:
            start = _next_start(buf, pos)
            if start < 0:
                self.stats.junk_bytes += len(buf) - pos
                pos = len(buf)
                break
            self.stats.junk_bytes += start - pos
            end = self._frame_end(buf, start, at_end)
            if end == _NOT_A_FRAME:
                self.stats.junk_bytes += 1
                pos = start + 1
                continue
            if end in (_NEED_MORE, _WAIT_FOR_END) and at_end:
                incomplete = start if incomplete < 0 else incomplete
                pos = start + 1  # cut short by the end of input: look for frames after it
                continue
            if end in (_NEED_MORE, _WAIT_FOR_END):
                pos = start
                break
            self._handle(bytes(buf[start:end]), out, received_at)
            pos = end
        if incomplete >= 0 and not out and buf[incomplete:].strip(_FILLER):
            out.append(Rejected(_CUT_SHORT, bytes(buf[incomplete:])))
            self.stats.rejected += 1
        if isinstance(buf, bytearray):
            del buf[:pos]
            return buf
        return buf[pos:]

    def _frame_end(self, buf: bytes | bytearray, start: int, at_end: bool) -> int:
        mark = buf[start]
        if mark == 0x2F:
            return p1.frame_p1(buf, start, at_end)
        if mark == 0x7E:
            return hdlc.frame_hdlc(buf, start)
        if mark == 0x68:
            return mbus.frame_mbus(buf, start)
        if mark == GLO_CIPHERING:
            return frame_ciphered(buf, start)
        return self._frame_bare(buf, start, at_end)

    def _frame_bare(self, buf: bytes | bytearray, start: int, at_end: bool) -> int:
        """A bare APDU has no frame: accept it only when it ends exactly where the input does."""
        if buf[start] == 0xE6 and bytes(buf[start : start + 4]) not in _LLC_APDU:
            return _NOT_A_FRAME
        if self.format is not None and not self.format.startswith("dlms"):
            return _NOT_A_FRAME
        offset = 3 if buf[start] == 0xE6 else 0
        try:
            size = parse_notification(bytes(buf[start + offset :])).size + offset
        except TruncatedError:
            return _NOT_A_FRAME if at_end or len(buf) - start > _MAX_APDU else _NEED_MORE
        except (DecodeError, ValueError, IndexError):
            return _NOT_A_FRAME
        if start + size != len(buf):
            return _NOT_A_FRAME
        return len(buf) if at_end else _WAIT_FOR_END

    def _handle(self, frame: bytes, out: list[Item], received_at: datetime | None) -> None:
        try:
            item = self._decode_frame(frame, received_at)
        except HanError as error:
            self._forget_partial_messages()
            item = Rejected(str(error), frame)
        except Exception as error:  # a decoder bug must not stop the reader
            self._forget_partial_messages()
            item = Rejected(
                f"hanport could not decode this frame ({type(error).__name__}: {error}); "
                "please report it with a capture (hanport capture).",
                frame,
            )
        if item is None:
            return
        if isinstance(item, Reading):
            self.stats.readings += 1
        else:
            self.stats.rejected += 1
        out.append(item)

    def _forget_partial_messages(self) -> None:
        """After a bad frame, never glue the segments around it into one message."""
        self._segments.clear()
        self._blocks.clear()
        self._mbus_segments.clear()

    def _decode_frame(self, frame: bytes, received_at: datetime | None) -> Item | None:
        mark = frame[0]
        if mark == 0x2F:
            return self._p1(frame, received_at)
        if mark == 0x7E:
            return self._hdlc(frame, received_at)
        if mark == 0x68:
            return self._mbus(frame, received_at)
        apdu = frame[3:] if mark == 0xE6 else frame
        return self._apdu(apdu, "dlms", received_at)

    def _p1(self, frame: bytes, received_at: datetime | None) -> Item:
        reading = p1.parse_p1(frame, self.zone, received_at)
        self.format = "p1"
        return reading

    def _hdlc(self, frame: bytes, received_at: datetime | None) -> Item | None:
        parsed = hdlc.parse_hdlc(frame[1:])
        info = parsed.information
        if info[:3] in LLC_HEADERS:
            self._segments.clear()  # a new message starts; an unfinished one was cut short
            info = info[3:]
        self._segments.append(info)
        if parsed.segmented:
            return None
        apdu = b"".join(self._segments)
        self._segments.clear()
        if apdu[:1] == bytes([GENERAL_BLOCK_TRANSFER]):
            block = parse_block(apdu)
            if block.number == 1:
                self._blocks.clear()
            elif block.number != len(self._blocks) + 1:
                raise DecodeError(
                    f"Block {block.number} of a DLMS block transfer arrived after block "
                    f"{len(self._blocks)}; the blocks in between were lost, so the message is "
                    "dropped."
                )
            self._blocks.append(block.data)
            if not block.last:
                return None
            apdu = b"".join(self._blocks)
            self._blocks.clear()
        return self._apdu(apdu, "hdlc", received_at)

    def _mbus(self, frame: bytes, received_at: datetime | None) -> Item | None:
        parsed = mbus.parse_mbus(frame)
        if parsed.sequence == 0:
            self._mbus_segments.clear()
        elif parsed.sequence != len(self._mbus_segments) % 16:
            raise DecodeError(
                f"M-Bus segment {parsed.sequence} arrived after {len(self._mbus_segments)} "
                "segments; one was lost, so the message is dropped."
            )
        self._mbus_segments.append(parsed.segment)
        if not parsed.last:
            return None
        apdu = b"".join(self._mbus_segments)
        self._mbus_segments.clear()
        return self._apdu(apdu, "mbus", received_at)

    def _apdu(self, apdu: bytes, carrier: str, received_at: datetime | None) -> Item:
        maker = None
        if apdu[:1] == bytes([GLO_CIPHERING]):
            ciphered = parse_ciphered(apdu)
            maker = _MAKERS.get(ciphered.system_title[:3])
            apdu = decrypt(ciphered, self.key, self.auth_key)
            carrier += "+encrypted"
            if apdu[:1] == b"/":
                reading = p1.parse_p1(apdu, self.zone, received_at)
                self.format = "p1+encrypted"
                return reading
        if apdu[:1] != bytes([DATA_NOTIFICATION]):
            raise DecodeError(
                f"The frame holds a DLMS message of type 0x{apdu[:1].hex().upper() or '--'}, "
                "not a data-notification; hanport reads pushed meter data only."
            )
        reading = self._notification(apdu, maker, received_at)
        self.format = carrier
        return reading

    def _notification(
        self, apdu: bytes, maker: str | None, received_at: datetime | None
    ) -> Reading:
        date_time, body_start = parse_notification_header(apdu)
        builder = ReadingBuilder()
        entries = scan_registers(apdu, body_start)
        if entries is not None:
            add_entries(entries, builder, self.zone, maker)
        else:
            read_list(parse_notification(apdu).body, builder, self.zone, maker)
        if date_time is not None:
            time = cosem_datetime(date_time, self.zone)
            if time is not None:
                builder.add_value(FIELD_BY_NAME["meter_time"], time)
        return builder.build(received_at)


def decode(
    data: bytes,
    *,
    key: bytes | str | None = None,
    auth_key: bytes | str | None = None,
    zone: tzinfo | str = DEFAULT_ZONE,
) -> list[Reading]:
    """Decode every verified frame in `data` (any format); frames that fail are left out."""
    decoder = Decoder(key=key, auth_key=auth_key, zone=zone)
    items = decoder.feed(data) + decoder.flush()
    return [item for item in items if isinstance(item, Reading)]


def _next_start(buf: bytes | bytearray, pos: int) -> int:
    match = _START.search(buf, pos)
    return -1 if match is None else match.start()


def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo  # imported on first use: it pulls in sysconfig

    return ZoneInfo(name)
