"""The monthly peak from the store's hours: the first look learns, a higher hour later is news."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import hanport
from hanport.alerts.peaks import PeakWatch
from hanport.sim.home import HomeSimulator
from hanport.store import Store

TALLINN = ZoneInfo("Europe/Tallinn")
MONDAY_15 = datetime(2026, 3, 2, 15, 0, tzinfo=TALLINN)
"""The simulated car charges at 11 kW from 18:00 on weekdays."""


def test_a_new_monthly_peak_from_the_hours(store: Store) -> None:
    simulator = HomeSimulator(seed=2, start=MONDAY_15, interval_s=60)

    def minutes(count: int) -> None:
        store.write(hanport.decode(b"".join(simulator.next_telegram() for _ in range(count))))

    minutes(3 * 60 + 5)  # 15:00–18:05
    meter = store.meters()[0].id
    watch = PeakWatch(TALLINN)
    assert watch.check(store, meter, MONDAY_15 + timedelta(hours=3, minutes=5)) is None
    minutes(60)  # to 19:05: the hour 18–19 with the car
    peak = watch.check(store, meter, MONDAY_15 + timedelta(hours=4, minutes=5))
    assert peak is not None
    assert peak.month == "2026-03"
    hours = store.series(meter, "1h", MONDAY_15, MONDAY_15 + timedelta(hours=4))
    assert peak.power_w == max(h.energy_import_wh for h in hours) == hours[-1].energy_import_wh
    assert peak.power_w > 11_000
    assert watch.check(store, meter, MONDAY_15 + timedelta(hours=4, minutes=30)) is None
    minutes(60)
    later = watch.check(store, meter, MONDAY_15 + timedelta(hours=5, minutes=5))
    assert later is None or later.power_w > peak.power_w
