"""HDLC and M-Bus framing, their checksums, segmentation and General Block Transfer."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from encoder import (
    LLC,
    crc16_x25,
    gbt_blocks,
    hdlc_address,
    hdlc_frame,
    hdlc_frames,
    mbus_frame,
    mbus_frames,
    simple_apdu,
)

import hanport
from hanport.codec import crc, hdlc, mbus
from hanport.codec.p1 import NEED_MORE, NOT_A_FRAME
from hanport.errors import ChecksumError, FrameError
from hanport.model import Reading, Rejected


def items(data: bytes) -> list[Reading | Rejected]:
    decoder = hanport.Decoder()
    return decoder.feed(data) + decoder.flush()


def readings(data: bytes) -> list[Reading]:
    return [item for item in items(data) if isinstance(item, Reading)]


def power(data: bytes) -> list[int | Decimal | None]:
    return [reading.power_import_w for reading in readings(data)]


# ------------------------------------------------------------------------------------- CRC


def test_crc16_x25_check_value() -> None:
    assert crc16_x25(b"123456789") == 0x906E
    assert crc.crc16_x25(b"123456789") == 0x906E


def test_native_crc16_x25_matches_the_bitwise_one() -> None:
    rng = random.Random(11)
    for size in (0, 1, 2, 9, 64, 1000):
        data = rng.randbytes(size)
        assert crc.crc16_x25(data) == crc16_x25(data)


# ------------------------------------------------------------------------------------ HDLC


def test_hdlc_frame_decodes() -> None:
    decoder = hanport.Decoder()
    result = decoder.feed(hdlc_frame(LLC + simple_apdu(1011, 2307))) + decoder.flush()
    assert len(result) == 1
    reading = result[0]
    assert isinstance(reading, Reading)
    assert reading.power_import_w == 1011
    assert reading.voltage_l1_v == Decimal("230.7")
    assert decoder.format == "hdlc"


@pytest.mark.parametrize(
    ("dst", "src"),
    [
        (hdlc_address(0x20, 1), hdlc_address(577, 2)),  # Aidon: 41 / 08 83
        (b"\x2b", b"\x21"),  # Kamstrup
        (b"\x01", b"\x02\x01"),  # Kaifa
        (b"\xce\xff", b"\x03"),  # Landis+Gyr E450
        (hdlc_address(0x10, 1), hdlc_address(0x12345, 4)),
        (hdlc_address(0x3FFF, 4), hdlc_address(1, 4)),
    ],
)
def test_hdlc_addresses_of_one_to_four_bytes(dst: bytes, src: bytes) -> None:
    info = LLC + simple_apdu(4242)
    frame = hdlc_frame(info, dst=dst, src=src)
    parsed = hdlc.parse_hdlc(frame[1:-1])
    assert parsed.information == info
    assert not parsed.segmented
    assert power(frame) == [4242]


def test_hdlc_address_longer_than_four_bytes_is_a_frame_error() -> None:
    frame = hdlc_frame(LLC + simple_apdu(), dst=b"\x02\x02\x02\x02\x03")
    with pytest.raises(FrameError):
        hdlc.parse_hdlc(frame[1:-1])
    assert power(frame) == []


@pytest.mark.parametrize("control", [0x13, 0x03, 0x10, 0x00])
def test_hdlc_control_byte_is_not_validated(control: int) -> None:
    assert power(hdlc_frame(LLC + simple_apdu(7), control=control)) == [7]


def test_hdlc_segmentation() -> None:
    info = LLC + simple_apdu(1234, note="x" * 400)
    data = hdlc_frames(info, 150)
    # every frame but the last has the segmentation bit
    assert data.count(b"\x7e\xa8") == (len(info) - 1) // 150 >= 2
    decoder = hanport.Decoder()
    seen: list[Reading | Rejected] = []
    completed_at = -1
    for index in range(len(data)):
        seen += decoder.feed(data[index : index + 1])
        if seen and completed_at < 0:
            completed_at = index
    seen += decoder.flush()
    assert completed_at == len(data) - 1  # when the closing flag of the last frame arrives
    assert len(seen) == 1
    reading = seen[0]
    assert isinstance(reading, Reading)
    assert reading.power_import_w == 1234
    assert reading.extra["0-0:96.13.0"].value == "x" * 400


def test_hdlc_segmentation_bit_is_reported() -> None:
    frame = hdlc_frame(b"abc", segmented=True)
    assert frame[1] & 0xF8 == 0xA8
    assert hdlc.parse_hdlc(frame[1:-1]).segmented


@pytest.mark.parametrize("shared", [True, False])
def test_consecutive_frames_with_shared_or_double_flags(shared: bool) -> None:
    frames = [hdlc_frame(LLC + simple_apdu(n)) for n in (1, 2, 3)]
    data = frames[0] + b"".join(f[1:] if shared else f for f in frames[1:])
    assert (b"\x7e\x7e" in data) is not shared
    assert power(data) == [1, 2, 3]


def test_segmented_frames_with_shared_flags() -> None:
    data = hdlc_frames(LLC + simple_apdu(99, note="y" * 300), 100, shared_flags=True)
    assert b"\x7e\x7e" not in data
    assert power(data + hdlc_frame(LLC + simple_apdu(100))) == [99, 100]


def test_flag_and_escape_bytes_inside_the_information_field() -> None:
    value = 0x7E7D7E7D
    info = LLC + simple_apdu(value, 0x7E7E, note="~}~}\x7e")
    frame = hdlc_frame(info)
    assert frame[1:-1].count(b"\x7e") >= 6
    assert b"\x7d" in frame[1:-1]
    (reading,) = readings(frame)
    assert reading.power_import_w == value
    assert reading.voltage_l1_v == Decimal(0x7E7E) / 10
    assert reading.extra["0-0:96.13.0"].value == "~}~}~"


def test_bad_hcs_is_rejected() -> None:
    frame = bytearray(hdlc_frame(LLC + simple_apdu()))
    frame[7] ^= 0x01  # first HCS byte (7E A0 LL 41 08 83 13 HCS HCS)
    (rejected,) = items(bytes(frame))
    assert isinstance(rejected, Rejected)
    assert rejected.reason.startswith("Checksum mismatch in HDLC frame header (HCS)")
    assert rejected.raw == bytes(frame[:-1])


def test_bad_fcs_is_rejected() -> None:
    frame = bytearray(hdlc_frame(LLC + simple_apdu()))
    frame[-2] ^= 0x80
    (rejected,) = items(bytes(frame))
    assert isinstance(rejected, Rejected)
    assert rejected.reason.startswith("Checksum mismatch in HDLC frame (FCS)")
    with pytest.raises(ChecksumError) as caught:
        hdlc.parse_hdlc(bytes(frame[1:-1]))
    assert caught.value.expected != caught.value.computed


def test_damaged_information_is_caught_by_the_fcs() -> None:
    frame = bytearray(hdlc_frame(LLC + simple_apdu(1000)))
    frame[-8] ^= 0x04
    (rejected,) = items(bytes(frame))
    assert isinstance(rejected, Rejected)
    assert "Checksum mismatch" in rejected.reason


def test_frame_without_information_has_only_an_fcs() -> None:
    frame = hdlc_frame(b"")
    assert len(frame) == 2 + 2 + 1 + 2 + 1 + 2  # flags, format, dst, src(2), control, FCS
    assert hdlc.parse_hdlc(frame[1:-1]).information == b""
    result = items(frame + hdlc_frame(LLC + simple_apdu(5)))
    assert [type(item) for item in result] == [Rejected, Reading]


def test_missing_closing_flag_is_not_a_frame() -> None:
    frame = hdlc_frame(LLC + simple_apdu(1))
    data = frame[:-1] + b"\x00" + hdlc_frame(LLC + simple_apdu(2))
    assert power(data) == [2]


def test_frame_hdlc_results() -> None:
    frame = hdlc_frame(LLC + simple_apdu())
    assert hdlc.frame_hdlc(frame, 0) == len(frame) - 1
    assert hdlc.frame_hdlc(frame[:2], 0) == NEED_MORE
    assert hdlc.frame_hdlc(frame[:-1], 0) == NEED_MORE
    assert hdlc.frame_hdlc(b"\x7e\x80\x20" + frame[3:], 0) == NOT_A_FRAME
    assert hdlc.frame_hdlc(b"\x7e\xa0\x05\x00\x00\x00\x7e", 0) == NOT_A_FRAME


def test_segments_resume_cleanly_after_a_damaged_segment() -> None:
    """A segment that fails its FCS drops the partial message; the next message is whole."""
    info = LLC + simple_apdu(1, note="a" * 200)
    first = hdlc_frame(info[:100], segmented=True)
    damaged = bytearray(hdlc_frame(info[100:]))
    damaged[-4] ^= 0x01
    data = first + bytes(damaged) + hdlc_frame(LLC + simple_apdu(2))
    assert [type(item) for item in items(data)][-1] is Reading
    assert power(data) == [2]


# ------------------------------------------------------------------------------------- GBT


def test_general_block_transfer_is_reassembled() -> None:
    apdu = simple_apdu(777, note="block" * 60)
    blocks = gbt_blocks(apdu, 100)
    assert len(blocks) == 4
    assert blocks[-1][1] & 0x80
    assert not blocks[0][1] & 0x80
    data = hdlc_frame(LLC + blocks[0]) + b"".join(hdlc_frame(block) for block in blocks[1:])
    decoder = hanport.Decoder()
    result = decoder.feed(data) + decoder.flush()
    assert len(result) == 1
    reading = result[0]
    assert isinstance(reading, Reading)
    assert reading.power_import_w == 777
    assert reading.extra["0-0:96.13.0"].value == "block" * 60
    assert decoder.format == "hdlc"


def test_general_block_transfer_in_one_block() -> None:
    (block,) = gbt_blocks(simple_apdu(31), 1000)
    assert power(hdlc_frame(LLC + block)) == [31]


def test_general_block_transfer_with_long_blocks() -> None:
    apdu = simple_apdu(32, note="z" * 700)
    blocks = gbt_blocks(apdu, 300)
    assert blocks[0][6:9] == b"\x82\x01\x2c"  # the block length in its long form
    data = hdlc_frame(LLC + blocks[0]) + b"".join(hdlc_frame(block) for block in blocks[1:])
    assert power(data) == [32]


# ----------------------------------------------------------------------------------- M-Bus


def test_mbus_single_frame() -> None:
    frame = mbus_frame(simple_apdu(2500), ci=0x10)
    parsed = mbus.parse_mbus(frame)
    assert parsed.last
    assert parsed.segment == simple_apdu(2500)
    decoder = hanport.Decoder()
    (reading,) = decoder.feed(frame) + decoder.flush()
    assert isinstance(reading, Reading)
    assert reading.power_import_w == 2500
    assert decoder.format == "mbus"


def test_mbus_segments() -> None:
    apdu = simple_apdu(3333, note="m" * 500)
    data = mbus_frames(apdu)
    assert data.startswith(b"\x68\xfa\xfa\x68\x53\xff\x00\x01\x67")  # full first frame, CI 00
    assert len(data) > 520
    assert power(data) == [3333]


def test_mbus_segments_ci_00_then_11() -> None:
    apdu = simple_apdu(4444, note="n" * 100)
    half = len(apdu) // 2
    data = mbus_frame(apdu[:half], ci=0x00) + mbus_frame(apdu[half:], ci=0x11)
    assert mbus.parse_mbus(mbus_frame(apdu[:half], ci=0x00)).last is False
    assert power(data) == [4444]


def test_mbus_bad_checksum() -> None:
    frame = bytearray(mbus_frame(simple_apdu()))
    frame[-2] ^= 0xFF
    (rejected,) = items(bytes(frame))
    assert isinstance(rejected, Rejected)
    assert rejected.reason.startswith("Checksum mismatch in M-Bus frame")


def test_mbus_damaged_data_is_caught() -> None:
    frame = bytearray(mbus_frame(simple_apdu()))
    frame[12] = (frame[12] + 1) & 0xFF
    (rejected,) = items(bytes(frame))
    assert isinstance(rejected, Rejected)
    assert "Checksum mismatch" in rejected.reason


def test_mbus_bad_stop_byte_is_not_a_frame() -> None:
    frame = mbus_frame(simple_apdu(1))
    assert mbus.frame_mbus(frame[:-1] + b"\x00", 0) == NOT_A_FRAME
    assert power(frame[:-1] + b"\x00" + mbus_frame(simple_apdu(2))) == [2]


def test_frame_mbus_results() -> None:
    frame = mbus_frame(simple_apdu())
    assert mbus.frame_mbus(frame, 0) == len(frame)
    assert mbus.frame_mbus(frame[:3], 0) == NEED_MORE
    assert mbus.frame_mbus(frame[:-1], 0) == NEED_MORE
    assert mbus.frame_mbus(b"\x68\x10\x11\x68", 0) == NOT_A_FRAME
    assert mbus.frame_mbus(b"\x68\x10\x10\x69", 0) == NOT_A_FRAME


def test_mbus_frame_too_short_for_dlms() -> None:
    frame = bytes([0x68, 3, 3, 0x68, 0x53, 0xFF, 0x10, (0x53 + 0xFF + 0x10) & 0xFF, 0x16])
    with pytest.raises(FrameError):
        mbus.parse_mbus(frame)
    (rejected,) = items(frame)
    assert isinstance(rejected, Rejected)
    assert "too short" in rejected.reason


def test_mbus_segments_resume_cleanly_after_a_damaged_segment() -> None:
    apdu = simple_apdu(1, note="q" * 300)
    first, second = mbus_frame(apdu[:200], ci=0x00), mbus_frame(apdu[200:], ci=0x11)
    damaged = bytearray(second)
    damaged[-2] ^= 0x01
    data = first + bytes(damaged) + mbus_frame(simple_apdu(2))
    assert power(data) == [2]


def test_lost_block_drops_the_message() -> None:
    blocks = gbt_blocks(simple_apdu(1, note="b" * 200), 60)
    assert len(blocks) >= 4
    frames = [hdlc_frame(LLC + blocks[0])] + [hdlc_frame(block) for block in blocks[1:]]
    del frames[2]
    result = items(b"".join(frames) + hdlc_frame(LLC + simple_apdu(2)))
    assert [type(item) for item in result] == [Rejected] * (len(blocks) - 3) + [Reading]
    assert isinstance(result[0], Rejected)
    assert "Block 4" in result[0].reason
    assert power(b"".join(frames) + hdlc_frame(LLC + simple_apdu(2))) == [2]


def test_new_block_transfer_restarts_an_unfinished_one() -> None:
    first = gbt_blocks(simple_apdu(1, note="b" * 200), 60)
    second = gbt_blocks(simple_apdu(2, note="c" * 200), 60)
    data = hdlc_frame(LLC + first[0]) + hdlc_frame(first[1])
    data += hdlc_frame(LLC + second[0]) + b"".join(hdlc_frame(block) for block in second[1:])
    assert power(data) == [2]


def test_unfinished_segmented_message_is_dropped_when_a_new_one_starts() -> None:
    info = LLC + simple_apdu(1, note="a" * 200)
    data = hdlc_frame(info[:100], segmented=True) + hdlc_frame(LLC + simple_apdu(2))
    assert power(data) == [2]


def test_lost_mbus_segment_drops_the_message() -> None:
    apdu = simple_apdu(1, note="q" * 300)
    frames = [
        mbus_frame(apdu[:100], ci=0x00),
        mbus_frame(apdu[100:200], ci=0x01),
        mbus_frame(apdu[200:], ci=0x12),
    ]
    result = items(frames[0] + frames[2] + mbus_frame(simple_apdu(2)))
    assert [type(item) for item in result] == [Rejected, Reading]
    assert isinstance(result[0], Rejected)
    assert "segment 2" in result[0].reason
    assert power(b"".join(frames)) == [1]
