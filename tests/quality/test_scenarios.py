"""The simulated week against hand-computed 10-minute means and weekly percentages."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from hanport.quality import Analysis, Method, analyse
from hanport.quality.scenarios import TALLINN, scenario_voltages, voltage_week

D = Decimal
MONDAY = datetime(2026, 3, 2, tzinfo=TALLINN)


@pytest.fixture(scope="module")
def week() -> Analysis:
    return analyse(voltage_week(), MONDAY + timedelta(days=7), Method())


def mean_at(analysis: Analysis, day: int, clock: str, phase: int) -> Decimal | None:
    hour, minute = map(int, clock.split(":"))
    start = (MONDAY + timedelta(days=day)).replace(hour=hour, minute=minute)
    (window,) = [w for w in analysis.windows if w.start == start]
    return window.phases[phase - 1].mean_v


def test_a_week_of_readings_makes_1008_windows(week: Analysis) -> None:
    assert len(week.windows) == 1008
    assert sum(1 for w in week.windows if not w.complete) == 1  # the Wednesday 03:00 gap


@pytest.mark.parametrize(
    ("day", "clock", "phase", "mean"),
    [
        (0, "12:00", 1, "231.00"),  # the base
        (0, "18:00", 2, "226.00"),  # evening: 229 − 3
        (0, "02:00", 3, "232.00"),  # night: 230 + 2
        (1, "18:00", 2, "200.00"),  # the sag
        (1, "18:20", 2, "200.00"),
        (1, "18:30", 2, "193.00"),  # below 195.5 V
        (1, "18:40", 2, "226.00"),  # back
        (3, "10:50", 1, "248.00"),
        (3, "11:00", 1, "255.00"),  # PV day
        (3, "14:50", 1, "255.00"),
        (3, "15:00", 1, "249.00"),
        (5, "20:00", 1, "236.00"),  # broken neutral: (12 × 268 + 48 × 228) / 60
        (5, "20:00", 2, "226.00"),
        (5, "20:00", 3, "219.20"),  # (12 × 188 + 48 × 227) / 60
    ],
)
def test_ten_minute_means_by_hand(
    week: Analysis, day: int, clock: str, phase: int, mean: str
) -> None:
    assert mean_at(week, day, clock, phase) == D(mean)


def test_the_gap_window_mean_is_that_of_the_readings_it_has(week: Analysis) -> None:
    start = (MONDAY + timedelta(days=2)).replace(hour=3)
    readings = [scenario_voltages(start + timedelta(seconds=10 * i)) for i in range(60)]
    present = [r[0] for r in readings if r is not None]
    assert len(present) == 40
    expected = Fraction(sum(present)) / 40
    (window,) = [w for w in week.windows if w.start == start]
    assert not window.phases[0].complete
    assert window.phases[0].exact_mean_v == D(expected.numerator) / D(expected.denominator)


def test_weekly_percentages_by_hand(week: Analysis) -> None:
    (figures,) = week.weeks
    assert figures.expected == 1008
    l1, l2, l3 = figures.phases
    # L1: 1007 complete windows; the 24 PV-day means above 253 V break both limits
    assert (l1.complete, l1.incomplete, l1.within_band, l1.within_wide) == (1007, 1, 983, 983)
    assert l1.band_pct == D("97.61")  # 983 / 1007 = 97.616…%, shown rounded down
    # L2: 3 sag means at 200 V break the 95 % band, the one at 193 V also the 100 % band
    assert (l2.within_band, l2.within_wide) == (1003, 1006)
    assert (l2.band_pct, l2.wide_pct) == (D("99.60"), D("99.90"))
    assert (l3.within_band, l3.within_wide, l3.band_pct) == (1007, 1007, D("100.00"))
    settings = Method().settings
    assert [figures.verdict(n, settings) for n in (1, 2, 3)] == ["fail", "fail", "pass"]
    assert l1.at_trip == 24 * 60 + 12  # PV day, and the broken neutral's 268 V
    assert (l2.min_mean_v, l1.max_mean_v) == (D("193.00"), D("255.00"))


def test_events_of_the_week(week: Analysis) -> None:
    found = {(e.kind, e.phases): e for e in week.events}
    sag = found[("undervoltage", (2,))]
    assert (sag.start, sag.end) == (
        MONDAY.replace(day=3, hour=18),
        MONDAY.replace(day=3, hour=18, minute=40),
    )
    assert (sag.count, sag.mean_v) == (4, D("193.00"))
    pv = found[("overvoltage", (1,))]
    assert (pv.start.astimezone(TALLINN).hour, pv.end.astimezone(TALLINN).hour) == (11, 15)
    assert pv.mean_v == D("255.00")
    neutral = found[("broken_neutral", (1, 3))]
    assert (neutral.min_v, neutral.max_v, neutral.count, neutral.duration_s) == (
        D(188),
        D(268),
        12,
        120,
    )
    assert neutral.start == MONDAY.replace(day=7, hour=20)
    unbalance = [e for e in week.events if e.kind == "unbalance" and e.start == neutral.start]
    assert unbalance[0].unbalance_pct == D("3.93")  # 8.933… / 227.066… V
    trips = [e for e in week.events if e.kind == "pv_trip"]
    assert [t.duration_s for t in trips] == [4 * 3600, 120]
    assert not [e for e in week.events if e.kind == "phase_loss" or e.ongoing]
