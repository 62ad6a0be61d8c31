"""Weekly figures: DST weeks, verdicts with too little data, the week's first day, merging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hanport.quality import (
    Method,
    QualitySettings,
    Sample,
    WeekFigures,
    analyse,
    merge_weeks,
    weekly_figures,
)
from hanport.quality.scenarios import TALLINN

D = Decimal


def days_of(start: datetime, days: float, volts: str = "230") -> list[Sample]:
    value = D(volts)
    first = start.astimezone(UTC)
    return [(first + timedelta(seconds=10 * i), value, value, value)
            for i in range(int(days * 8640))]  # fmt: skip


def test_the_dst_weeks_have_1002_and_1014_windows() -> None:
    method = Method()
    expected = []
    for monday in (datetime(2026, 3, 23, tzinfo=TALLINN), datetime(2026, 10, 19, tzinfo=TALLINN)):
        windows = analyse(days_of(monday, 1), monday + timedelta(days=1), method).windows
        (week,) = weekly_figures(windows, method)
        assert week.start == monday
        expected.append(week.expected)
    assert expected == [1002, 1014]


def test_three_good_days_are_too_little_data_but_a_bad_hour_fails_at_once() -> None:
    method = Method()
    monday = datetime(2026, 1, 12, tzinfo=TALLINN)
    good = analyse(days_of(monday, 3), monday + timedelta(days=3), method)
    (week,) = good.weeks
    assert week.phases[0].band_pct == D("100.00")
    assert week.coverage_pct(1) == D("42.85")
    assert week.verdict(1, method.settings) == "insufficient"
    bad = analyse(days_of(monday, 1 / 24, "252"), monday + timedelta(hours=1), method)
    assert bad.weeks[0].verdict(1, method.settings) == "insufficient"  # 252 V is inside
    high = analyse(days_of(monday, 1 / 24, "254"), monday + timedelta(hours=1), method)
    assert high.weeks[0].verdict(1, method.settings) == "fail"


def test_a_full_week_of_good_data_passes() -> None:
    method = Method()
    monday = datetime(2026, 1, 12, tzinfo=TALLINN)
    (week,) = analyse(days_of(monday, 7), monday + timedelta(days=7), method).weeks
    assert [week.verdict(n, method.settings) for n in (1, 2, 3)] == ["pass"] * 3
    assert week.phases[0].complete == 1008


def test_weeks_may_start_on_sunday() -> None:
    method = Method(QualitySettings(week_start=6))
    sunday = datetime(2026, 1, 11, tzinfo=TALLINN)
    weeks = analyse(days_of(sunday, 2), sunday + timedelta(days=2), method).weeks
    assert [w.start for w in weeks] == [sunday]


def test_merging_hour_by_hour_equals_one_pass() -> None:
    method = Method()
    monday = datetime(2026, 1, 12, tzinfo=TALLINN)
    windows = analyse(days_of(monday, 2, "209"), monday + timedelta(days=2), method).windows
    merged: tuple[WeekFigures, ...] = ()
    for start in range(0, len(windows), 6):
        merged = merge_weeks(merged, windows[start : start + 6], method)
    assert merged == weekly_figures(windows, method)
