"""Meter clocks (P1 `YYMMDDhhmmssX`, COSEM date-time) and units, prefixes and exact scaling."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from encoder import cosem_clock

from hanport.codec.clock import cosem_datetime, p1_datetime
from hanport.codec.normalize import scaled_decimal, scaled_exact
from hanport.codec.obis import obis_text
from hanport.codec.units import DLMS_UNITS, normalize_unit, to_decimal, to_exact

TALLINN = ZoneInfo("Europe/Tallinn")
OSLO = ZoneInfo("Europe/Oslo")


# ---------------------------------------------------------------------------------- P1 time


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("240115120000W", datetime(2024, 1, 15, 10, 0)),
        ("240115120000w", datetime(2024, 1, 15, 10, 0)),
        ("240715120000S", datetime(2024, 7, 15, 9, 0)),
        ("240715120000s", datetime(2024, 7, 15, 9, 0)),
        ("240715120000W", datetime(2024, 7, 15, 10, 0)),
        ("241027033000S", datetime(2024, 10, 27, 0, 30)),
        ("241027033000W", datetime(2024, 10, 27, 1, 30)),
        ("240331033000W", datetime(2024, 3, 31, 1, 30)),
        ("000101000000W", datetime(1999, 12, 31, 22, 0)),
        ("691231235959W", datetime(2069, 12, 31, 21, 59, 59)),
        ("240115120000", datetime(2024, 1, 15, 10, 0)),
        ("240715120000", datetime(2024, 7, 15, 9, 0)),
        ("20240111 09:35:00", datetime(2024, 1, 11, 7, 35)),
    ],
)
def test_p1_datetime(text: str, utc: datetime) -> None:
    value = p1_datetime(text, TALLINN)
    assert value is not None
    # compared in UTC: Python never finds a time in a repeated hour equal across zones (PEP 495)
    assert value.astimezone(UTC) == utc.replace(tzinfo=UTC)
    assert value.tzinfo is TALLINN


@pytest.mark.parametrize(
    "text",
    [
        "632525252525S",
        "632525252525W",
        "700101010000W",
        "991231235959W",
        "241301000000W",
        "240230000000W",
        "240115250000W",
        "24011512000W",
        "2401151200000W",
        "24O115120000W",
        "",
        "W",
        "not a time",
    ],
)
def test_p1_placeholders_and_garbage_are_not_times(text: str) -> None:
    assert p1_datetime(text, TALLINN) is None


def test_p1_datetime_in_a_zone_without_dst() -> None:
    fixed = ZoneInfo("UTC")
    assert p1_datetime("240715120000S", fixed) == datetime(2024, 7, 15, 11, 0, tzinfo=UTC)
    assert p1_datetime("240715120000W", fixed) == datetime(2024, 7, 15, 12, 0, tzinfo=UTC)


# ------------------------------------------------------------------------------- COSEM time


@pytest.mark.parametrize(
    ("clock", "utc"),
    [
        # the deviation decides: UTC = local + deviation
        (cosem_clock(datetime(2024, 1, 15, 12, 0), deviation=-60), datetime(2024, 1, 15, 11, 0)),
        (cosem_clock(datetime(2024, 7, 1, 12, 0), deviation=-120), datetime(2024, 7, 1, 10, 0)),
        (
            cosem_clock(datetime(2024, 7, 1, 12, 0), deviation=0, status=0x80),
            datetime(2024, 7, 1, 12),
        ),
        (cosem_clock(datetime(2024, 7, 1, 12, 0), deviation=330), datetime(2024, 7, 1, 17, 30)),
        # no deviation: the DST bit of the clock status
        (cosem_clock(datetime(2024, 7, 1, 12, 0), status=0x80), datetime(2024, 7, 1, 10, 0)),
        (cosem_clock(datetime(2024, 7, 1, 12, 0), status=0x00), datetime(2024, 7, 1, 11, 0)),
        (cosem_clock(datetime(2024, 1, 1, 12, 0), status=0x08), datetime(2024, 1, 1, 11, 0)),
        # neither: the zone's rules
        (cosem_clock(datetime(2024, 7, 1, 12, 0)), datetime(2024, 7, 1, 10, 0)),
        (cosem_clock(datetime(2024, 1, 1, 12, 0)), datetime(2024, 1, 1, 11, 0)),
        # a deviation out of range is not trusted
        (
            cosem_clock(datetime(2024, 1, 1, 12, 0), deviation=0x7FFF, status=0),
            datetime(2024, 1, 1, 11),
        ),
    ],
)
def test_cosem_datetime(clock: bytes, utc: datetime) -> None:
    value = cosem_datetime(clock, OSLO)
    assert value is not None
    assert value.astimezone(UTC) == utc.replace(tzinfo=UTC)
    assert value.tzinfo is OSLO


def test_cosem_datetime_unspecified_time_fields() -> None:
    clock = bytearray(cosem_clock(datetime(2024, 1, 15, 0, 0), deviation=-60))
    clock[5:9] = b"\xff\xff\xff\xff"  # hour, minute, second, hundredths
    clock[4] = 0xFF  # day of week
    assert cosem_datetime(bytes(clock), OSLO) == datetime(2024, 1, 14, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "clock",
    [
        cosem_clock(None),
        cosem_clock(datetime(2024, 1, 15, 12, 0))[:11],
        b"\x07\xe8\x00\x0f\x01\x0c\x00\x00\xff\x80\x00\xff",  # month 0
        b"\x07\xe8\x0d\x0f\x01\x0c\x00\x00\xff\x80\x00\xff",  # month 13
        b"\x07\xe8\x02\x1e\x01\x0c\x00\x00\xff\x80\x00\xff",  # 30 February
        b"\x07\xe8\x01\xff\x01\x0c\x00\x00\xff\x80\x00\xff",  # day not specified
        b"\x07\xe8\x01\x0f\x01\x18\x00\x00\xff\x80\x00\xff",  # hour 24
        b"\xff\xff\x01\x0f\x01\x0c\x00\x00\xff\x80\x00\xff",  # year not specified
    ],
)
def test_cosem_datetime_that_is_not_a_time(clock: bytes) -> None:
    assert cosem_datetime(clock, OSLO) is None


# ------------------------------------------------------------------------------------ units


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("W", ("W", 0)),
        ("kW", ("W", 3)),
        ("KW", ("W", 3)),
        ("MW", ("W", 6)),
        ("GW", ("W", 9)),
        ("Wh", ("Wh", 0)),
        ("kWh", ("Wh", 3)),
        ("kwh", ("Wh", 3)),
        ("MWh", ("Wh", 6)),
        ("var", ("var", 0)),
        ("kvar", ("var", 3)),
        ("kVAr", ("var", 3)),
        ("kVar", ("var", 3)),
        ("MVAr", ("var", 6)),
        ("varh", ("varh", 0)),
        ("kvarh", ("varh", 3)),
        ("kVArh", ("varh", 3)),
        ("MVArh", ("varh", 6)),
        ("VA", ("VA", 0)),
        ("kVA", ("VA", 3)),
        ("VAh", ("VAh", 0)),
        ("V", ("V", 0)),
        ("kV", ("V", 3)),
        ("mV", ("V", -3)),
        ("A", ("A", 0)),
        ("kA", ("A", 3)),
        ("mA", ("A", -3)),
        ("Hz", ("Hz", 0)),
        ("kHz", ("Hz", 3)),
        ("m3", ("m3", 0)),
        ("GJ", ("GJ", 0)),
        ("s", ("s", 0)),
    ],
)
def test_normalize_unit(unit: str, expected: tuple[str, int]) -> None:
    assert normalize_unit(unit) == expected


@pytest.mark.parametrize(
    ("digits", "exponent", "expected"),
    [
        ("0001.011", 3, 1011),
        ("1", 3, 1000),
        ("00004215.300", 3, 4215300),
        ("123.456789", 6, 123456789),
        ("+1.5", 3, 1500),
        ("-0001.011", 3, -1011),
        ("99999999.999", 3, 99999999999),
    ],
)
def test_to_exact_gives_an_int_when_the_unit_is_the_resolution(
    digits: str, exponent: int, expected: int
) -> None:
    value = to_exact(digits, exponent)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("digits", "exponent", "expected"),
    [
        ("002124.86", 0, "2124.86"),  # EasyMeter Q3D watts
        ("0.5", 0, "0.5"),
        ("2.5", 0, "2.5"),
        ("-2.5", 0, "-2.5"),
        ("0.0025", 3, "2.5"),
        ("1.23456", 3, "1234.56"),
        ("1.2340", 3, "1234.0"),  # the meter's resolution is 0.1 W: it stays a Decimal
        ("00012345.6789012", 3, "12345678.9012"),
    ],
)
def test_to_exact_never_rounds_fractions_of_the_unit(
    digits: str, exponent: int, expected: str
) -> None:
    value = to_exact(digits, exponent)
    assert isinstance(value, Decimal)
    assert str(value) == expected


def test_to_decimal_is_exact() -> None:
    assert str(to_decimal("230.10", 0)) == "230.10"
    assert to_decimal("0.2301", 3) == Decimal("230.1")
    assert to_decimal("-001.5", 0) == Decimal("-1.5")


@pytest.mark.parametrize(
    ("raw", "exponent", "expected"),
    [
        (123, 2, 12300),
        (5, 0, 5),
        (12345, -1, Decimal("1234.5")),
        (-25, -1, Decimal("-2.5")),
        (2**64 - 1, -3, Decimal("18446744073709551.615")),
        (7, -5, Decimal("0.00007")),
    ],
)
def test_scaled_exact(raw: int, exponent: int, expected: int | Decimal) -> None:
    value = scaled_exact(raw, exponent)
    assert value == expected
    assert type(value) is type(expected)


def test_scaled_decimal() -> None:
    assert str(scaled_decimal(2307, -1)) == "230.7"
    assert scaled_decimal(5, 0) == Decimal(5)
    assert scaled_decimal(123, 1) == Decimal(1230)
    assert scaled_decimal(-3, -2) == Decimal("-0.03")


def test_dlms_units() -> None:
    assert [DLMS_UNITS[n] for n in (27, 28, 29, 30, 31, 32, 33, 35, 44)] == [
        "W",
        "VA",
        "var",
        "Wh",
        "VAh",
        "varh",
        "A",
        "V",
        "Hz",
    ]
    assert 255 not in DLMS_UNITS


def test_obis_text() -> None:
    assert obis_text(bytes([1, 0, 1, 8, 0, 255])) == "1-0:1.8.0"
    assert obis_text(bytes([0, 0, 96, 1, 0, 255])) == "0-0:96.1.0"
    assert obis_text(bytes([1, 1, 0, 2, 129, 255])) == "1-1:0.2.129"
    assert obis_text(bytes([1, 0, 1, 8, 0, 101])) == "1-0:1.8.0.101"
