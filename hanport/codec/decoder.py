"""The stream decoder: bytes as they arrive → `Reading` or `Rejected`, format auto-detected.

It finds frames by their start marks (see `framing`), frames each by its own length or end
mark within a size bound per format, verifies its checksums, reassembles segmented and
block-transferred APDUs, decrypts, and decodes. Chunks may be split anywhere; junk between
frames is skipped, and bytes that looked like a frame but cannot be used are reported. It never
raises on line data, and its buffer never holds more than `framing.MAX_BUFFER` bytes.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from hanport.codec import hdlc, mbus, p1
from hanport.codec.cipher import GLO_CIPHERING, aes_key, frame_ciphered
from hanport.codec.dlms import open_apdu, read_notification
from hanport.codec.energy_scale import EnergyScales
from hanport.codec.framing import (
    CUT_SHORT,
    MAX_BUFFER,
    NOT_A_FRAME,
    extent,
    frame_bare,
    given_up,
    next_start,
)
from hanport.codec.messages import Reassembly
from hanport.codec.p1_crc import missing_crc
from hanport.codec.p1_frame import frame_p1
from hanport.codec.record import Record
from hanport.errors import ChecksumError, DecodeError, HanError
from hanport.model import Reading, Rejected

__all__ = ["DEFAULT_ZONE", "INTERNAL", "Decoder", "DecoderStats", "decode"]

DEFAULT_ZONE = "Europe/Tallinn"
_FILLER = b"\x7e\x00\r\n\t "
Item = Reading | Rejected
INTERNAL = "decoder.internal"
"""The code of a rejection that is a bug in hanport, not bad line data (tests look for it)."""


class DecoderStats(Record):
    """What the decoder has seen so far: for diagnostics (`hanport doctor`) and the UI.

    `unauthenticated_sender`: the system title (`KFM…`) of a meter whose ciphered frames carry
    no authentication tag (security byte 0x20: encrypted only), so that their data cannot be
    proven unaltered; None otherwise.
    `energy_scales`: meter id ("" when it sends none) → the multiplier (1 or 10) its scaler-less
    energy registers need, detected or configured.
    """

    __slots__ = ("energy_scales", "junk_bytes", "readings", "rejected", "unauthenticated_sender")

    def __init__(
        self,
        readings: int = 0,
        rejected: int = 0,
        junk_bytes: int = 0,
        unauthenticated_sender: str | None = None,
        energy_scales: dict[str, int] | None = None,
    ) -> None:
        self.readings = readings
        self.rejected = rejected
        self.junk_bytes = junk_bytes
        self.unauthenticated_sender = unauthenticated_sender
        self.energy_scales: dict[str, int] = {} if energy_scales is None else energy_scales


class Decoder:
    """Feed it chunks of line data; get every complete frame back as `Reading` or `Rejected`.

    `key` and `auth_key` (16 bytes, or 32 hex digits) decrypt general-glo-ciphering frames.
    `zone` is where meters that send only local time live (default Europe/Tallinn).
    `energy_scale` (1 or 10) is the multiplier of scaler-less energy registers whose scale the
    list does not fix (Kamstrup); None detects it per meter from the data.
    """

    def __init__(
        self,
        *,
        key: bytes | str | None = None,
        auth_key: bytes | str | None = None,
        zone: tzinfo | str = DEFAULT_ZONE,
        energy_scale: int | None = None,
    ) -> None:
        self.key = aes_key(key, "key")
        self.auth_key = aes_key(auth_key, "auth_key")
        self.zone: tzinfo = _zone(zone) if isinstance(zone, str) else zone
        self.format: str | None = None
        """The format of the last verified frame: p1, hdlc, mbus, dlms, with `+encrypted`."""
        self._scales = EnergyScales(energy_scale)
        self.stats = DecoderStats(energy_scales=self._scales.found)
        self._buffer = bytearray()
        self._claimed = 0
        """The first bytes of the buffer that began as an HDLC, M-Bus or ciphered frame: no
        bare APDU is read in them."""
        self._sealed = 0
        """The first bytes of the buffer that were a frame which failed its checksum: their
        bytes are searched for frames again, but no raw ciphered APDU is read in them."""
        self._messages = Reassembly()
        self._crc_seen = False
        """This stream has shown P1 telegrams with CRC: one without is then refused."""

    def feed(self, chunk: bytes, received_at: datetime | None = None) -> list[Item]:
        """Add bytes from the line; return the frames they completed."""
        out: list[Item] = []
        if self._buffer:
            self._buffer += chunk
            self._scan(self._buffer, out, received_at, at_end=False)
        else:  # the usual case, a chunk that starts clean: scan it without copying it first
            rest = self._scan(chunk, out, received_at, at_end=False)
            self._buffer += rest
        if len(self._buffer) > MAX_BUFFER:  # never reached while the bounds hold: a safeguard
            dropped = len(self._buffer) - MAX_BUFFER
            del self._buffer[:dropped]
            self.stats.junk_bytes += dropped
            self._claimed = max(0, self._claimed - dropped)
            self._sealed = max(0, self._sealed - dropped)
        return out

    def reset(self) -> None:
        """Start framing afresh (a reconnect): drop buffered bytes and unfinished messages.

        What was learnt about the meter (its format, whether it sends checksums, its energy
        scale) is kept: it is the same meter after the cable comes back.
        """
        self._buffer.clear()
        self._claimed = self._sealed = 0
        self._messages.clear()

    def flush(self, received_at: datetime | None = None) -> list[Item]:
        """The input has ended: decode what only the end could complete, reject the rest."""
        out: list[Item] = []
        self._scan(self._buffer, out, received_at, at_end=True)
        self._buffer.clear()
        self._claimed = self._sealed = 0
        self._messages.finish()
        self._report_abandoned(out)
        return out

    def _scan(
        self, buf: bytes | bytearray, out: list[Item], received_at: datetime | None, *, at_end: bool
    ) -> bytes | bytearray:
        """Decode the frames in `buf`; return what is left for later (and drop it from a buffer)."""
        stats = self.stats
        pos = 0
        claimed, sealed = self._claimed, self._sealed
        noise_cut = -1
        while True:
            start = next_start(buf, pos)
            if start < 0:
                stats.junk_bytes += len(buf) - pos
                pos = len(buf)
                break
            stats.junk_bytes += start - pos
            end = self._frame_end(buf, start, at_end, claimed, sealed)
            if end >= 0:
                if not self._handle(bytes(buf[start:end]), out, received_at):
                    pos = end
                    continue
                if _damaged(buf, start):  # maybe noise: the bytes after its mark are read again
                    sealed = max(sealed, end)
                claimed = max(claimed, extent(buf, start))
            elif end != NOT_A_FRAME and not at_end:
                pos = start  # more bytes may complete it: keep it for the next chunk
                break
            elif buf[start] != 0x7E or (start + 1 < len(buf) and buf[start + 1] & 0xF0 == 0xA0):
                cut_short = end != NOT_A_FRAME  # (not the flag after an HDLC frame, or filler)
                reported = self._report(buf, start, cut_short, claimed, out)
                if cut_short and not reported and noise_cut < 0:
                    noise_cut = start
                claimed = max(claimed, extent(buf, start))
            stats.junk_bytes += 1
            pos = start + 1
        if noise_cut >= 0 and not out and buf[noise_cut:].strip(_FILLER):
            self._reject(Rejected.of(CUT_SHORT, bytes(buf[noise_cut:])), out)
        self._claimed = claimed - pos if claimed > pos else 0
        self._sealed = sealed - pos if sealed > pos else 0
        if isinstance(buf, bytearray):
            del buf[:pos]
            return buf
        return buf[pos:]

    def _frame_end(
        self, buf: bytes | bytearray, start: int, at_end: bool, claimed: int, sealed: int
    ) -> int:
        """Bare APDUs come only from DLMS streams and never from inside another frame's bytes;
        raw ciphered APDUs never from inside a frame that failed its checksum."""
        mark = buf[start]
        if mark == 0x2F:
            return frame_p1(buf, start, at_end)
        if mark == 0x7E:
            return hdlc.frame_hdlc(buf, start)
        if mark == 0x68:
            return mbus.frame_mbus(buf, start)
        if mark == GLO_CIPHERING:
            return NOT_A_FRAME if start < sealed else frame_ciphered(buf, start)
        if start < claimed or (self.format is not None and not self.format.startswith("dlms")):
            return NOT_A_FRAME
        return frame_bare(buf, start, at_end)

    def _report(
        self, buf: bytes | bytearray, start: int, cut_short: bool, claimed: int, out: list[Item]
    ) -> bool:
        """Report a candidate given up that looked like a frame; False when it was noise.
        Nothing inside a frame that was already reported (`claimed`) is reported again."""
        if start < claimed:
            return True
        found = given_up(buf, start, cut_short)
        if found is None:
            return False
        code, params, end = found
        self._reject(Rejected.of(code, bytes(buf[start:end]), **params), out)
        return True

    def _handle(self, frame: bytes, out: list[Item], received_at: datetime | None) -> bool:
        """Decode a framed frame into `out`. True when it may have been noise that only looked
        framed, so that the bytes after its start mark must be searched again: a raw ciphered
        APDU (framed by its length alone) that cannot be decoded, or an HDLC or M-Bus frame
        that fails its checksum."""
        raw_ciphered = frame[0] == GLO_CIPHERING
        mistaken = False
        try:
            item = self._decode_frame(frame, received_at)
        except HanError as error:
            if not raw_ciphered:  # never glue the pieces around a bad frame into one message
                self._messages.clear()
            item = Rejected.of_error(error, frame)
            mistaken = raw_ciphered or (isinstance(error, ChecksumError) and _noise(frame))
        except Exception as error:  # a decoder bug must not stop the reader
            self._messages.clear()
            mistaken = raw_ciphered
            item = Rejected.of(INTERNAL, frame, error=f"{type(error).__name__}: {error}")
        if self._messages.abandoned:
            self._report_abandoned(out)
        if item is None:
            return False
        if isinstance(item, Reading):
            self.stats.readings += 1
            out.append(item)
            return False
        if not raw_ciphered or self._expects_raw_ciphered():
            self._reject(item, out)
        return mistaken

    def _expects_raw_ciphered(self) -> bool:
        """A raw ciphered frame that fails in a stream of another format was line noise."""
        return self.format is None or self.format in ("dlms", "dlms+encrypted", "p1+encrypted")

    def _reject(self, item: Rejected, out: list[Item]) -> None:
        self.stats.rejected += 1
        out.append(item)

    def _report_abandoned(self, out: list[Item]) -> None:
        abandoned = self._messages.abandoned
        if abandoned:
            for code, raw in abandoned:
                self._reject(Rejected.of(code, raw), out)
            abandoned.clear()

    def _decode_frame(self, frame: bytes, received_at: datetime | None) -> Item | None:
        mark = frame[0]
        if mark == 0x2F:
            reading = self._p1(frame, received_at, checked=False)
            self.format = "p1"
            return reading
        if mark == 0x7E:
            apdu = self._messages.hdlc(hdlc.parse_hdlc(frame[1:]))
            return None if apdu is None else self._apdu(apdu, "hdlc", received_at)
        if mark == 0x68:
            apdu = self._messages.mbus(mbus.parse_mbus(frame))
            return None if apdu is None else self._apdu(apdu, "mbus", received_at)
        apdu = frame[3:] if mark == 0xE6 else frame
        return self._apdu(apdu, "dlms", received_at)

    def _p1(self, frame: bytes, received_at: datetime | None, *, checked: bool) -> Reading:
        """A telegram: its CRC verified, or its missing CRC allowed (see `p1_crc`) unless
        something else `checked` its bytes (the FCS of its frame, an authentication tag)."""
        if checked:
            return p1.parse_p1(frame, self.zone, received_at)
        reading = p1.parse_p1(frame, self.zone, received_at, without_crc=self._without_crc)
        if reading.verified:
            self._crc_seen = True
        return reading

    def _without_crc(self, telegram: bytes) -> None:
        problem = missing_crc(telegram, self._crc_seen)
        if problem is not None:
            raise DecodeError(problem[0], **problem[1])

    def _apdu(self, apdu: bytes, carrier: str, received_at: datetime | None) -> Item:
        """`carrier` "dlms" is no frame at all: only an authentication tag can check its bytes."""
        if apdu[:1] != b"\xdb":
            reading = read_notification(
                apdu, self.zone, self._scales, received_at, checked=carrier != "dlms"
            )
            self.format = carrier
            return reading
        opened = open_apdu(apdu, carrier != "dlms", self.key, self.auth_key)
        if opened.apdu[:1] == b"/":
            reading = self._p1(opened.apdu, received_at, checked=opened.checked)
            self.format = "p1+encrypted"
        else:
            reading = read_notification(
                opened.apdu,
                self.zone,
                self._scales,
                received_at,
                maker=opened.maker,
                checked=opened.checked,
                unauthenticated=opened.unauthenticated_sender is not None,
            )
            self.format = carrier + "+encrypted"
        if opened.unauthenticated_sender is not None:
            self.stats.unauthenticated_sender = opened.unauthenticated_sender
        return reading


def decode(
    data: bytes,
    *,
    key: bytes | str | None = None,
    auth_key: bytes | str | None = None,
    zone: tzinfo | str = DEFAULT_ZONE,
    energy_scale: int | None = None,
) -> list[Reading]:
    """Decode every usable frame in `data` (any format); frames that fail are left out.

    Use a `Decoder` (`feed` and `flush`) to also get the `Rejected` items and their reasons.
    """
    decoder = Decoder(key=key, auth_key=auth_key, zone=zone, energy_scale=energy_scale)
    items = decoder.feed(data) + decoder.flush()
    return [item for item in items if isinstance(item, Reading)]


def _damaged(buf: bytes | bytearray, start: int) -> bool:
    """Whether a rejected frame was a real frame (M-Bus framing, an HDLC header whose HCS
    checks): then nothing inside it is read as a raw ciphered APDU, which would bypass the
    checksum that just failed."""
    return buf[start] == 0x68 or (buf[start] == 0x7E and hdlc.looks_like_hdlc(buf, start))


def _noise(frame: bytes) -> bool:
    """Whether a frame that fails its checksum may have been noise, or a frame cut short whose
    announced end happened to fall on a flag or stop byte, rather than one damaged frame:
    HDLC and M-Bus frames (P1 telegrams cannot contain another frame)."""
    return frame[0] in (0x68, 0x7E)


def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo  # imported on first use: it pulls in sysconfig

    return ZoneInfo(name)
