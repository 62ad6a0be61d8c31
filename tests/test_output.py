"""Readings as JSON (exact names, ISO times, exact decimals) and as a table."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from hanport.model import READING_FIELDS, Reading, Register
from hanport.output import reading_json, reading_table

WHEN = datetime(2024, 1, 15, 12, 0, 5, tzinfo=timezone(timedelta(hours=2)))
WH = datetime(2010, 12, 8, 15, 24, 15, tzinfo=timezone(timedelta(hours=1)))
GAS_TIME = datetime(2017, 1, 2, 14, 10, 5, tzinfo=UTC)


def test_empty_reading() -> None:
    assert reading_json(Reading()) == "{}"
    assert reading_table(Reading()) == ""


def test_json_exact_text() -> None:
    reading = Reading(
        meter_id="K8EG004046395507",
        meter_time=WHEN,
        power_import_w=1011,
        power_export_w=0,
        voltage_l1_v=Decimal("230.10"),
        current_l1_a=Decimal("0.6"),
        power_factor=Decimal("-1.000"),
        energy_import_wh=4215300,
    )
    assert reading_json(reading) == (
        '{"meter_id":"K8EG004046395507","meter_time":"2024-01-15T12:00:05+02:00",'
        '"power_import_w":1011,"power_export_w":0,"voltage_l1_v":230.10,"current_l1_a":0.6,'
        '"energy_import_wh":4215300,"power_factor":-1.000}'
    )


def test_json_field_order_and_names_follow_the_reading() -> None:
    values: dict[str, object] = {}
    for index, name in enumerate(READING_FIELDS):
        if name.endswith(("_w", "_var", "_wh", "_varh")):
            values[name] = index
        elif name.endswith(("_v", "_a", "_hz")) or name == "power_factor":
            values[name] = Decimal(index) / 10
        elif name in ("meter_time", "received_at"):
            values[name] = WHEN
        elif name != "extra":
            values[name] = f"text {index}"
    reading = Reading(**values)  # type: ignore[arg-type]
    data = json.loads(reading_json(reading), parse_float=Decimal)
    assert list(data) == [name for name in READING_FIELDS if name != "extra"]
    for name, value in values.items():
        expected = value.isoformat() if isinstance(value, datetime) else value
        assert data[name] == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("5E+1"), "50"),
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("-0.000"), "-0.000"),
        (Decimal("123456789012345678901234.5"), "123456789012345678901234.5"),
        (Decimal("NaN"), "null"),
        (Decimal("Infinity"), "null"),
    ],
)
def test_json_decimals_digit_for_digit(value: Decimal, text: str) -> None:
    assert reading_json(Reading(frequency_hz=value)) == f'{{"frequency_hz":{text}}}'


def test_json_extra_registers() -> None:
    reading = Reading(
        extra={
            "0-0:96.14.0": Register(2),
            "0-1:24.2.1": Register(Decimal("0.107"), "m3", GAS_TIME),
            "0-0:96.13.0": Register('say "hi" – Tõnis'),
            "0-0:96.3.10": Register(b"\x00\xff"),
            "1-0:99.97.0": Register((Register(1), Register(None, None, WH), Register(240, "s"))),
            "0-0:1.0.0": Register(None),
        }
    )
    text = reading_json(reading)
    assert text.startswith('{"extra":{"0-0:96.14.0":{"value":2},')
    data = json.loads(text, parse_float=Decimal)
    assert data == {
        "extra": {
            "0-0:96.14.0": {"value": 2},
            "0-1:24.2.1": {
                "value": Decimal("0.107"),
                "unit": "m3",
                "time": "2017-01-02T14:10:05+00:00",
            },
            "0-0:96.13.0": {"value": 'say "hi" – Tõnis'},
            "0-0:96.3.10": {"value": "00FF"},
            "1-0:99.97.0": {
                "value": [
                    {"value": 1},
                    {"value": None, "time": WH.isoformat()},
                    {"value": 240, "unit": "s"},
                ]
            },
            "0-0:1.0.0": {"value": None},
        }
    }


def test_json_is_one_line() -> None:
    reading = Reading(meter_model="line\nbreak", extra={"x": Register("a\r\nb")})
    text = reading_json(reading)
    assert "\n" not in text
    assert "\r" not in text
    assert json.loads(text)["meter_model"] == "line\nbreak"


def test_table() -> None:
    reading = Reading(
        meter_time=WHEN,
        power_import_w=1011,
        voltage_l1_v=Decimal("230.1"),
        power_factor=Decimal("0.98"),
        extra={
            "0-0:96.14.0": Register(2),
            "0-1:24.2.1": Register(Decimal("0.107"), "m3", GAS_TIME),
            "1-1:31.4.0": Register((Register(100, "A"), Register(-63, "A"))),
            "0-0:96.3.10": Register(b"\x01\xab"),
            "0-0:96.13.0": Register(None),
        },
    )
    assert reading_table(reading).splitlines() == [
        "  Meter time           2024-01-15T12:00:05+02:00",
        "  Active power import  1011 W",
        "  Voltage L1           230.1 V",
        "  Power factor         0.98",
        "  0-0:96.14.0          2",
        "  0-1:24.2.1           0.107 m3 @ 2017-01-02T14:10:05+00:00",
        "  1-1:31.4.0           100 A; -63 A",
        "  0-0:96.3.10          01AB",
        "  0-0:96.13.0          —",
    ]


def test_table_in_estonian() -> None:
    reading = Reading(power_import_w=5, energy_import_wh=7)
    assert reading_table(reading, "et").splitlines() == [
        "  Aktiivvõimsus võrgust   5 W",
        "  Võrgust võetud energia  7 Wh",
    ]


def test_unverified_reading_says_so_and_verified_json_is_unchanged() -> None:
    verified = Reading(power_import_w=5)
    assert reading_json(verified) == '{"power_import_w":5}'
    unverified = Reading(power_import_w=5, verified=False)
    assert reading_json(unverified) == '{"power_import_w":5,"verified":false}'
    assert json.loads(reading_json(Reading(verified=False))) == {"verified": False}
    assert reading_table(unverified).splitlines()[-1] == (
        "  Checksum             none: the meter sent no checksum, so this reading is not verified"
    )
    assert "kontrollimata" in reading_table(unverified, "et")
    assert "Checksum" not in reading_table(verified)


def test_decimal_power_is_written_digit_for_digit() -> None:
    reading = Reading(power_import_w=Decimal("2124.86"), energy_import_wh=Decimal("12345678.9012"))
    assert reading_json(reading) == ('{"power_import_w":2124.86,"energy_import_wh":12345678.9012}')
    assert "2124.86 W" in reading_table(reading)
