"""Rollups from the cumulative registers: exact energy, gaps, replaced meters, DST days."""

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


def simulated(hours: float, start: datetime = datetime(2026, 6, 10, tzinfo=UTC)) -> list[Reading]:
    simulator = HomeSimulator(seed=3, start=start)
    data = b"".join(simulator.next_telegram() for _ in range(int(hours * 360)))
    return hanport.decode(data)


def register(reading: Reading) -> int | Decimal:
    assert reading.energy_import_wh is not None
    return reading.energy_import_wh


def test_hour_energy_is_the_register_difference() -> None:
    readings = simulated(3)
    hours = list(rollups(readings, "1h", TALLINN))
    assert [h.readings for h in hours] == [360, 360, 360]
    ends = [register(readings[359]), register(readings[719]), register(readings[1079])]
    assert hours[0].energy_import_wh == ends[0] - register(readings[0])
    assert hours[1].energy_import_wh == ends[1] - ends[0]
    assert hours[2].energy_import_wh == ends[2] - ends[1]
    assert sum(h.energy_import_wh for h in hours) == register(readings[-1]) - register(readings[0])
    assert not any(h.gap or h.reset for h in hours)
    quarters = list(rollups(readings, "15m", TALLINN))
    assert len(quarters) == 12
    assert sum(q.energy_import_wh for q in quarters) == sum(h.energy_import_wh for h in hours)
    assert all(q.start.minute % 15 == 0 for q in quarters)


def test_min_mean_max() -> None:
    base = datetime(2026, 1, 5, 10, tzinfo=UTC)
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
    kept = readings[:300] + readings[480:]  # 30 minutes missing across the hour boundary
    hours = list(rollups(kept, "1h", TALLINN))
    assert hours[1].gap
    assert not hours[0].gap
    lost = register(readings[480]) - register(readings[299])
    total = sum(h.energy_import_wh for h in hours)
    assert total == register(readings[-1]) - register(readings[0]) - lost
    assert all(h.energy_import_wh >= 0 for h in hours)


def test_a_replaced_meter_restarts_counting() -> None:
    old = simulated(1)
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
    (hour, after) = rollups(old + new, "1h", TALLINN)
    assert after.reset
    assert after.energy_import_wh == 29  # from the new meter's first reading on, no fake jump
    assert hour.energy_import_wh == register(old[-1]) - register(old[0])


@pytest.mark.parametrize(
    ("day", "hours_in_day"),
    [(datetime(2026, 3, 28, 22, tzinfo=UTC), 23), (datetime(2026, 10, 24, 21, tzinfo=UTC), 25)],
)
def test_dst_days_have_their_real_length(day: datetime, hours_in_day: int) -> None:
    readings = [
        Reading(meter_time=day + timedelta(minutes=10 * i), energy_import_wh=1000 + i)
        for i in range(6 * 26)
    ]
    days = list(rollups(readings, "1d", TALLINN))
    assert days[0].readings == 6 * hours_in_day
    assert days[0].start == datetime(day.year, day.month, day.day + 1, tzinfo=TALLINN)
    hours = list(rollups(readings, "1h", TALLINN, max_gap=timedelta(minutes=15)))
    assert len(hours) == 26  # the repeated 03:00 of October is two hours, not one
    assert len({h.start.timestamp() for h in hours}) == 26
    assert sum(h.energy_import_wh for h in hours) == 6 * 26 - 1


def test_months_and_unknown_steps() -> None:
    moment = datetime(2026, 1, 31, 22, 30, tzinfo=UTC)  # already 1 February in Tallinn
    assert period_start(moment, "1mo", TALLINN) == datetime(2026, 2, 1, tzinfo=TALLINN)
    with pytest.raises(ValueError, match="Unknown step"):
        period_start(moment, "5m", TALLINN)


def test_decimal_power_and_energy_from_meters_that_send_fractions() -> None:
    """EasyMeter Q3D: watts with two decimals, kWh with seven. Statistics keep the Decimals;
    energy is counted in whole Wh crossed, so the periods add up to the register's growth."""
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
    ]
    first, second = rollups(readings, "1h", TALLINN)
    stats = first.stats["power_import_w"]
    assert (stats.minimum, stats.maximum, stats.total) == (
        Decimal("0.5"),
        Decimal("2125"),
        Decimal("4250.36"),
    )
    assert first.energy_import_wh == 1  # 1000.9 → 1001.95 crosses 1001
    assert second.energy_import_wh == 2  # 1001.95 → 1003.5 crosses 1002 and 1003
    assert type(first.energy_import_wh) is int
    assert first.energy_import_wh + second.energy_import_wh == 1003 - 1000
