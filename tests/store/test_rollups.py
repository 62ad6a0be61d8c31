"""Rollups by the DSO's boundary rule: exact energy, a boundary reading closes its period (in
energy and statistics), gaps, replaced meters, DST days, hourly energy registers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.store.rollups import period_start, rollups

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 6, 10, tzinfo=UTC)


def simulated(hours: float, start: datetime = START) -> list[Reading]:
    simulator = HomeSimulator(seed=3, start=start)
    data = b"".join(simulator.next_telegram() for _ in range(int(hours * 360)))
    return hanport.decode(data)


def register(reading: Reading) -> int | Decimal:
    assert reading.energy_import_wh is not None
    return reading.energy_import_wh


def test_hour_energy_is_the_register_at_its_end_minus_the_one_at_its_start() -> None:
    readings = simulated(3)  # from 00:00:00 UTC every 10 s: one on every boundary
    before, *hours, still_open = rollups(readings, "1h", TALLINN)
    # the first reading, at 00:00:00, closes the hour before; its start is not known: a gap
    assert (before.readings, before.energy_import_wh, before.gap) == (1, 0, True)
    assert [h.readings for h in hours] == [360, 360]  # 00:00:10 … 01:00:00, 01:00:10 … 02:00:00
    assert hours[0].energy_import_wh == register(readings[360]) - register(readings[0])
    assert hours[1].energy_import_wh == register(readings[720]) - register(readings[360])
    assert not any(h.gap or h.reset or h.partial for h in hours)
    assert still_open.partial
    assert still_open.energy_import_wh == register(readings[-1]) - register(readings[720])
    quarters = rollups(readings, "15m", TALLINN)
    assert len(quarters) == 1 + 12
    assert sum(q.energy_import_wh for q in quarters[1:9]) == sum(h.energy_import_wh for h in hours)
    assert all(q.start.minute % 15 == 0 for q in quarters)


def test_a_reading_on_a_boundary_counts_in_the_period_it_closes() -> None:
    base = datetime(2026, 1, 5, 10, 14, 50, tzinfo=UTC)
    readings = [
        Reading(meter_time=base + timedelta(seconds=10 * i), power_import_w=p, energy_import_wh=e)
        for i, (p, e) in enumerate([(100, 1000), (300, 1010), (200, 1020), (400, 1030)])
    ]  # 10:14:50, 10:15:00 (on the boundary), 10:15:10, 10:15:20
    first, second = rollups(readings, "15m", TALLINN)
    assert first.start == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert first.readings == 2
    assert (first.stats["power_import_w"].minimum, first.stats["power_import_w"].maximum) == (
        100,
        300,
    )
    assert first.energy_import_wh == 10  # up to the reading at 10:15:00
    assert second.readings == 2
    assert second.stats["power_import_w"].total == 600
    assert second.energy_import_wh == 20


def test_between_readings_the_register_at_the_boundary_is_interpolated() -> None:
    base = datetime(2026, 1, 5, 10, 14, 55, tzinfo=UTC)
    readings = [
        Reading(meter_time=base, energy_import_wh=1000),
        Reading(meter_time=base + timedelta(seconds=10), energy_import_wh=1003),
        Reading(meter_time=base + timedelta(seconds=20), energy_import_wh=1004),
    ]
    first, second = rollups(readings, "15m", TALLINN)
    assert first.energy_import_wh == 1  # 1000 + 3 × 5/10 = 1001.5 → 1001 Wh reached at 10:15
    assert second.energy_import_wh == 3  # the half Wh is in the next quarter


def test_min_mean_max() -> None:
    base = datetime(2026, 1, 5, 10, 0, 5, tzinfo=UTC)
    readings = [
        Reading(meter_time=base + timedelta(seconds=10 * i), power_import_w=w, voltage_l1_v=v)
        for i, (w, v) in enumerate([(100, Decimal("230.1")), (300, Decimal("228.0")), (200, None)])
    ]
    (hour,) = rollups(readings, "1h", TALLINN)
    power = hour.stats["power_import_w"]
    assert (power.minimum, power.maximum, power.mean) == (100, 300, Decimal(200))
    voltage = hour.stats["voltage_l1_v"]
    assert (voltage.minimum, voltage.maximum, voltage.count) == (
        Decimal("228.0"),
        Decimal("230.1"),
        2,
    )


def test_a_gap_is_marked_and_never_counted() -> None:
    readings = simulated(2)
    kept = readings[:300] + readings[480:]  # 00:49:50 … 01:20:00 missing
    before, first, second = rollups(kept, "1h", TALLINN)[:3]
    assert first.gap  # its end is not known
    assert second.gap  # its start is not known
    assert not before.partial
    # what is counted: up to the last reading before the gap, from the first one after it
    assert first.energy_import_wh == register(readings[299]) - register(readings[0])
    assert second.energy_import_wh == register(kept[-1]) - register(readings[480])
    assert all(h.energy_import_wh >= 0 for h in rollups(kept, "15m", TALLINN))


def test_a_replaced_meter_restarts_counting() -> None:
    old = simulated(1)  # 00:00:00 … 00:59:50
    replaced_at = old[-1].meter_time
    assert replaced_at is not None
    new = [
        Reading(
            meter_id="NEW",
            meter_time=replaced_at + timedelta(seconds=10 * (i + 1)),
            energy_import_wh=5 + i,
            energy_export_wh=0,
        )
        for i in range(30)
    ]
    _, hour, after = rollups(old + new, "1h", TALLINN)
    assert hour.reset  # the new meter's first reading is at 01:00:00: it closes this hour
    assert after.reset is False
    assert hour.energy_import_wh == register(old[-1]) - register(old[0])  # no fake jump
    assert after.energy_import_wh == 29  # from the new meter's 01:00:00 reading on
    assert not hour.gap


def test_a_register_going_backwards_is_a_reset_not_a_negative_or_a_gap() -> None:
    base = datetime(2026, 1, 5, 10, 0, 5, tzinfo=UTC)
    registers = [1000, 1010, 1020, 3, 8, 13]
    readings = [
        Reading(meter_time=base + timedelta(minutes=i), energy_import_wh=e)
        for i, e in enumerate(registers)
    ]
    (quarter,) = rollups(readings, "15m", TALLINN)
    assert quarter.reset
    assert quarter.energy_import_wh == 20 + 10
    assert quarter.partial


@pytest.mark.parametrize(
    ("day", "hours_in_day"),
    [(datetime(2026, 3, 28, 22, tzinfo=UTC), 23), (datetime(2026, 10, 24, 21, tzinfo=UTC), 25)],
)
def test_dst_days_have_their_real_length(day: datetime, hours_in_day: int) -> None:
    readings = [
        Reading(meter_time=day + timedelta(minutes=10 * i), energy_import_wh=1000 + i)
        for i in range(6 * 26)
    ]
    days = rollups(readings, "1d", TALLINN, max_gap=timedelta(minutes=15))
    assert days[1].readings == 6 * hours_in_day  # 00:10 … 24:00, the reading at 00:00 before
    assert days[1].start == datetime(day.year, day.month, day.day + 1, tzinfo=TALLINN)
    assert days[1].energy_import_wh == 6 * hours_in_day
    hours = rollups(readings, "1h", TALLINN, max_gap=timedelta(minutes=15))
    assert len(hours) == 1 + 26  # the repeated 03:00 of October is two hours, not one
    assert len({h.start.timestamp() for h in hours}) == 27
    assert sum(h.energy_import_wh for h in hours) == 6 * 26 - 1


def test_months_and_unknown_steps() -> None:
    moment = datetime(2026, 1, 31, 22, 30, tzinfo=UTC)  # already 1 February in Tallinn
    assert period_start(moment, "1mo", TALLINN) == datetime(2026, 2, 1, tzinfo=TALLINN)
    with pytest.raises(ValueError, match="Unknown step"):
        period_start(moment, "5m", TALLINN)
    with pytest.raises(ValueError, match="Unknown step"):
        rollups([], "5m", TALLINN)


def test_decimal_power_and_energy_from_meters_that_send_fractions() -> None:
    """EasyMeter Q3D: watts with two decimals, kWh with seven. Statistics keep the Decimals;
    energy is counted in whole Wh reached, so the periods add up to the register's growth."""
    base = datetime(2026, 1, 5, 10, 59, 30, tzinfo=UTC)
    energies = ["1000.9", "1001.2", "1001.95", "1002.05", "1003.5"]
    powers: list[int | Decimal] = [
        Decimal("2124.86"),
        2125,
        Decimal("0.5"),
        Decimal("3000.25"),
        Decimal("7.75"),
    ]
    readings = [
        Reading(
            meter_time=base + timedelta(seconds=10 * i),
            power_import_w=p,
            energy_import_wh=Decimal(e),
        )
        for i, (p, e) in enumerate(zip(powers, energies, strict=True))
    ]  # 10:59:30, :40, :50, 11:00:00 (closes the hour), 11:00:10
    first, second = rollups(readings, "1h", TALLINN)
    stats = first.stats["power_import_w"]
    assert (stats.minimum, stats.maximum, stats.total) == (
        Decimal("0.5"),
        Decimal("3000.25"),
        Decimal("7250.61"),
    )
    assert first.energy_import_wh == 2  # 1000.9 → 1002.05 reaches 1001 and 1002
    assert second.energy_import_wh == 1  # 1002.05 → 1003.5 reaches 1003
    assert type(first.energy_import_wh) is int
    assert first.energy_import_wh + second.energy_import_wh == 1003 - 1000


def test_a_day_is_the_sum_of_its_hours_and_an_hour_of_its_quarters() -> None:
    readings = simulated(30, start=datetime(2026, 6, 9, 20, 7, 3, tzinfo=UTC))
    quarters = rollups(readings, "15m", TALLINN)
    hours = rollups(readings, "1h", TALLINN)
    days = rollups(readings, "1d", TALLINN)
    for coarse, fine in ((hours, quarters), (days, hours)):
        assert sum(r.energy_import_wh for r in coarse) == sum(r.energy_import_wh for r in fine)
        assert sum(r.readings for r in coarse) == sum(r.readings for r in fine) == len(readings)
    assert [d.partial for d in days] == [False, False, True]  # 9, 10 and 11 June
    growth = register(readings[-1]) - register(readings[0])
    assert sum(r.energy_import_wh for r in quarters) == growth
