"""Noise and broken frames never stop the decoder: bounds per format, resync, a bounded buffer.

After any garbage (random bytes, a truncated frame of each format, maximal length fields) the
next valid frames decode, in one piece or streamed, and bytes that looked like a frame but
cannot be used are reported with a reason.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from encoder import (
    LLC,
    glo_ciphering,
    hdlc_frame,
    hdlc_frames,
    mbus_frames,
    p1_telegram,
    simple_apdu,
)
from rejections import assert_understood
from shared_samples import samples_root_or_skip

import hanport
from hanport.codec import framing
from hanport.codec.apdu import parse_notification
from hanport.model import Reading, Rejected

KEY = bytes(range(16))
AUTH = bytes(range(16, 32))
TITLE = b"LGZ\x01\x02\x03\x04\x05"


def telegram(watts: int) -> bytes:
    return p1_telegram([f"1-0:1.7.0({watts // 1000:04d}.{watts % 1000:03d}*kW)"])


VALID: dict[str, Callable[[int], bytes]] = {
    "p1": telegram,
    "hdlc": lambda w: hdlc_frame(LLC + simple_apdu(w)),
    "hdlc segmented": lambda w: hdlc_frames(LLC + simple_apdu(w, note="s" * 200), 90),
    "mbus": lambda w: mbus_frames(simple_apdu(w)),
    "gcm": lambda w: glo_ciphering(simple_apdu(w), key=KEY, auth_key=AUTH),
}


def _truncated(frame: bytes) -> bytes:
    return frame[: len(frame) * 2 // 3]


GARBAGE: dict[str, bytes] = {
    "random 1": random.Random(1).randbytes(3000),
    "random 2": random.Random(2).randbytes(20000),
    "truncated p1": _truncated(p1_telegram(["1-0:1.7.0(0001.000*kW)"] * 20)),
    "truncated hdlc": _truncated(hdlc_frame(LLC + simple_apdu(1, note="t" * 1500))),
    "truncated mbus": _truncated(mbus_frames(simple_apdu(1, note="t" * 200))),
    "truncated ciphered": _truncated(
        glo_ciphering(simple_apdu(1, note="t" * 900), key=KEY, auth_key=AUTH)
    ),
    "truncated bare apdu": _truncated(simple_apdu(1, note="t" * 300)),
    "truncated bare apdu with llc": _truncated(LLC + simple_apdu(1, note="t" * 300)),
    "ciphered, length byte 0xFF": b"\xdb\x08" + bytes(8) + b"\xff",
    "ciphered, length 8192": b"\xdb\x08" + TITLE + b"\x82\x20\x00\x30" + bytes(4),
    "ciphered, length 65535": b"\xdb\x08" + TITLE + b"\x82\xff\xff\x30" + bytes(4),
    "ciphered, 4-byte length": b"\xdb\x08" + TITLE + b"\x84\xff\xff\xff\xff\x30",
    "hdlc, length 2047": b"\x7e\xa7\xff\x41\x08\x83\x13",
    "mbus, length 255": b"\x68\xff\xff\x68\x53\xff\x00\x01\x67",
    "bare apdu, array of 65535": b"\x0f\x40\x00\x00\x00\x00\x01\x82\xff\xff",
    "p1, 16 KiB without end": b"/XMX5XMXABCE000012345\r\n\r\n"
    + b"1-0:1.7.0(0001.000*kW)\r\n" * 700,
    "p1, identification only": b"/LGF5E360\r\n",
    "start marks only": b"/\x7e\x68\xdb\x08\x0f\xe6\xe6\xe7\x00\x0f" * 50,
}


def stream_of(kind: str, count: int) -> tuple[bytes, list[int]]:
    watts = [1000 + n for n in range(count)]
    return b"".join(VALID[kind](w) for w in watts), watts


def readings(items: list[Reading | Rejected]) -> list[int | object]:
    assert_understood(items)
    return [item.power_import_w for item in items if isinstance(item, Reading)]


@pytest.mark.parametrize("garbage", sorted(GARBAGE))
@pytest.mark.parametrize("kind", sorted(VALID))
def test_after_garbage_the_next_valid_frame_decodes(garbage: str, kind: str) -> None:
    decoder = hanport.Decoder(key=KEY, auth_key=AUTH)
    frame = VALID[kind](4321)
    items = decoder.feed(GARBAGE[garbage] + frame) + decoder.flush()
    assert readings(items) == [4321], items


@pytest.mark.parametrize("garbage", sorted(GARBAGE))
@pytest.mark.parametrize("kind", sorted(VALID))
def test_after_garbage_a_stream_loses_no_frame(garbage: str, kind: str) -> None:
    """Streamed in 4 KiB chunks: frames held while a false start waits for its bound all come
    out once it is given up; none is swallowed, and the buffer stays bounded."""
    data, watts = stream_of(kind, 300)
    data = GARBAGE[garbage] + data
    decoder = hanport.Decoder(key=KEY, auth_key=AUTH)
    items: list[Reading | Rejected] = []
    for pos in range(0, len(data), 4096):
        items += decoder.feed(data[pos : pos + 4096])
        assert len(decoder._buffer) <= framing.MAX_BUFFER
    streamed = readings(items)
    held = framing.MAX_BUFFER // len(VALID[kind](1000)) + 1  # at most the last bound's worth
    assert streamed == watts[: len(streamed)]
    assert len(streamed) >= len(watts) - held
    assert readings(items + decoder.flush()) == watts


def test_eleven_bytes_of_line_noise_do_not_stop_the_decoder() -> None:
    """The issue's repro: DB 08, 8 bytes, length byte 0xFF made the decoder wait for ever."""
    e360 = (samples_root_or_skip() / "p1/se_landisgyr-e360_2.txt").read_bytes()
    decoder = hanport.Decoder(zone="Europe/Stockholm")
    assert decoder.feed(bytes.fromhex("db08") + bytes(8) + b"\xff") == []
    found = [item for _ in range(1000) for item in decoder.feed(e360)]
    assert len([item for item in found if isinstance(item, Reading)]) == 1000
    assert len(decoder._buffer) == 0


@pytest.mark.parametrize("length", range(0x80, 0x100))
def test_no_ciphered_length_byte_stalls_the_stream(length: int) -> None:
    decoder = hanport.Decoder()
    decoder.feed(b"\xdb\x08" + TITLE + bytes([length]))
    out = [item for n in range(40) for item in decoder.feed(telegram(n))]
    assert readings(out) == list(range(40))  # as they arrive, not only when the input ends


def test_a_reconnect_starts_framing_afresh() -> None:
    decoder = hanport.Decoder()
    decoder.feed(b"\x7e\xa7\xff\x41\x08\x83\x13" + bytes(100))
    decoder.reset()
    assert readings(decoder.feed(hdlc_frame(LLC + simple_apdu(7)))) == [7]


def test_the_buffer_never_grows_beyond_its_bound() -> None:
    rng = random.Random(5)
    decoder = hanport.Decoder()
    largest = 0
    for _ in range(300):
        decoder.feed(rng.randbytes(4096))
        largest = max(largest, len(decoder._buffer))
    assert largest <= framing.MAX_BUFFER
    assert decoder.stats.junk_bytes > 300 * 4096 - framing.MAX_BUFFER


def test_flush_work_does_not_grow_with_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """flush() was quadratic: every 0F/E6 byte parsed the whole rest of the buffer as a bare
    APDU. Now none is tried where it could not end at the end of the data (MAX_APDU), so twice
    the data costs no more parsing."""
    parsed: list[int] = []

    def counting(apdu: bytes) -> object:
        parsed.append(len(apdu))
        return parse_notification(apdu)

    monkeypatch.setattr("hanport.codec.framing.parse_notification", counting)
    unit = b"\x0f\x40\x00\x00\x00\x00\x01\x82\xff\xff" + b"\xe6\xe7\x00\x0f"
    work = []
    for repeats in (5000, 10000):
        parsed.clear()
        decoder = hanport.Decoder()
        decoder.feed(unit * repeats)
        decoder.flush()
        work.append(sum(parsed))
    assert 0 < work[1] <= work[0] + framing.MAX_APDU
    assert [r.power_import_w for r in hanport.decode(unit * 100 + simple_apdu(9))] == [9]


# ------------------------------------------------------------------- reasons, never silence


def rejected_of(data: bytes) -> list[Rejected]:
    decoder = hanport.Decoder(key=KEY, auth_key=AUTH)
    items = decoder.feed(data) + decoder.flush()
    assert decoder.stats.rejected == sum(isinstance(item, Rejected) for item in items)
    assert_understood(items)
    return [item for item in items if isinstance(item, Rejected)]


def test_a_telegram_with_a_binary_byte_is_reported() -> None:
    damaged = bytearray(telegram(1))
    damaged[20] = 0x01
    (rejected,) = rejected_of(bytes(damaged))
    assert rejected.reason == (
        "The P1 telegram holds a byte that is not text (0x01); it was damaged on the line and "
        "is dropped."
    )
    assert rejected.raw == bytes(damaged[:20])


def test_a_telegram_without_end_line_is_reported() -> None:
    data = b"/LGF5E360\r\n\r\n" + b"1-0:1.7.0(0001.000*kW)\r\n" * 700 + telegram(5)
    items = hanport.Decoder().feed(data)
    assert isinstance(items[0], Rejected)
    assert items[0].reason.startswith("The P1 telegram has no end line (!) within 16384 bytes")
    assert readings(items) == [5]


def test_an_hdlc_frame_without_its_closing_flag_is_reported() -> None:
    frame = bytearray(hdlc_frame(LLC + simple_apdu(1)))
    frame[-1] = 0x00
    items = hanport.Decoder().feed(bytes(frame) + hdlc_frame(LLC + simple_apdu(2)))
    assert isinstance(items[0], Rejected)
    assert items[0].reason.startswith("The HDLC frame does not end where its length field says")
    assert readings(items) == [2]


def test_an_mbus_frame_without_its_stop_byte_is_reported() -> None:
    frame = bytearray(mbus_frames(simple_apdu(1)))
    frame[-1] = 0x00
    items = hanport.Decoder().feed(bytes(frame) + mbus_frames(simple_apdu(2)))
    assert isinstance(items[0], Rejected)
    assert items[0].reason.startswith("The M-Bus frame does not end where its length field says")
    assert readings(items) == [2]


def test_noise_is_not_reported() -> None:
    assert rejected_of(random.Random(3).randbytes(20000)) == []


def test_an_interrupted_segmented_message_is_reported() -> None:
    first = hdlc_frames(LLC + simple_apdu(1, note="x" * 300), 100)
    cut = first[: first.rindex(b"\x7e\x7e") + 1]  # every segment but the last
    items = hanport.Decoder().feed(cut + hdlc_frame(LLC + simple_apdu(2)))
    assert isinstance(items[0], Rejected)
    assert items[0].reason.startswith("A DLMS message in several frames was interrupted")
    assert readings(items) == [2]


def test_an_unfinished_segmented_message_is_reported_at_the_end() -> None:
    first = hdlc_frames(LLC + simple_apdu(1, note="x" * 300), 100)
    cut = first[: first.rindex(b"\x7e\x7e") + 1]
    decoder = hanport.Decoder()
    assert decoder.feed(cut) == []
    (rejected,) = decoder.flush()
    assert isinstance(rejected, Rejected)
    assert rejected.reason.startswith("The data ends before the last frame of a DLMS message")


def test_an_mbus_message_of_more_than_16_segments_decodes() -> None:
    """The segment number has 4 bits: segment 16 is numbered 0 again, and is no new message."""
    frames = mbus_frames(simple_apdu(77, note="m" * 400), 20)
    assert frames.count(b"\x68\x19\x19\x68") > 16
    assert readings(hanport.Decoder().feed(frames)) == [77]


def test_iskra_identification_with_byte_02() -> None:
    """Some Iskra IE5 captures show the `\\2` escape as byte 0x02: it was silently no telegram."""
    lines = ["1-0:0.0.0(00000000)", "0-0:1.0.0(230202132747)", "1-0:1.7.0(01.449*kW)"]
    for header in ("ISk5\x02MIE5T-200", "ISk5\\2MIE5T-200"):
        decoder = hanport.Decoder()
        items = decoder.feed(p1_telegram(lines, header=header)) + decoder.flush()
        assert len(items) == 1
        reading = items[0]
        assert isinstance(reading, Reading), reading
        assert reading.meter_model == "ISk5\\2MIE5T-200"
        assert reading.power_import_w == 1449
        assert reading.meter_time is not None


def test_byte_02_outside_the_identification_line_is_damage() -> None:
    damaged = p1_telegram(["1-0:1.7.0(0001.449*kW)"], header="ISk5\\2MIE5T-200")
    damaged = damaged.replace(b"1.449", b"1\x02449")
    (rejected,) = rejected_of(damaged)
    assert "not text (0x02)" in rejected.reason


def test_a_message_that_never_ends_does_not_pile_up() -> None:
    """Segmented frames whose last one never comes: dropped, with a reason, beyond 64 KiB."""
    piece = hdlc_frame(b"s" * 1000, segmented=True)
    decoder = hanport.Decoder()
    found = [item for _ in range(80) for item in decoder.feed(piece)]
    rejected = [item for item in found if isinstance(item, Rejected)]
    assert len(rejected) == 1
    assert rejected[0].reason.startswith("A DLMS message in several frames grew beyond 64 KiB")
    assert len(rejected[0].raw) > 65536
    assert readings(decoder.feed(hdlc_frame(LLC + simple_apdu(3)))) == [3]
