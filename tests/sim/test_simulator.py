"""The built-in E360 simulator: repeatable, valid CRCs, physically consistent values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import islice

from encoder import crc16_arc

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator, PhaseState, e360_telegram, serial_number

SATURDAY = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)  # 08:00 in Tallinn


def decode_day(simulator: HomeSimulator, count: int) -> list[Reading]:
    decoder = hanport.Decoder()
    readings = []
    for _ in range(count):
        (item,) = decoder.feed(simulator.next_telegram())
        assert isinstance(item, Reading), item
        readings.append(item)
    return readings


def test_same_seed_same_telegrams() -> None:
    first = list(islice(HomeSimulator(seed=5, start=SATURDAY).telegrams(), 50))
    again = HomeSimulator(seed=5, start=SATURDAY)
    second = [again.next_telegram() for _ in range(50)]
    assert first == second
    other = list(islice(HomeSimulator(seed=6, start=SATURDAY).telegrams(), 50))
    assert other != first


def test_crc_is_valid() -> None:
    for telegram in islice(HomeSimulator(seed=2).telegrams(), 100):
        bang = telegram.rindex(b"!")
        assert telegram[bang + 1 :] == f"{crc16_arc(telegram[: bang + 1]):04X}\r\n".encode()


def test_e360_layout() -> None:
    telegram = HomeSimulator(start=SATURDAY).next_telegram()
    lines = telegram.decode("ascii").split("\r\n")
    assert lines[0] == "/LGF5E360"
    assert lines[1] == ""
    data = lines[2:-2]
    assert len(data) == 28
    assert [line.split("(")[0] for line in data[:10]] == [
        "0-0:1.0.0",
        "0-0:96.1.0",
        "1-0:1.8.0",
        "1-0:2.8.0",
        "1-0:3.8.0",
        "1-0:4.8.0",
        "1-0:1.7.0",
        "1-0:2.7.0",
        "1-0:3.7.0",
        "1-0:4.7.0",
    ]
    assert data[0] == "0-0:1.0.0(260110080000W)"
    assert data[1] == f"0-0:96.1.0({serial_number(1)})"
    assert lines[-2].startswith("!")
    assert lines[-1] == ""


def test_a_day_of_readings_is_consistent() -> None:
    simulator = HomeSimulator(seed=9, start=SATURDAY, interval_s=60)
    readings = decode_day(simulator, 24 * 60)
    previous: Reading | None = None
    for reading in readings:
        assert reading.meter_model == "LGF5E360"
        phases = [
            (
                reading.power_import_l1_w,
                reading.power_export_l1_w,
                reading.voltage_l1_v,
                reading.current_l1_a,
            ),
            (
                reading.power_import_l2_w,
                reading.power_export_l2_w,
                reading.voltage_l2_v,
                reading.current_l2_a,
            ),
            (
                reading.power_import_l3_w,
                reading.power_export_l3_w,
                reading.voltage_l3_v,
                reading.current_l3_a,
            ),
        ]
        total_import: int | Decimal = 0
        total_export: int | Decimal = 0
        for imp, exp, voltage, current in phases:
            assert imp is not None
            assert exp is not None
            assert voltage is not None
            assert current is not None
            assert imp == 0 or exp == 0
            assert Decimal(200) < voltage < Decimal(250)
            watts = imp + exp
            # current = P / U, in whole tenths of an ampere, rounded down
            assert current * voltage <= watts
            assert watts - current * voltage < voltage / 10
            total_import += imp
            total_export += exp
        assert reading.power_import_w == total_import
        assert reading.power_export_w == total_export
        assert reading.energy_import_wh is not None
        assert reading.energy_export_wh is not None
        if previous is not None:
            assert previous.meter_time is not None
            assert reading.meter_time is not None
            assert reading.meter_time - previous.meter_time == timedelta(seconds=60)
            assert previous.energy_import_wh is not None
            assert previous.energy_export_wh is not None
            gained = reading.energy_import_wh - previous.energy_import_wh
            assert gained >= 0
            assert -3600 < gained * 3600 - total_import * 60 < 3600
            assert reading.energy_export_wh >= previous.energy_export_wh
        previous = reading


def test_the_day_has_a_sauna_and_sunshine() -> None:
    readings = decode_day(HomeSimulator(seed=1, start=SATURDAY, interval_s=300), 12 * 24)
    assert max(r.power_import_w or 0 for r in readings) > 9000
    assert max(r.power_export_w or 0 for r in readings) > 0
    assert min(r.power_import_w or 0 for r in readings) < 1000


def test_meter_time_is_standard_time_all_year() -> None:
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    telegram = HomeSimulator(start=summer).next_telegram()
    assert b"0-0:1.0.0(260701110000W)" in telegram
    (reading,) = hanport.decode(telegram)
    assert reading.meter_time == summer


def test_e360_telegram_number_formats() -> None:
    phases = [PhaseState(1011, 0, 2301, 44), PhaseState(0, 12, 2299, 1), PhaseState(5, 0, 2310, 0)]
    telegram = e360_telegram(SATURDAY, phases, 4215300, 812044)
    text = telegram.decode("ascii")
    assert "1-0:1.8.0(00004215.300*kWh)" in text
    assert "1-0:2.8.0(00000812.044*kWh)" in text
    assert "1-0:1.7.0(0001.016*kW)" in text
    assert "1-0:42.7.0(0000.012*kW)" in text
    assert "1-0:32.7.0(230.1*V)" in text
    assert "1-0:31.7.0(004.4*A)" in text
    assert "1-0:71.7.0(000.0*A)" in text
    (reading,) = hanport.decode(telegram)
    assert reading.power_import_w == 1016
    assert reading.energy_import_wh == 4215300
    assert reading.current_l1_a == Decimal("4.4")


def test_a_weekday_evening_charges_the_car_at_11_kw_within_the_fuse() -> None:
    from datetime import UTC, datetime

    import hanport
    from hanport.sim.home import HomeSimulator

    # Monday 2026-01-12 18:30 in Tallinn (16:30 UTC): the car charges on all three phases
    simulator = HomeSimulator(seed=1, start=datetime(2026, 1, 12, 16, 30, tzinfo=UTC))
    (reading,) = hanport.decode(simulator.next_telegram())
    assert reading.power_import_w is not None
    assert reading.power_import_w > 11_000
    for current in (reading.current_l1_a, reading.current_l2_a, reading.current_l3_a):
        assert current is not None
        assert 16 <= current < 25  # the 3 × 25 A main fuse holds


def test_dlms_hdlc_frames_carry_the_same_household() -> None:
    import hanport
    from hanport.sim.home import HomeSimulator

    p1 = HomeSimulator(seed=3, start=SATURDAY)
    hdlc = HomeSimulator(seed=3, start=SATURDAY, format="hdlc")
    decoder = hanport.Decoder()
    for _ in range(5):
        (telegram,) = hanport.decode(p1.next_telegram())
        frame = hdlc.next_telegram()
        assert frame[0] == 0x7E
        assert frame[1] & 0xF8 == 0xA0  # frame format type 3, the length in 11 bits
        (reading,) = decoder.feed(frame)
        assert isinstance(reading, hanport.Reading)
        assert decoder.format == "hdlc"
        for name in (
            "power_import_w",
            "power_export_w",
            "energy_import_wh",
            "energy_export_wh",
            "voltage_l1_v",
            "voltage_l3_v",
            "current_l2_a",
            "meter_id",
        ):
            assert getattr(reading, name) == getattr(telegram, name), name
        assert reading.meter_time == telegram.meter_time


def test_the_clock_starts_now_on_the_ten_second_grid() -> None:
    before = datetime.now(UTC)
    (reading,) = hanport.decode(HomeSimulator(seed=2).next_telegram())
    after = datetime.now(UTC)
    assert reading.meter_time is not None
    assert reading.meter_time.second % 10 == 0
    assert before - timedelta(seconds=10) < reading.meter_time <= after


def test_the_meter_sends_its_serial_number_in_both_formats() -> None:
    for form in ("p1", "hdlc"):
        (reading,) = hanport.decode(HomeSimulator(seed=4, format=form).next_telegram())
        assert reading.meter_id == serial_number(4), form
        assert len(reading.meter_id) == 8
        assert reading.meter_id.isdigit()
    assert serial_number(4) != serial_number(5)
    (chosen,) = hanport.decode(HomeSimulator(meter_id="12345678").next_telegram())
    assert chosen.meter_id == "12345678"


def test_without_an_id_the_telegram_is_the_swedish_e360s() -> None:
    phases = [PhaseState(1011, 0, 2301, 44)] * 3
    plain = e360_telegram(SATURDAY, phases, 4215300, 812044)
    assert b"96.1.0" not in plain
    (reading,) = hanport.decode(plain)
    assert reading.meter_id is None
