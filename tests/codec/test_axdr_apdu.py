"""A-XDR values (every tag, long lengths, truncation) and the DLMS APDUs that carry them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from encoder import (
    LLC,
    array,
    bcd,
    bit_string,
    boolean,
    cosem_clock,
    data_notification,
    date_time,
    double_long,
    double_long_unsigned,
    enum,
    float32,
    float64,
    gbt_blocks,
    hdlc_frame,
    integer,
    long,
    long64,
    long64_unsigned,
    long_unsigned,
    null,
    obis,
    octet_string,
    register,
    scaler_unit,
    simple_apdu,
    structure,
    unsigned,
    utf8_string,
    visible_string,
)

import hanport
from hanport.codec.apdu import parse_block, parse_notification
from hanport.codec.axdr import (
    AxdrValue,
    DateTimeBytes,
    DlmsEnum,
    TruncatedError,
    decode_axdr,
    read_length,
)
from hanport.errors import DecodeError
from hanport.model import Reading, Rejected

CLOCK = cosem_clock(datetime(2024, 1, 15, 12, 0, 5), deviation=-120, status=0x00)

VALUES: list[tuple[bytes, AxdrValue]] = [
    (null(), None),
    (boolean(True), True),
    (boolean(False), False),
    (bit_string(12, b"\xab\xc0"), b"\xab\xc0"),
    (double_long(-2_000_000_000), -2_000_000_000),
    (double_long(2_147_483_647), 2_147_483_647),
    (double_long_unsigned(4_294_967_295), 4_294_967_295),
    (octet_string(b"\x01\x00\x01\x08\x00\xff"), b"\x01\x00\x01\x08\x00\xff"),
    (octet_string(b""), b""),
    (visible_string("AIDON_V0001"), "AIDON_V0001"),
    (utf8_string("Tõnis Mägi"), "Tõnis Mägi"),
    (bcd(0x42), 0x42),
    (integer(-3), -3),
    (integer(127), 127),
    (long(-32768), -32768),
    (unsigned(255), 255),
    (long_unsigned(65535), 65535),
    (long64(-(2**63)), -(2**63)),
    (long64_unsigned(2**64 - 1), 2**64 - 1),
    (enum(27), 27),
    (float32(1.5), Decimal("1.5")),
    (float64(-2.25), Decimal("-2.25")),
    (date_time(CLOCK), CLOCK),
    (array([]), []),
    (array([unsigned(1), unsigned(2)]), [1, 2]),
    (structure([integer(-1), enum(35)]), (-1, 35)),
    (
        structure([array([structure([long_unsigned(3), obis("1-0:1.8.0")])]), null()]),
        ([(3, b"\x01\x00\x01\x08\x00\xff")], None),
    ),
]


@pytest.mark.parametrize(("encoded", "expected"), VALUES)
def test_every_tag_decodes(encoded: bytes, expected: AxdrValue) -> None:
    value, end = decode_axdr(encoded)
    assert value == expected
    assert type(value) is type(expected) or isinstance(value, type(expected))
    assert end == len(encoded)


def test_special_types_are_recognisable() -> None:
    unit, _ = decode_axdr(enum(33))
    assert isinstance(unit, DlmsEnum)
    assert unit == 33
    clock, _ = decode_axdr(date_time(CLOCK))
    assert isinstance(clock, DateTimeBytes)
    octets, _ = decode_axdr(octet_string(CLOCK))
    assert not isinstance(octets, DateTimeBytes)
    flag, _ = decode_axdr(boolean(True))
    assert flag is True
    pair, _ = decode_axdr(scaler_unit(-1, 35))
    assert pair == (-1, 35)
    assert isinstance(pair, tuple)
    assert isinstance(pair[1], DlmsEnum)


def test_decoding_from_an_offset() -> None:
    data = unsigned(7) + long_unsigned(300)
    first, pos = decode_axdr(data)
    second, end = decode_axdr(data, pos)
    assert (first, second, pos, end) == (7, 300, 2, 5)


@pytest.mark.parametrize("size", [0x7F, 0x80, 0xFF, 0x100, 0x1234])
def test_long_lengths(size: int) -> None:
    encoded = octet_string(bytes(range(256)) * (size // 256) + bytes(size % 256))
    if size < 0x80:
        assert encoded[1] == size
    elif size < 0x100:
        assert encoded[1:3] == bytes([0x81, size])
    else:
        assert encoded[1:4] == b"\x82" + size.to_bytes(2, "big")
    value, end = decode_axdr(encoded)
    assert isinstance(value, bytes)
    assert len(value) == size
    assert end == len(encoded)


def test_array_with_a_long_count() -> None:
    encoded = array([unsigned(n % 256) for n in range(300)])
    assert encoded[:4] == b"\x01\x82\x01\x2c"
    value, _ = decode_axdr(encoded)
    assert value == [n % 256 for n in range(300)]


@pytest.mark.parametrize("data", [b"\x81\x05", b"\x82\x00\x05", b"\x84\x00\x00\x00\x05"])
def test_read_length_long_forms(data: bytes) -> None:
    assert read_length(data, 0) == (5, len(data))


@pytest.mark.parametrize("data", [b"\x80", b"\x85\x00\x00\x00\x00\x05"])
def test_invalid_length_is_a_decode_error_not_truncation(data: bytes) -> None:
    with pytest.raises(DecodeError) as caught:
        read_length(data, 0)
    assert not isinstance(caught.value, TruncatedError)


@pytest.mark.parametrize(("encoded", "expected"), [v for v in VALUES if len(v[0]) > 1])
def test_every_truncation_is_reported_as_truncated(encoded: bytes, expected: AxdrValue) -> None:
    for cut in range(len(encoded)):
        with pytest.raises(TruncatedError):
            decode_axdr(encoded[:cut])


def test_empty_input_is_truncated() -> None:
    with pytest.raises(TruncatedError):
        decode_axdr(b"")


@pytest.mark.parametrize("tag", [0x07, 0x08, 0x0B, 0x0E, 0x13, 0x1A, 0xFF])
def test_unknown_tag(tag: int) -> None:
    with pytest.raises(DecodeError, match=f"unknown type 0x{tag:02X}"):
        decode_axdr(bytes([tag, 0, 0, 0, 0]))


def test_nesting_too_deep() -> None:
    value = unsigned(1)
    for _ in range(40):
        value = structure([value])
    with pytest.raises(DecodeError) as caught:
        decode_axdr(value)
    assert not isinstance(caught.value, TruncatedError)


def test_invalid_utf8_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        decode_axdr(b"\x0c\x02\xff\xfe")


# -------------------------------------------------------------------------------- APDUs


def test_notification_with_empty_date_time() -> None:
    body = array([register("1-0:1.7.0", double_long_unsigned(5))])
    apdu = data_notification(body)
    notification = parse_notification(apdu)
    assert notification.date_time is None
    assert notification.size == len(apdu)
    assert notification.body == [(b"\x01\x00\x01\x07\x00\xff", 5)]


@pytest.mark.parametrize("tagged", [False, True])
def test_notification_with_date_time(tagged: bool) -> None:
    apdu = data_notification(unsigned(1), clock=CLOCK, tagged_clock=tagged, invoke_id=0x0021A433)
    assert apdu[5:7] == (b"\x09\x0c" if tagged else b"\x0c" + CLOCK[:1])
    notification = parse_notification(apdu + b"\x00\x00")
    assert notification.date_time == CLOCK
    assert notification.body == 1
    assert notification.size == len(apdu)


def test_not_a_notification() -> None:
    with pytest.raises(DecodeError):
        parse_notification(b"\xc4\x01\x00\x00\x00\x00\x00")
    with pytest.raises(DecodeError):
        parse_notification(b"")


def test_notification_cut_short_is_truncated() -> None:
    apdu = simple_apdu()
    for cut in range(1, len(apdu)):
        with pytest.raises(TruncatedError):
            parse_notification(apdu[:cut])


def test_block() -> None:
    blocks = gbt_blocks(b"0123456789", 4)
    parsed = [parse_block(block) for block in blocks]
    assert [(b.number, b.last, b.data) for b in parsed] == [
        (1, False, b"0123"),
        (2, False, b"4567"),
        (3, True, b"89"),
    ]


def test_block_errors() -> None:
    (block,) = gbt_blocks(b"abcdef", 10)
    with pytest.raises(DecodeError):
        parse_block(block[:-1])
    with pytest.raises(DecodeError):
        parse_block(b"\x0f" + block[1:])


def test_notification_date_time_is_the_meter_time() -> None:
    body = array([register("1-0:1.7.0", double_long_unsigned(1500), 0, 27)])
    apdu = data_notification(body, clock=CLOCK)
    (reading,) = hanport.decode(hdlc_frame(LLC + apdu))
    # deviation −120: UTC = local − 2 h
    assert reading.meter_time == datetime(2024, 1, 15, 10, 0, 5, tzinfo=UTC)
    assert reading.power_import_w == 1500


def test_kaifa_tagged_date_time_in_the_header() -> None:
    local = cosem_clock(datetime(2024, 7, 1, 8, 0, 0), status=0x80)
    apdu = data_notification(structure([double_long_unsigned(900)]), clock=local, tagged_clock=True)
    (reading,) = hanport.decode(hdlc_frame(LLC + apdu))
    assert reading.meter_time == datetime(2024, 7, 1, 5, 0, 0, tzinfo=UTC)
    assert reading.power_import_w == 900


def test_unspecified_header_clock_gives_no_meter_time() -> None:
    body = array([register("1-0:1.7.0", double_long_unsigned(1), 0, 27)])
    apdu = data_notification(body, clock=cosem_clock(None))
    (reading,) = hanport.decode(hdlc_frame(LLC + apdu))
    assert reading.meter_time is None
    assert reading.power_import_w == 1


def test_bare_apdu_is_decoded_at_the_end_of_the_input() -> None:
    decoder = hanport.Decoder()
    assert decoder.feed(simple_apdu(808)) == []
    result = decoder.flush()
    assert len(result) == 1
    reading = result[0]
    assert isinstance(reading, Reading)
    assert reading.power_import_w == 808
    assert decoder.format == "dlms"


def test_bare_apdu_with_llc() -> None:
    (reading,) = hanport.decode(LLC + simple_apdu(909))
    assert reading.power_import_w == 909


def test_other_dlms_message_is_rejected() -> None:
    result = hanport.Decoder().feed(hdlc_frame(LLC + b"\xc4\x01\xc1\x00\x06\x00\x00\x00\x01"))
    assert len(result) == 1
    rejected = result[0]
    assert isinstance(rejected, Rejected)
    assert "not a data-notification" in rejected.reason
    assert "0xC4" in rejected.reason
