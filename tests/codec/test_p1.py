"""P1 telegrams (DSMR-style ASCII): framing, CRC-16/ARC, values, units, times and totals."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from encoder import crc16_arc, p1_telegram

import hanport
from hanport.codec import crc
from hanport.model import Reading, Register, Rejected

TALLINN = ZoneInfo("Europe/Tallinn")

E360_LINES = [
    "0-0:1.0.0(240115120000W)",
    "1-0:1.8.0(00004215.300*kWh)",
    "1-0:2.8.0(00000812.044*kWh)",
    "1-0:3.8.0(00000468.366*kVArh)",
    "1-0:4.8.0(00000040.602*kVArh)",
    "1-0:1.7.0(0001.011*kW)",
    "1-0:2.7.0(0000.020*kW)",
    "1-0:3.7.0(0000.126*kVAr)",
    "1-0:4.7.0(0000.000*kVAr)",
    "1-0:21.7.0(0000.500*kW)",
    "1-0:22.7.0(0000.012*kW)",
    "1-0:41.7.0(0000.511*kW)",
    "1-0:42.7.0(0000.000*kW)",
    "1-0:61.7.0(0000.000*kW)",
    "1-0:62.7.0(0000.008*kW)",
    "1-0:23.7.0(0000.062*kVAr)",
    "1-0:24.7.0(0000.000*kVAr)",
    "1-0:43.7.0(0000.064*kVAr)",
    "1-0:44.7.0(0000.000*kVAr)",
    "1-0:63.7.0(0000.000*kVAr)",
    "1-0:64.7.0(0000.001*kVAr)",
    "1-0:32.7.0(230.1*V)",
    "1-0:52.7.0(229.8*V)",
    "1-0:72.7.0(231.0*V)",
    "1-0:31.7.0(002.2*A)",
    "1-0:51.7.0(002.3*A)",
    "1-0:71.7.0(000.6*A)",
]

E360_READING = Reading(
    meter_model="LGF5E360",
    meter_time=datetime(2024, 1, 15, 10, 0, tzinfo=UTC).astimezone(TALLINN),
    power_import_w=1011,
    power_export_w=20,
    reactive_power_import_var=126,
    reactive_power_export_var=0,
    power_import_l1_w=500,
    power_import_l2_w=511,
    power_import_l3_w=0,
    power_export_l1_w=12,
    power_export_l2_w=0,
    power_export_l3_w=8,
    reactive_power_import_l1_var=62,
    reactive_power_import_l2_var=64,
    reactive_power_import_l3_var=0,
    reactive_power_export_l1_var=0,
    reactive_power_export_l2_var=0,
    reactive_power_export_l3_var=1,
    voltage_l1_v=Decimal("230.1"),
    voltage_l2_v=Decimal("229.8"),
    voltage_l3_v=Decimal("231.0"),
    current_l1_a=Decimal("2.2"),
    current_l2_a=Decimal("2.3"),
    current_l3_a=Decimal("0.6"),
    energy_import_wh=4215300,
    energy_export_wh=812044,
    reactive_energy_import_varh=468366,
    reactive_energy_export_varh=40602,
)


def items(data: bytes, zone: tzinfo | str = TALLINN) -> list[Reading | Rejected]:
    decoder = hanport.Decoder(zone=zone)
    return decoder.feed(data) + decoder.flush()


def one(data: bytes, zone: tzinfo | str = TALLINN) -> Reading:
    result = items(data, zone)
    assert len(result) == 1, result
    assert isinstance(result[0], Reading), result[0]
    return result[0]


def reading_of(*lines: str, zone: tzinfo | str = TALLINN) -> Reading:
    return one(p1_telegram(["0-0:1.0.0(240115120000W)", *lines]), zone)


# ------------------------------------------------------------------------------------- CRC


def test_crc16_arc_check_value() -> None:
    assert crc16_arc(b"123456789") == 0xBB3D
    assert crc.crc16_arc(b"123456789") == 0xBB3D


def test_native_crc16_arc_matches_the_bitwise_one() -> None:
    rng = random.Random(7)
    for size in (0, 1, 2, 15, 16, 17, 700, 4000):
        data = rng.randbytes(size)
        assert crc.crc16_arc(data) == crc16_arc(data)


# ----------------------------------------------------------------------------- the telegram


def test_e360_telegram_decodes_to_every_field() -> None:
    decoder = hanport.Decoder(zone="Europe/Tallinn")
    result = decoder.feed(p1_telegram(E360_LINES)) + decoder.flush()
    assert result == [E360_READING]
    assert decoder.format == "p1"


@pytest.mark.parametrize("style", ["upper", "lower", "short"])
@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_crc_styles_and_line_endings(style: str, eol: str) -> None:
    assert one(p1_telegram(E360_LINES, crc=style, eol=eol)) == E360_READING


DSMR22 = "XMX5XMXABCE000012345"
"""A DSMR 2.2 style identification: such meters send no CRC."""


@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_telegram_of_a_meter_that_sends_no_crc_is_accepted_unverified(eol: str) -> None:
    reading = one(p1_telegram(E360_LINES, crc="none", eol=eol, header=DSMR22))
    assert reading == replace(E360_READING, meter_model=DSMR22, verified=False)


def test_three_digit_crc() -> None:
    for number in range(1000):
        lines = [*E360_LINES, f"0-0:96.14.0({number:04d})"]
        telegram = p1_telegram(lines, crc="short")
        if crc16_arc(telegram[: telegram.rindex(b"!") + 1]) < 0x1000:
            break
    else:
        pytest.fail("no telegram with a CRC below 0x1000")
    assert len(telegram[telegram.rindex(b"!") :].strip()) == 4  # "!" and 3 digits
    reading = one(telegram)
    assert reading.energy_import_wh == 4215300
    assert reading.extra["0-0:96.14.0"] == Register(number)
    for eol in ("\r\n", "\n"):
        assert one(p1_telegram(lines, crc="short", eol=eol)).power_import_w == 1011


def test_missing_crc_of_a_meter_that_sends_none_is_accepted() -> None:
    telegram = p1_telegram(E360_LINES, crc="none", header=DSMR22)
    assert telegram.endswith(b"!\r\n")
    reading = one(telegram)
    assert reading.verified is False
    assert reading.power_import_w == 1011


def _rejected(data: bytes, decoder: hanport.Decoder | None = None) -> Rejected:
    decoder = decoder or hanport.Decoder(zone=TALLINN)
    result = decoder.feed(data) + decoder.flush()
    assert len(result) == 1, result
    assert isinstance(result[0], Rejected), result
    return result[0]


def test_deleted_crc_of_an_e360_telegram_is_rejected() -> None:
    """The Nordic E360 (/LGF…) always sends a CRC, even in a file with one telegram."""
    tampered = p1_telegram(E360_LINES, crc="none").replace(b"0001.011*kW", b"0009.011*kW")
    rejected = _rejected(tampered)
    assert rejected.reason.startswith("The P1 telegram has no checksum")
    assert "LGF5E360" in rejected.reason


def test_a_stream_that_has_shown_crcs_rejects_a_telegram_without() -> None:
    decoder = hanport.Decoder(zone=TALLINN)
    first = p1_telegram(E360_LINES, header=DSMR22)
    assert isinstance(decoder.feed(first)[0], Reading)
    tampered = p1_telegram(E360_LINES, crc="none", header=DSMR22)
    rejected = _rejected(tampered, decoder)
    assert rejected.reason == (
        "The P1 telegram has no checksum, although this meter sent checksums before; it may "
        "have been damaged or altered, so it is dropped."
    )
    decoder.reset()  # a reconnect: still the same meter
    assert isinstance(_rejected(tampered, decoder), Rejected)
    assert isinstance(decoder.feed(first)[0], Reading)


def test_a_crc_less_meter_keeps_working_in_a_stream() -> None:
    decoder = hanport.Decoder(zone=TALLINN)
    telegrams = [p1_telegram(E360_LINES, crc="none", header=DSMR22) for _ in range(3)]
    result = decoder.feed(b"".join(telegrams)) + decoder.flush()
    assert [type(item) for item in result] == [Reading] * 3
    assert all(isinstance(r, Reading) and not r.verified for r in result)


def test_bad_crc_is_rejected_with_both_values() -> None:
    telegram = p1_telegram(E360_LINES, crc="bad")
    good = crc16_arc(telegram[: telegram.rindex(b"!") + 1])
    result = items(telegram)
    assert len(result) == 1
    rejected = result[0]
    assert isinstance(rejected, Rejected)
    assert rejected.reason.startswith("Checksum mismatch in P1 telegram")
    assert f"{(good + 1) & 0xFFFF:04X}" in rejected.reason
    assert f"computed {good:04X}" in rejected.reason
    assert rejected.raw.startswith(b"/LGF5E360")
    assert b"!" in rejected.raw


def test_crc_that_is_not_hex_is_not_a_reading() -> None:
    telegram = p1_telegram(E360_LINES, crc="none")[:-2] + b"XYZW\r\n"
    assert not [item for item in items(telegram) if isinstance(item, Reading)]


def test_received_at_is_passed_through() -> None:
    when = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    decoder = hanport.Decoder()
    (reading,) = decoder.feed(p1_telegram(E360_LINES), received_at=when)
    assert isinstance(reading, Reading)
    assert reading.received_at == when


@pytest.mark.parametrize(
    "header", ["ADN9 6534", "ELL5\\253833635_A", "KFM5KAIFA-METER", "ISk5\\2MT382-1000", "KAM5"]
)
def test_identification_line_is_the_meter_model(header: str) -> None:
    reading = one(p1_telegram(E360_LINES, header=header))
    assert reading.meter_model == header
    assert reading.power_import_w == 1011


def test_junk_and_padding_around_a_telegram() -> None:
    data = b"\r\n\x00\x00garbage" + p1_telegram(E360_LINES) + b"\x00" * 16
    assert one(data) == E360_READING


def test_long_telegram_with_a_text_message() -> None:
    message = "48656C6C6F" * 400  # 2000 hex digits
    lines = [*E360_LINES, f"0-0:96.13.0({message})"]
    lines += [f"0-0:96.99.{n}({n:08d})" for n in range(150)]
    telegram = p1_telegram(lines)
    assert len(telegram) > 6000
    reading = one(telegram)
    assert reading.extra["0-0:96.13.0"] == Register(message)
    assert reading.extra["0-0:96.99.149"] == Register(149)
    assert reading.energy_import_wh == 4215300


def test_binary_bytes_inside_a_telegram_make_it_no_telegram() -> None:
    telegram = p1_telegram(E360_LINES).replace(b"230.1", b"23\xff.1")
    assert not [item for item in items(telegram) if isinstance(item, Reading)]


# ---------------------------------------------------------------------------------- values


def test_multi_value_line() -> None:
    reading = reading_of("1-1:31.4.0(100*A)(-063*A)")
    assert reading.extra["1-1:31.4.0"] == Register((Register(100, "A"), Register(-63, "A")))


def test_mbus_channel_value_with_capture_time() -> None:
    reading = reading_of(
        "0-1:24.1.0(003)",
        "0-1:24.2.1(170102161005W)(00000.107*m3)",
        "0-2:24.2.1(230704120000S)(01234.5*GJ)",
    )
    assert reading.extra["0-1:24.2.1"] == Register(
        Decimal("0.107"), "m3", datetime(2017, 1, 2, 14, 10, 5, tzinfo=UTC)
    )
    assert reading.extra["0-2:24.2.1"] == Register(
        Decimal("1234.5"), "GJ", datetime(2023, 7, 4, 9, 0, tzinfo=UTC)
    )
    assert reading.extra["0-1:24.1.0"] == Register(3)


def test_power_failure_log() -> None:
    reading = reading_of(
        "1-0:99.97.0(2)(0-0:96.7.19)(101208152415W)(0000000240*s)(101208151004W)(0000000301*s)",
        "1-0:99.97.1(0)(0-0:96.7.19)",
    )
    first = datetime(2010, 12, 8, 13, 24, 15, tzinfo=UTC)
    second = datetime(2010, 12, 8, 13, 10, 4, tzinfo=UTC)
    assert reading.extra["1-0:99.97.0"] == Register(
        (
            Register(2),
            Register("0-0:96.7.19"),
            Register(None, None, first),
            Register(240, "s"),
            Register(None, None, second),
            Register(301, "s"),
        )
    )
    assert reading.extra["1-0:99.97.1"] == Register((Register(0), Register("0-0:96.7.19")))


def test_hex_encoded_meter_id_is_decoded() -> None:
    reading = reading_of("0-0:96.1.1(4B384547303034303436333935353037)")
    assert reading.meter_id == "K8EG004046395507"


def test_meter_id_that_is_not_hex_ascii_is_kept_as_sent() -> None:
    assert reading_of("0-0:96.1.0(FFFE00)").meter_id == "FFFE00"
    assert reading_of("0-0:96.1.0(ABC)").meter_id == "ABC"


@pytest.mark.parametrize(
    ("line", "name", "expected"),
    [
        ("1-0:1.7.0(01011*W)", "power_import_w", 1011),
        ("1-0:1.7.0(1.011*KW)", "power_import_w", 1011),
        ("1-0:1.7.0(0001.011*kw)", "power_import_w", 1011),
        ("1-0:1.7.0(1.5*MW)", "power_import_w", 1500000),
        ("1-0:2.7.0(0.000250*MW)", "power_export_w", 250),
        ("1-0:1.8.0(12345*Wh)", "energy_import_wh", 12345),
        ("1-0:1.8.0(000123.456789*MWh)", "energy_import_wh", 123456789),
        ("1-0:1.8.0(000123.456789*mwh)", "energy_import_wh", 123456789),
        ("1-0:3.8.0(00000468.366*kvarh)", "reactive_energy_import_varh", 468366),
        ("1-0:3.8.0(1.5*KVARH)", "reactive_energy_import_varh", 1500),
        ("1-0:4.8.0(2.25*MVArh)", "reactive_energy_export_varh", 2250000),
        ("1-0:3.7.0(0000.126*kVAr)", "reactive_power_import_var", 126),
        ("1-0:3.7.0(126*var)", "reactive_power_import_var", 126),
        ("1-0:4.7.0(0.5*kvar)", "reactive_power_export_var", 500),
        ("1-0:32.7.0(0.2301*kV)", "voltage_l1_v", Decimal("230.1")),
        ("1-0:52.7.0(229.8*v)", "voltage_l2_v", Decimal("229.8")),
        ("1-0:31.7.0(0.0101*kA)", "current_l1_a", Decimal("10.1")),
        ("1-0:71.7.0(0123.1*A)", "current_l3_a", Decimal("123.1")),
        ("1-0:14.7.0(49.98*Hz)", "frequency_hz", Decimal("49.98")),
        ("1-0:14.7.0(0.05*kHz)", "frequency_hz", Decimal("50")),
        ("1-0:13.7.0(0.98)", "power_factor", Decimal("0.98")),
        ("1-0:13.7.0(-1.000)", "power_factor", Decimal("-1")),
    ],
)
def test_units_in_any_case_and_prefix(line: str, name: str, expected: int | Decimal) -> None:
    value = getattr(reading_of(line), name)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("line", "name", "expected"),
    [
        ("1-0:1.7.0(-0001.011*kW)", "power_import_w", -1011),
        ("1-0:1.7.0(+0001.011*kW)", "power_import_w", 1011),
        ("1-0:31.7.0(-001.5*A)", "current_l1_a", Decimal("-1.5")),
        ("1-0:13.7.0(-0.875)", "power_factor", Decimal("-0.875")),
    ],
)
def test_signed_values(line: str, name: str, expected: int | Decimal) -> None:
    assert getattr(reading_of(line), name) == expected


def test_signed_value_of_an_unknown_register_is_kept_with_its_unit() -> None:
    reading = reading_of("1-0:16.24.0(-00.024*kW)")
    assert reading.extra["1-0:16.24.0"] == Register(Decimal("-0.024"), "kW")


def test_value_with_a_unit_that_does_not_fit_goes_to_extra() -> None:
    reading = reading_of("1-0:1.7.0(0001.011*kWh)")
    assert reading.power_import_w is None
    assert reading.extra["1-0:1.7.0"] == Register(Decimal("1.011"), "kWh")


@pytest.mark.parametrize(
    ("text", "watts"),
    [
        ("0001.011*kW", 1011),
        ("0000.0005*kW", Decimal("0.5")),
        ("0000.0015*kW", Decimal("1.5")),
        ("-0000.0025*kW", Decimal("-2.5")),
        ("0.5*W", Decimal("0.5")),
        ("2.4999*W", Decimal("2.4999")),
        ("0.0000015*MW", Decimal("1.5")),
        ("002124.86*W", Decimal("2124.86")),  # EasyMeter Q3D
        ("01.23456*kW", Decimal("1234.56")),
        ("1.2340*kW", Decimal("1234.0")),
    ],
)
def test_power_is_never_rounded(text: str, watts: int | Decimal) -> None:
    value = reading_of(f"1-0:1.7.0({text})").power_import_w
    assert value == watts
    assert type(value) is type(watts)
    assert str(value) == str(watts)


def test_energy_is_never_rounded() -> None:
    reading = reading_of("1-0:1.8.0(1.2345*kWh)", "1-0:2.8.0(00012345.6789012*kWh)")
    assert reading.energy_import_wh == Decimal("1234.5")
    assert str(reading.energy_export_wh) == "12345678.9012"


def test_easymeter_q3d_telegram() -> None:
    """EasyMeter Q3D: no CRC, OBIS with `*255`, watts with two decimals, kWh with seven."""
    lines = [
        "1-0:0.0.0*255(1ESY1160000000)",
        "1-0:1.8.0*255(00012345.6789012*kWh)",
        "1-0:21.7.0*255(000713.25*W)",
        "1-0:41.7.0*255(000700.61*W)",
        "1-0:61.7.0*255(000711.00*W)",
        "1-0:1.7.0*255(002124.86*W)",
        "1-0:96.5.5*255(82)",
        "0-0:96.1.255*255(1ESY1160000000)",
    ]
    telegram = p1_telegram(lines, header="ESY5Q3DA1004 V3.04", crc="none")
    decoder = hanport.Decoder(zone=TALLINN)
    readings = decoder.feed(telegram) + decoder.feed(telegram) + decoder.flush()
    assert len(readings) == 2
    for reading in readings:  # the second one comes from the learnt template
        assert isinstance(reading, Reading)
        assert reading.power_import_w == Decimal("2124.86")
        assert reading.power_import_l1_w == Decimal("713.25")
        assert reading.power_import_l3_w == Decimal("711.00")
        assert reading.energy_import_wh == Decimal("12345678.9012")
        assert reading.verified is False
    assert readings[0] == readings[1]


def test_decimals_are_exact_not_floats() -> None:
    reading = reading_of("1-0:32.7.0(230.10*V)", "1-0:31.7.0(000.6*A)", "1-0:51.7.0(0.48*A)")
    assert isinstance(reading.voltage_l1_v, Decimal)
    assert str(reading.voltage_l1_v) == "230.10"
    assert str(reading.current_l1_a) == "0.6"
    assert str(reading.current_l2_a) == "0.48"


def test_unknown_registers_are_kept() -> None:
    reading = reading_of(
        "0-0:96.14.0(0002)", "1-3:0.2.8(50)", "0-0:96.13.0()", "0-0:17.0.0(999.9*kW)"
    )
    assert reading.extra["0-0:96.14.0"] == Register(2)
    assert reading.extra["1-3:0.2.8"] == Register(50)
    assert reading.extra["0-0:96.13.0"] == Register("")
    assert reading.extra["0-0:17.0.0"] == Register(Decimal("999.9"), "kW")


def test_lines_without_a_value_are_ignored() -> None:
    reading = reading_of("this line has no value", "1-0:1.7.0(0001.011*kW)", "")
    assert reading.power_import_w == 1011
    assert set(reading.extra) == set()


# ------------------------------------------------------------------------------------ times


@pytest.mark.parametrize(
    ("stamp", "zone", "iso"),
    [
        ("240115120000W", "Europe/Tallinn", "2024-01-15T12:00:00+02:00"),
        ("240115120000w", "Europe/Tallinn", "2024-01-15T12:00:00+02:00"),
        ("240715120000S", "Europe/Tallinn", "2024-07-15T12:00:00+03:00"),
        # A meter that stays on standard time all year (E360 in SE/DK) still says W in summer.
        ("240715120000W", "Europe/Tallinn", "2024-07-15T13:00:00+03:00"),
        # The autumn hour that happens twice: the flag says which one.
        ("241027033000S", "Europe/Tallinn", "2024-10-27T03:30:00+03:00"),
        ("241027033000W", "Europe/Tallinn", "2024-10-27T03:30:00+02:00"),
        # The spring hour that does not exist in local summer time.
        ("240331023000W", "Europe/Tallinn", "2024-03-31T02:30:00+02:00"),
        ("240331033000W", "Europe/Tallinn", "2024-03-31T04:30:00+03:00"),
        ("240331043000S", "Europe/Tallinn", "2024-03-31T04:30:00+03:00"),
        ("241027023000S", "Europe/Amsterdam", "2024-10-27T02:30:00+02:00"),
        ("241027023000W", "Europe/Amsterdam", "2024-10-27T02:30:00+01:00"),
        ("240115120000W", "UTC", "2024-01-15T12:00:00+00:00"),
    ],
)
def test_timestamps_in_the_configured_zone(stamp: str, zone: str, iso: str) -> None:
    reading = one(p1_telegram([f"0-0:1.0.0({stamp})"]), zone)
    assert reading.meter_time is not None
    assert reading.meter_time.isoformat() == iso
    assert reading.meter_time.tzinfo == ZoneInfo(zone)


def test_timestamp_without_flag_follows_the_zone_rules() -> None:
    """The NES Danish meter sends `(20240111 09:35:00)`."""
    summer = one(p1_telegram(["0-0:1.0.0(20240711 09:35:00)"]))
    winter = one(p1_telegram(["0-0:1.0.0(20240111 09:35:00)"]))
    assert summer.meter_time is not None
    assert winter.meter_time is not None
    assert summer.meter_time.isoformat() == "2024-07-11T09:35:00+03:00"
    assert winter.meter_time.isoformat() == "2024-01-11T09:35:00+02:00"


def test_invalid_placeholder_timestamps() -> None:
    reading = one(p1_telegram(["0-0:1.0.0(632525252525W)", "0-1:24.2.1(632525252525S)(00000.000)"]))
    assert reading.meter_time is None
    assert reading.extra["0-0:1.0.0"] == Register("632525252525W")
    assert reading.extra["0-1:24.2.1"] == Register(Decimal("0.000"), None, None)


def test_epoch_placeholder_timestamp_is_not_a_meter_time() -> None:
    """`700101010000W` is a placeholder (protocol §2.3), not 1 January 2070."""
    reading = one(p1_telegram(["0-0:1.0.0(700101010000W)", "1-0:1.7.0(0001.011*kW)"]))
    assert reading.power_import_w == 1011
    assert reading.meter_time is None


# ------------------------------------------------------------------------- line structure


def test_continuation_line() -> None:
    """DSMR 2.2 puts the gas value on the line after the object."""
    reading = reading_of(
        "0-1:24.3.0(120517020000)(08)(60)(1)(0-1:24.2.1)(m3)",
        "(00124.477)",
        "1-0:1.7.0(0001.011*kW)",
    )
    value = reading.extra["0-1:24.3.0"].value
    assert isinstance(value, tuple)
    assert len(value) == 7
    assert value[-2:] == (Register("m3"), Register(Decimal("124.477")))
    assert reading.power_import_w == 1011


@pytest.mark.parametrize("suffix", ["*255", ".255"])
def test_obis_with_group_f(suffix: str) -> None:
    reading = reading_of(f"1-0:1.8.0{suffix}(00001234.567*kWh)", f"1-0:1.7.0{suffix}(1.0*kW)")
    assert reading.energy_import_wh == 1234567
    assert reading.power_import_w == 1000


def test_electricity_registers_on_channel_1() -> None:
    reading = reading_of("1-1:1.7.0(0002.500*kW)", "1-1:32.7.0(231.4*V)")
    assert reading.power_import_w == 2500
    assert reading.voltage_l1_v == Decimal("231.4")


# ----------------------------------------------------------------------------------- totals


def test_energy_total_is_the_sum_of_tariffs_when_absent() -> None:
    reading = reading_of(
        "1-0:1.8.1(00000100.001*kWh)",
        "1-0:1.8.2(00000200.002*kWh)",
        "1-0:2.8.1(00000001.500*kWh)",
        "1-0:2.8.2(00000002.250*kWh)",
    )
    assert reading.energy_import_t1_wh == 100001
    assert reading.energy_import_t2_wh == 200002
    assert reading.energy_import_wh == 300003
    assert reading.energy_export_t1_wh == 1500
    assert reading.energy_export_t2_wh == 2250
    assert reading.energy_export_wh == 3750


def test_energy_total_includes_tariffs_3_and_4() -> None:
    reading = reading_of(
        "1-0:1.8.1(00000001.000*kWh)",
        "1-0:1.8.2(00000002.000*kWh)",
        "1-0:1.8.3(00000003.000*kWh)",
        "1-0:1.8.4(4000*Wh)",
    )
    assert reading.energy_import_wh == 10000
    assert reading.extra["1-0:1.8.3"] == Register(Decimal("3.000"), "kWh")


def test_sent_energy_total_wins_over_the_tariff_sum() -> None:
    reading = reading_of(
        "1-0:1.8.0(00000500.000*kWh)",
        "1-0:1.8.1(00000100.000*kWh)",
        "1-0:1.8.2(00000200.000*kWh)",
    )
    assert reading.energy_import_wh == 500000


def test_power_totals_are_the_sum_of_phases_when_only_phases_are_sent() -> None:
    reading = reading_of(
        "1-0:21.7.0(0000.500*kW)",
        "1-0:41.7.0(0000.511*kW)",
        "1-0:61.7.0(0000.001*kW)",
        "1-0:22.7.0(0000.012*kW)",
        "1-0:42.7.0(0000.000*kW)",
        "1-0:62.7.0(0000.008*kW)",
        "1-0:23.7.0(0000.062*kVAr)",
        "1-0:43.7.0(0000.064*kVAr)",
        "1-0:63.7.0(0000.000*kVAr)",
        "1-0:24.7.0(0000.003*kVAr)",
    )
    assert reading.power_import_w == 1012
    assert reading.power_export_w == 20
    assert reading.reactive_power_import_var == 126
    assert reading.reactive_power_export_var == 3


def test_sent_power_total_wins_over_the_phase_sum() -> None:
    """The E360 nets its totals across phases; they must be kept as sent."""
    reading = reading_of("1-0:1.7.0(0000.000*kW)", "1-0:21.7.0(0000.063*kW)")
    assert reading.power_import_w == 0
    assert reading.power_import_l1_w == 63


def test_single_phase_meter_total() -> None:
    reading = reading_of("1-0:21.7.0(0001.234*kW)")
    assert reading.power_import_w == 1234
    assert reading.power_import_l2_w is None


def test_repeated_layout_with_other_digits_and_other_spellings() -> None:
    """Telegrams of one layout come every 10 s; each must read as its own, however it differs."""
    decoder = hanport.Decoder(zone=TALLINN)
    variants = [
        E360_LINES,
        [line.replace("0001.011*kW", "0009.999*kW") for line in E360_LINES],
        [line.replace("0001.011*kW", "0001.011*KW") for line in E360_LINES],
        [line.replace("0001.011*kW", "-001.011*kW") for line in E360_LINES],
        [line.replace("0001.011*kW", "0001.0115*kW") for line in E360_LINES],
        [line.replace("0001.011*kW", "1011*W") for line in E360_LINES],
        [line.replace("230.1*V", "231.9*V") for line in E360_LINES],
        [line.replace("240115120000W", "632525252525W") for line in E360_LINES],
        E360_LINES,
    ]
    result = []
    for lines in variants:
        result += decoder.feed(p1_telegram(lines))
    assert all(isinstance(item, Reading) for item in result)
    readings = [item for item in result if isinstance(item, Reading)]
    assert [r.power_import_w for r in readings] == [
        1011,
        9999,
        1011,
        -1011,
        Decimal("1011.5"),
        1011,
    ] + [1011] * 3
    assert readings[6].voltage_l1_v == Decimal("231.9")
    assert readings[7].meter_time is None
    assert readings[0] == readings[8] == E360_READING
