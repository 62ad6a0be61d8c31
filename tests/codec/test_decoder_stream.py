"""The stream decoder: chunks split anywhere, junk, partial frames, flush, stats, options."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from encoder import (
    LLC,
    gbt_blocks,
    glo_ciphering,
    hdlc_frame,
    hdlc_frames,
    mbus_frames,
    p1_telegram,
    simple_apdu,
)
from rejections import assert_understood

import hanport
from hanport.model import Reading, Rejected

KEY = bytes(range(16))
AUTH = bytes(range(16, 32))


def telegram(watts: int, **options: str) -> bytes:
    kw = f"{watts // 1000:04d}.{watts % 1000:03d}"
    lines = ["0-0:1.0.0(240115120000W)", f"1-0:1.7.0({kw}*kW)", "1-0:32.7.0(230.1*V)"]
    return p1_telegram(lines, **options)


def gbt(watts: int) -> bytes:
    blocks = gbt_blocks(simple_apdu(watts, note="g" * 150), 64)
    return hdlc_frame(LLC + blocks[0]) + b"".join(hdlc_frame(block) for block in blocks[1:])


DSMR22 = "XMX5XMXABCE000012345"
"""The identification of a DSMR 2.2 meter: it sends no CRC. Once a stream has shown CRCs, a
telegram without one is refused, so the CRC-less telegram comes first in the stream."""

FRAMES: list[tuple[str, bytes, int]] = [
    ("p1 LF, no CRC", telegram(1012, eol="\n", crc="none", header=DSMR22), 1012),
    ("p1", telegram(1011), 1011),
    ("p1 short CRC", telegram(1013, crc="short"), 1013),
    ("hdlc", hdlc_frame(LLC + simple_apdu(2001)), 2001),
    ("hdlc segmented", hdlc_frames(LLC + simple_apdu(2002, note="s" * 300), 120), 2002),
    ("hdlc gbt", gbt(2003), 2003),
    ("mbus", mbus_frames(simple_apdu(3001)), 3001),
    ("mbus segmented", mbus_frames(simple_apdu(3002, note="m" * 300), 100), 3002),
    ("gcm", glo_ciphering(simple_apdu(4001), key=KEY, auth_key=AUTH), 4001),
    ("gcm hdlc", hdlc_frame(LLC + glo_ciphering(simple_apdu(4002), key=KEY, auth_key=AUTH)), 4002),
    ("encrypted p1", glo_ciphering(telegram(4003), key=KEY, auth_key=AUTH), 4003),
]
IDS = [name for name, _, _ in FRAMES]
STREAM = b"".join(frame for _, frame, _ in FRAMES)
STREAM_POWER = [watts for _, _, watts in FRAMES]


def decoder() -> hanport.Decoder:
    return hanport.Decoder(key=KEY, auth_key=AUTH)


def power(result: list[Reading | Rejected]) -> list[int | Decimal | None]:
    assert all(isinstance(item, Reading) for item in result), result
    return [item.power_import_w for item in result if isinstance(item, Reading)]


def feed_chunks(chunks: list[bytes]) -> list[Reading | Rejected]:
    dec = decoder()
    out: list[Reading | Rejected] = []
    for chunk in chunks:
        out += dec.feed(chunk)
    out += dec.flush()
    assert_understood(out)
    return out


def split(data: bytes, rng: random.Random, largest: int) -> list[bytes]:
    chunks = []
    pos = 0
    while pos < len(data):
        size = rng.randint(1, largest)
        chunks.append(data[pos : pos + size])
        pos += size
    return chunks


@pytest.mark.parametrize(("name", "frame", "watts"), FRAMES, ids=IDS)
def test_each_frame_kind_whole(name: str, frame: bytes, watts: int) -> None:
    assert power(feed_chunks([frame])) == [watts]


@pytest.mark.parametrize(("name", "frame", "watts"), FRAMES, ids=IDS)
def test_each_frame_kind_byte_by_byte(name: str, frame: bytes, watts: int) -> None:
    assert power(feed_chunks([frame[i : i + 1] for i in range(len(frame))])) == [watts]


def test_a_stream_of_every_kind_in_one_chunk() -> None:
    dec = decoder()
    result = dec.feed(STREAM)
    result += dec.flush()
    assert power(result) == STREAM_POWER


def test_a_stream_byte_by_byte() -> None:
    assert power(feed_chunks([STREAM[i : i + 1] for i in range(len(STREAM))])) == STREAM_POWER


@pytest.mark.parametrize("seed", range(20))
def test_a_stream_in_random_chunks(seed: int) -> None:
    rng = random.Random(seed)
    assert power(feed_chunks(split(STREAM, rng, rng.choice([3, 17, 64, 500])))) == STREAM_POWER


def test_frames_come_out_as_soon_as_they_are_complete() -> None:
    dec = decoder()
    first, second = telegram(1), hdlc_frame(LLC + simple_apdu(2))
    assert dec.feed(first[:-1]) == []
    assert power(dec.feed(first[-1:] + second)) == [1, 2]


def test_junk_before_and_between_frames() -> None:
    junk = b"\x00\xff\x01noise!\r\n\x55\xaa"
    data = junk + junk.join(frame for _, frame, _ in FRAMES) + junk
    dec = decoder()
    result = dec.feed(data) + dec.flush()
    assert power(result) == STREAM_POWER
    assert dec.stats.readings == len(FRAMES)
    assert dec.stats.rejected == 0


def test_partial_frames_at_the_start() -> None:
    for _, frame, watts in FRAMES:
        for cut in (1, len(frame) // 3, len(frame) // 2, len(frame) - 2):
            # the padding lets a false frame start in the tail run out before the input ends
            data = frame[cut:] + telegram(1) + hdlc_frame(LLC + simple_apdu(2)) + bytes(2100)
            result = feed_chunks([data])
            assert power([r for r in result if isinstance(r, Reading)])[-2:] == [1, 2], (
                watts,
                cut,
            )


def test_cut_off_telegram_followed_by_a_whole_one() -> None:
    whole = telegram(5)
    dec = decoder()
    result = dec.feed(whole[:40] + whole) + dec.flush()
    assert len(result) == 2
    cut, reading = result
    assert isinstance(cut, Rejected)
    assert cut.reason.startswith("The P1 telegram was cut off")
    assert cut.raw == whole[:40]
    assert power([reading]) == [5]
    assert dec.stats.junk_bytes >= 40
    assert dec.stats.rejected == 1


def test_truncated_frame_followed_by_a_whole_one_while_streaming() -> None:
    """A frame that lost its tail on the line must not hide the frames after it."""
    cut = hdlc_frame(LLC + simple_apdu(1, note="c" * 500))[:60]
    following = [hdlc_frame(LLC + simple_apdu(n, note="f" * 100)) for n in range(2, 12)]
    result = feed_chunks([cut, *following])
    assert [r.power_import_w for r in result if isinstance(r, Reading)] == list(range(2, 12))


def test_truncated_frame_followed_by_a_whole_one_at_the_end_of_the_input() -> None:
    """Same, when the input ends before the truncated frame's announced length is reached."""
    cut = hdlc_frame(LLC + simple_apdu(1, note="c" * 500))[:60]
    data = cut + hdlc_frame(LLC + simple_apdu(2))
    assert [r.power_import_w for r in hanport.decode(data)] == [2]


def test_truncated_mbus_frame_followed_by_a_whole_one_at_the_end_of_the_input() -> None:
    cut = mbus_frames(simple_apdu(1, note="c" * 200))[:40]
    data = cut + mbus_frames(simple_apdu(2))
    assert [r.power_import_w for r in hanport.decode(data)] == [2]


def test_flush_rejects_an_incomplete_frame() -> None:
    dec = decoder()
    frame = hdlc_frame(LLC + simple_apdu(7))
    assert power(dec.feed(telegram(6) + frame[:20])) == [6]
    result = dec.flush()
    assert len(result) == 1
    rejected = result[0]
    assert isinstance(rejected, Rejected)
    assert "ends in the middle of a frame" in rejected.reason
    assert rejected.raw == frame[:20]
    assert dec.stats.rejected == 1
    # the decoder starts afresh after a flush
    assert power(dec.feed(frame) + dec.flush()) == [7]


def test_flush_of_an_incomplete_telegram() -> None:
    dec = decoder()
    assert dec.feed(telegram(8)[:-10]) == []
    (rejected,) = dec.flush()
    assert isinstance(rejected, Rejected)
    assert rejected.raw.startswith(b"/LGF5E360")


def test_flush_completes_a_telegram_whose_line_end_is_missing() -> None:
    dec = decoder()
    cut = telegram(9, crc="none", header=DSMR22)[:-2]
    assert dec.feed(cut) == []  # ends with "!": a CRC may follow
    assert power(dec.flush()) == [9]


def test_four_crc_digits_complete_a_telegram_without_its_line_end() -> None:
    dec = decoder()
    assert power(dec.feed(telegram(10)[:-2])) == [10]
    assert dec.flush() == []


def test_telegram_waits_for_all_crc_digits() -> None:
    whole = telegram(11)
    dec = decoder()
    assert dec.feed(whole[:-4]) == []  # "!" and three of the four digits
    assert power(dec.feed(whole[-4:])) == [11]


def test_flush_of_nothing_or_filler_is_silent() -> None:
    dec = decoder()
    assert dec.flush() == []
    assert dec.feed(b"\r\n\x00\x7e \t") == []
    assert dec.flush() == []
    assert dec.stats.rejected == 0


def test_stats() -> None:
    dec = decoder()
    bad = bytearray(telegram(2))
    bad[24] ^= 0x01  # a digit of the timestamp
    dec.feed(b"xyz" + telegram(1) + b"abc" + bytes(bad) + telegram(3))
    dec.flush()
    assert dec.stats.readings == 2
    assert dec.stats.rejected == 1
    assert dec.stats.junk_bytes == 6
    assert hanport.DecoderStats(2, 1, 6) == dec.stats


def test_rejected_items_come_in_order_with_the_readings() -> None:
    bad = bytearray(hdlc_frame(LLC + simple_apdu(2)))
    bad[-3] ^= 0x10
    result = feed_chunks([telegram(1) + bytes(bad) + telegram(3)])
    assert [type(item) for item in result] == [Reading, Rejected, Reading]
    assert isinstance(result[1], Rejected)
    assert result[1].raw == bytes(bad[:-1])


def test_format_follows_the_last_verified_frame() -> None:
    dec = decoder()
    expected = [
        None,  # a telegram without CRC is complete only when the next bytes show it ended
        "p1",
        "p1",
        "hdlc",
        "hdlc",
        "hdlc",
        "mbus",
        "mbus",
        "dlms+encrypted",
        "hdlc+encrypted",
        "p1+encrypted",
    ]
    assert dec.format is None
    for (_, frame, _), fmt in zip(FRAMES, expected, strict=True):
        dec.feed(frame)
        assert dec.format == fmt


def test_received_at_is_given_to_every_reading() -> None:
    when = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    dec = decoder()
    result = dec.feed(STREAM, received_at=when) + dec.flush(received_at=when)
    assert {item.received_at for item in result if isinstance(item, Reading)} == {when}


def test_decode_returns_only_readings() -> None:
    bad = bytearray(telegram(2))
    bad[30] ^= 0x02
    result = hanport.decode(telegram(1) + bytes(bad) + telegram(3) + b"/LGF5", key=KEY)
    assert [r.power_import_w for r in result] == [1, 3]


def test_zone_as_tzinfo() -> None:
    fixed = timezone(timedelta(hours=5))
    (reading,) = hanport.decode(telegram(1), zone=fixed)
    assert reading.meter_time == datetime(2024, 1, 15, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "key", ["", "00" * 15, "00" * 17, "zz" * 16, b"\x00" * 15, b"\x00" * 32, "0" * 31]
)
def test_bad_key_is_a_value_error(key: bytes | str) -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        hanport.Decoder(key=key)
    with pytest.raises(ValueError, match="16 bytes"):
        hanport.Decoder(auth_key=key)


def test_key_as_bytes_or_hex() -> None:
    assert hanport.Decoder(key=KEY.hex()).key == KEY
    assert hanport.Decoder(key=KEY.hex().upper()).key == KEY
    assert hanport.Decoder(key=KEY).key == KEY
    assert hanport.Decoder().key is None
