"""How makers lay out DLMS push lists: OBIS-tagged (with and without scalers), described,
Kaifa positional, Kamstrup with fixed scalers, and lists hanport cannot map."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from encoder import (
    LLC,
    array,
    cosem_clock,
    data_notification,
    date_time,
    double_long,
    double_long_unsigned,
    hdlc_frame,
    integer,
    long,
    long64_unsigned,
    long_unsigned,
    obis,
    octet_string,
    register,
    scaler_unit,
    structure,
    unsigned,
    visible_string,
)

import hanport
from hanport.model import Reading, Register, Rejected

W, VAR, WH, VARH, A, V, HZ, NONE = 27, 29, 30, 32, 33, 35, 44, 255
CLOCK_LOCAL = datetime(2024, 1, 15, 12, 0, 0)


def decode_body(body: bytes, zone: str = "Europe/Tallinn") -> Reading | Rejected:
    decoder = hanport.Decoder(zone=zone)
    result = decoder.feed(hdlc_frame(LLC + data_notification(body))) + decoder.flush()
    assert len(result) == 1, result
    return result[0]


def reading_of(body: bytes, zone: str = "Europe/Tallinn") -> Reading:
    item = decode_body(body, zone)
    assert isinstance(item, Reading), item
    return item


def rejected_of(body: bytes) -> Rejected:
    item = decode_body(body)
    assert isinstance(item, Rejected), item
    return item


# --------------------------------------------------------------------------- OBIS-tagged


AIDON_LIST = array(
    [
        register("1-1:0.2.129", visible_string("AIDON_V0001")),
        register("0-0:96.1.0", octet_string(b"7359992890941742")),
        register("0-0:96.1.7", visible_string("6534")),
        register("0-0:1.0.0", octet_string(cosem_clock(CLOCK_LOCAL, deviation=-120, status=0))),
        register("1-0:1.7.0", double_long_unsigned(1011), 0, W),
        register("1-0:2.7.0", double_long_unsigned(0), 0, W),
        register("1-0:3.7.0", double_long_unsigned(120), 0, VAR),
        register("1-0:4.7.0", double_long_unsigned(7), 0, VAR),
        register("1-0:31.7.0", long(15), -1, A),
        register("1-0:51.7.0", long(-3), -1, A),
        register("1-0:71.7.0", long(0), -1, A),
        register("1-0:32.7.0", long_unsigned(2307), -1, V),
        register("1-0:52.7.0", long_unsigned(2299), -1, V),
        register("1-0:72.7.0", long_unsigned(2310), -1, V),
        register("1-0:1.8.0", double_long_unsigned(1234567), 1, WH),
        register("1-0:2.8.0", double_long_unsigned(89), 1, WH),
        register("1-0:3.8.0", double_long_unsigned(4567), 0, VARH),
        register("1-0:4.8.0", double_long_unsigned(891), 3, VARH),
        register("1-0:13.7.0", long(-950), -3, NONE),
        register("1-0:14.7.0", long_unsigned(4998), -2, HZ),
    ]
)


def test_obis_tagged_list_with_scaler_unit() -> None:
    reading = reading_of(AIDON_LIST)
    expected = Reading(
        meter_id="7359992890941742",
        meter_model="6534",
        meter_time=datetime(2024, 1, 15, 10, 0, tzinfo=UTC),
        power_import_w=1011,
        power_export_w=0,
        reactive_power_import_var=120,
        reactive_power_export_var=7,
        current_l1_a=Decimal("1.5"),
        current_l2_a=Decimal("-0.3"),
        current_l3_a=Decimal("0.0"),
        voltage_l1_v=Decimal("230.7"),
        voltage_l2_v=Decimal("229.9"),
        voltage_l3_v=Decimal("231.0"),
        energy_import_wh=12345670,
        energy_export_wh=890,
        reactive_energy_import_varh=4567,
        reactive_energy_export_varh=891000,
        power_factor=Decimal("-0.950"),
        frequency_hz=Decimal("49.98"),
        extra={"1-1:0.2.129": Register("AIDON_V0001")},
    )
    assert reading == expected
    assert str(reading.voltage_l1_v) == "230.7"


def test_obis_tagged_pairs_without_scaler_unit() -> None:
    body = structure(
        [
            obis("0-0:96.1.0"),
            visible_string("7350012345678901"),
            obis("1-0:1.7.0"),
            double_long_unsigned(2500),
            obis("1-0:2.7.0"),
            double_long_unsigned(40),
            obis("1-0:1.8.0"),
            double_long_unsigned(987654),
        ]
    )
    reading = reading_of(body)
    assert reading.meter_id == "7350012345678901"
    assert (reading.power_import_w, reading.power_export_w) == (2500, 40)
    assert reading.energy_import_wh == 987654


def test_flat_triples_between_clock_and_serial() -> None:
    """Austrian Kaifa/Sagemcom: clock, then obis/value/scaler_unit triples, then the serial."""
    clock = cosem_clock(datetime(2024, 7, 1, 12, 0, 0), deviation=-120, status=0x80)
    body = structure(
        [
            octet_string(clock),
            obis("1-0:32.7.0"),
            long_unsigned(2301),
            scaler_unit(-1, V),
            obis("1-0:31.7.0"),
            long_unsigned(123),
            scaler_unit(-2, A),
            obis("1-0:1.7.0"),
            double_long_unsigned(1500),
            scaler_unit(0, W),
            obis("1-0:1.8.0"),
            double_long_unsigned(5000),
            scaler_unit(3, WH),
            octet_string(b"1KFM0200200001"),
        ]
    )
    reading = reading_of(body)
    assert reading.meter_time == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)
    assert reading.voltage_l1_v == Decimal("230.1")
    assert reading.current_l1_a == Decimal("1.23")
    assert reading.power_import_w == 1500
    assert reading.energy_import_wh == 5000000
    assert reading.meter_id == "1KFM0200200001"


def test_nested_structures() -> None:
    """Polish Kaifa MA309: clock pair, then nested {obis, value[, scaler_unit]} structures."""
    clock = cosem_clock(datetime(2024, 2, 1, 0, 0, 10), deviation=-60, status=0)
    body = structure(
        [
            obis("0-0:1.0.0"),
            octet_string(clock),
            structure([obis("0-0:96.1.0"), octet_string(b"12345678")]),
            structure([obis("1-0:1.7.0"), double_long_unsigned(321), scaler_unit(0, W)]),
            structure(
                [structure([obis("1-0:1.8.0"), double_long_unsigned(42), scaler_unit(2, WH)])]
            ),
        ]
    )
    reading = reading_of(body)
    assert reading.meter_time == datetime(2024, 1, 31, 23, 0, 10, tzinfo=UTC)
    assert reading.meter_id == "12345678"
    assert reading.power_import_w == 321
    assert reading.energy_import_wh == 4200


@pytest.mark.parametrize(
    ("value", "scaler", "unit", "name", "expected"),
    [
        (double_long(-500), 0, W, "power_import_w", -500),
        (double_long_unsigned(12345), -1, W, "power_import_w", Decimal("1234.5")),
        (double_long_unsigned(12355), -2, W, "power_import_w", Decimal("123.55")),
        (long64_unsigned(123456), -1, WH, "energy_import_wh", Decimal("12345.6")),
        (double_long_unsigned(123), 2, W, "power_import_w", 12300),
        (long64_unsigned(10**15), 0, WH, "energy_import_wh", 10**15),
        (double_long_unsigned(1234567), -3, A, "current_l1_a", Decimal("1234.567")),
        (unsigned(5), 0, W, "power_import_w", 5),
        (integer(-5), 0, W, "power_import_w", -5),
    ],
)
def test_scaled_values(value: bytes, scaler: int, unit: int, name: str, expected: object) -> None:
    obis_code = {"power_import_w": "1-0:1.7.0", "energy_import_wh": "1-0:1.8.0"}.get(
        name, "1-0:31.7.0"
    )
    reading = reading_of(array([register(obis_code, value, scaler, unit)]))
    assert getattr(reading, name) == expected
    assert type(getattr(reading, name)) is type(expected)


def test_value_with_a_unit_that_does_not_fit_goes_to_extra() -> None:
    body = array(
        [
            register("1-0:1.7.0", double_long_unsigned(5), 0, WH),
            register("1-0:32.7.0", long_unsigned(2300), -1, V),
        ]
    )
    reading = reading_of(body)
    assert reading.power_import_w is None
    assert reading.extra["1-0:1.7.0"] == Register(5, "Wh")


def test_tariff_registers_and_totals() -> None:
    body = array(
        [
            register("1-0:1.8.1", double_long_unsigned(1000), 0, WH),
            register("1-0:1.8.2", double_long_unsigned(2000), 0, WH),
            register("1-0:1.8.3", double_long_unsigned(300), 1, WH),
        ]
    )
    reading = reading_of(body)
    assert reading.energy_import_t1_wh == 1000
    assert reading.energy_import_t2_wh == 2000
    assert reading.energy_import_wh == 6000
    assert reading.extra["1-0:1.8.3"].unit == "Wh"


def test_power_totals_from_phases() -> None:
    body = array(
        [
            register("1-0:21.7.0", double_long_unsigned(100), 0, W),
            register("1-0:41.7.0", double_long_unsigned(200), 0, W),
            register("1-0:61.7.0", double_long_unsigned(300), 0, W),
        ]
    )
    reading = reading_of(body)
    assert reading.power_import_w == 600
    assert reading.power_import_l2_w == 200


def test_clock_with_its_own_tag() -> None:
    clock = cosem_clock(CLOCK_LOCAL, deviation=-120, status=0)
    body = array(
        [
            register("0-0:1.0.0", date_time(clock)),
            register("1-0:1.7.0", double_long_unsigned(1), 0, W),
        ]
    )
    assert reading_of(body).meter_time == datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


def test_unknown_registers_are_kept() -> None:
    clock = cosem_clock(CLOCK_LOCAL, deviation=-120, status=0)
    body = array(
        [
            register("1-0:1.7.0", double_long_unsigned(1), 0, W),
            register("0-0:96.3.10", octet_string(b"\x00\xff")),
            register("0-0:96.99.1", octet_string(clock)),
            register("0-0:96.14.0", unsigned(2)),
            register("0-0:96.13.0", visible_string("hello")),
        ]
    )
    reading = reading_of(body)
    assert reading.extra["0-0:96.3.10"] == Register("00FF")
    assert reading.extra["0-0:96.99.1"] == Register(
        None, None, datetime(2024, 1, 15, 10, 0, tzinfo=UTC)
    )
    assert reading.extra["0-0:96.14.0"] == Register(2)
    assert reading.extra["0-0:96.13.0"] == Register("hello")


# ------------------------------------------------------------------------------- described


def descriptor(class_id: int, code: str) -> bytes:
    return structure([long_unsigned(class_id), obis(code), integer(2), long_unsigned(0)])


def test_described_list() -> None:
    """Landis+Gyr E450 (CH): the push object list first, then the values in the same order."""
    clock = cosem_clock(CLOCK_LOCAL, deviation=-60, status=0)
    body = structure(
        [
            array(
                [
                    descriptor(40, "0-8:25.9.0"),
                    descriptor(8, "0-0:1.0.0"),
                    descriptor(3, "1-0:1.7.0"),
                    descriptor(3, "1-0:2.7.0"),
                    descriptor(3, "1-0:32.7.0"),
                    descriptor(3, "1-0:31.7.0"),
                    descriptor(3, "1-0:1.8.0"),
                    descriptor(1, "0-0:96.1.0"),
                ]
            ),
            octet_string(clock),
            double_long_unsigned(1500),
            double_long_unsigned(0),
            long_unsigned(231),
            long_unsigned(123),
            double_long_unsigned(1234567),
            visible_string("36912345"),
        ]
    )
    reading = reading_of(body)
    assert reading.meter_time == datetime(2024, 1, 15, 11, 0, tzinfo=UTC)
    assert (reading.power_import_w, reading.power_export_w) == (1500, 0)
    assert reading.voltage_l1_v == Decimal("231")
    assert reading.current_l1_a == Decimal("1.23")
    assert reading.energy_import_wh == 1234567
    assert reading.meter_id == "36912345"


# ------------------------------------------------------------------------- Kaifa KFM_001

KAIFA_3P = [
    visible_string("KFM_001"),
    octet_string(b"6970631401753985"),
    octet_string(b"MA304H3E"),
    double_long_unsigned(1655),
    double_long_unsigned(0),
    double_long_unsigned(0),
    double_long_unsigned(225),
    double_long_unsigned(7377),
    double_long_unsigned(2344),
    double_long_unsigned(3470),
    double_long_unsigned(2291),
    double_long_unsigned(0),
    double_long_unsigned(2324),
]
KAIFA_1P = [*KAIFA_3P[:8], double_long_unsigned(2301)]
KAIFA_HOURLY = [
    octet_string(cosem_clock(datetime(2024, 1, 15, 12, 0, 0), status=0x00)),
    double_long_unsigned(12345678),
    double_long_unsigned(100),
    double_long_unsigned(54321),
    double_long_unsigned(7),
]


def test_kaifa_list_1() -> None:
    reading = reading_of(structure([double_long_unsigned(1655)]))
    assert reading.power_import_w == 1655
    assert reading.voltage_l1_v is None


@pytest.mark.parametrize("hourly", [False, True])
def test_kaifa_three_phase(hourly: bool) -> None:
    reading = reading_of(structure(KAIFA_3P + (KAIFA_HOURLY if hourly else [])), "Europe/Oslo")
    assert reading.meter_id == "6970631401753985"
    assert reading.meter_model == "MA304H3E"
    assert reading.power_import_w == 1655
    assert reading.power_export_w == 0
    assert reading.reactive_power_import_var == 0
    assert reading.reactive_power_export_var == 225
    assert reading.current_l1_a == Decimal("7.377")
    assert reading.current_l2_a == Decimal("2.344")
    assert reading.current_l3_a == Decimal("3.470")
    assert reading.voltage_l1_v == Decimal("229.1")
    assert reading.voltage_l2_v == Decimal("0")
    assert reading.voltage_l3_v == Decimal("232.4")
    assert reading.extra["1-1:0.2.129"] == Register("KFM_001")
    if hourly:
        assert reading.meter_time == datetime(2024, 1, 15, 11, 0, tzinfo=UTC)
        assert reading.energy_import_wh == 12345678
        assert reading.energy_export_wh == 100
        assert reading.reactive_energy_import_varh == 54321
        assert reading.reactive_energy_export_varh == 7
    else:
        assert reading.meter_time is None
        assert reading.energy_import_wh is None


@pytest.mark.parametrize("hourly", [False, True])
def test_kaifa_one_phase(hourly: bool) -> None:
    reading = reading_of(structure(KAIFA_1P + (KAIFA_HOURLY if hourly else [])), "Europe/Oslo")
    assert reading.current_l1_a == Decimal("7.377")
    assert reading.voltage_l1_v == Decimal("230.1")
    assert reading.current_l2_a is None
    assert reading.voltage_l2_v is None
    assert reading.energy_import_wh == (12345678 if hourly else None)


# ---------------------------------------------------------------------- Kamstrup_V0001


def kamstrup(hourly: bool) -> bytes:
    items = [
        visible_string("Kamstrup_V0001"),
        obis("1-1:0.0.5"),
        octet_string(b"5706567000000000"),
        obis("1-1:96.1.1"),
        octet_string(b"6841121BN243101040"),
        obis("1-1:1.7.0"),
        double_long_unsigned(1011),
        obis("1-1:2.7.0"),
        double_long_unsigned(0),
        obis("1-1:3.7.0"),
        double_long_unsigned(0),
        obis("1-1:4.7.0"),
        double_long_unsigned(120),
        obis("1-1:31.7.0"),
        double_long_unsigned(123),
        obis("1-1:51.7.0"),
        double_long_unsigned(45),
        obis("1-1:71.7.0"),
        double_long_unsigned(678),
        obis("1-1:32.7.0"),
        long_unsigned(230),
        obis("1-1:52.7.0"),
        long_unsigned(231),
        obis("1-1:72.7.0"),
        long_unsigned(229),
    ]
    if hourly:
        clock = cosem_clock(datetime(2024, 1, 15, 13, 0, 5), deviation=-60, status=0)
        items += [
            obis("0-1:1.0.0"),
            octet_string(clock),
            obis("1-1:1.8.0"),
            double_long_unsigned(123456),
            obis("1-1:2.8.0"),
            double_long_unsigned(7),
            obis("1-1:3.8.0"),
            double_long_unsigned(890),
            obis("1-1:4.8.0"),
            double_long_unsigned(1),
        ]
    return structure(items)


@pytest.mark.parametrize("hourly", [False, True])
def test_kamstrup_fixed_scalers(hourly: bool) -> None:
    """With the energy scale configured (Norway: 10 Wh); detection has its own tests."""
    decoder = hanport.Decoder(zone="Europe/Oslo", energy_scale=10)
    (reading,) = decoder.feed(hdlc_frame(LLC + data_notification(kamstrup(hourly))))
    assert isinstance(reading, Reading)
    assert reading.meter_id == "5706567000000000"
    assert reading.meter_model == "6841121BN243101040"
    assert reading.power_import_w == 1011
    assert reading.reactive_power_export_var == 120
    assert reading.current_l1_a == Decimal("1.23")
    assert reading.current_l2_a == Decimal("0.45")
    assert reading.current_l3_a == Decimal("6.78")
    assert reading.voltage_l1_v == Decimal("230")
    assert reading.voltage_l3_v == Decimal("229")
    assert reading.extra["1-1:0.2.129"] == Register("Kamstrup_V0001")
    if hourly:
        assert reading.meter_time == datetime(2024, 1, 15, 12, 0, 5, tzinfo=UTC)
        assert reading.energy_import_wh == 1234560
        assert reading.energy_export_wh == 70
        assert reading.reactive_energy_import_varh == 8900
        assert reading.reactive_energy_export_varh == 10
        assert decoder.stats.energy_scales == {"5706567000000000": 10}
    else:
        assert reading.energy_import_wh is None


def test_kamstrup_energy_of_unknown_scale_is_kept_raw_in_no_field() -> None:
    reading = reading_of(kamstrup(True), "Europe/Oslo")
    assert reading.power_import_w == 1011
    for name in ("energy_import_wh", "energy_export_wh", "reactive_energy_import_varh"):
        assert getattr(reading, name) is None
    assert reading.extra["1-1:1.8.0"] == Register(123456, None)
    assert reading.extra["1-1:2.8.0"] == Register(7, None)
    assert reading.extra["1-1:3.8.0"] == Register(890, None)
    assert reading.extra["1-1:4.8.0"] == Register(1, None)


@pytest.mark.parametrize("scale", [1, 10])
def test_kamstrup_energy_scale_configured(scale: int) -> None:
    decoder = hanport.Decoder(zone="Europe/Oslo", energy_scale=scale)
    (reading,) = decoder.feed(hdlc_frame(LLC + data_notification(kamstrup(True))))
    assert isinstance(reading, Reading)
    assert reading.energy_import_wh == 123456 * scale
    assert "1-1:1.8.0" not in reading.extra


def test_energy_scale_must_be_1_or_10() -> None:
    with pytest.raises(ValueError, match="1 or 10"):
        hanport.Decoder(energy_scale=100)


# ------------------------------------------------------------------------ unknown layouts


def test_list_without_obis_codes_is_an_unknown_layout() -> None:
    rejected = rejected_of(structure([unsigned(1), unsigned(2), unsigned(3)]))
    assert rejected.reason.startswith("Unknown list layout")
    assert "no OBIS codes" in rejected.reason


def test_list_of_unknown_registers_names_the_codes() -> None:
    body = array(
        [
            register("0-0:96.99.9", unsigned(5)),
            register("0-0:96.99.8", unsigned(6)),
            register("1-0:0.9.7", unsigned(7)),
        ]
    )
    rejected = rejected_of(body)
    assert rejected.reason.startswith("Unknown list layout")
    assert "0-0:96.99.9, 0-0:96.99.8, 1-0:0.9.7" in rejected.reason


def test_unknown_layout_with_many_codes_is_shortened() -> None:
    body = array([register(f"0-0:96.99.{n}", unsigned(n)) for n in range(20)])
    rejected = rejected_of(body)
    assert "0-0:96.99.11" in rejected.reason
    assert "0-0:96.99.12" not in rejected.reason
    assert "…" in rejected.reason


def test_notification_whose_body_is_not_a_list() -> None:
    rejected = rejected_of(double_long_unsigned(5) + b"")
    assert rejected.reason.startswith("Unknown list layout")


def test_obis_with_group_f_other_than_255() -> None:
    body = array(
        [
            register("1-0:1.7.0", double_long_unsigned(10), 0, W),
            register("1-0:1.8.0.101", double_long_unsigned(20), 0, WH),
        ]
    )
    reading = reading_of(body)
    assert reading.energy_import_wh is None
    assert reading.extra["1-0:1.8.0.101"] == Register(20, "Wh")
