"""10-minute windows: the local clock, DST days, exact means, incomplete windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hanport.quality import Method, QualitySettings, Sample, analyse
from hanport.quality.scenarios import TALLINN
from hanport.quality.windows import window_start_ts

D = Decimal


def steady(start: datetime, count: int, volts: str = "230.0", step_s: int = 10) -> list[Sample]:
    value = D(volts)
    return [(start + timedelta(seconds=step_s * i), value, value, value) for i in range(count)]


def test_windows_start_on_the_local_ten_minutes() -> None:
    start = datetime(2026, 1, 10, 8, 3, 20, tzinfo=TALLINN)  # 06:03:20 UTC
    windows = analyse(steady(start, 100), start + timedelta(hours=1), Method()).windows
    starts = [w.start.astimezone(TALLINN).strftime("%H:%M") for w in windows]
    assert starts == ["08:00", "08:10"]
    assert [w.phases[0].count for w in windows] == [40, 60]
    assert [w.complete for w in windows] == [False, True]


def test_a_spring_dst_day_has_138_windows_and_an_autumn_one_150() -> None:
    method = Method()
    for day, expected in ((datetime(2026, 3, 29), 138), (datetime(2026, 10, 25), 150)):
        start = day.replace(tzinfo=TALLINN).astimezone(UTC)
        end = (day + timedelta(days=1)).replace(tzinfo=TALLINN).astimezone(UTC)
        count = int((end - start).total_seconds()) // 10
        windows = analyse(steady(start, count), end, method).windows
        assert len(windows) == expected
        assert all(w.complete for w in windows)
        assert len({w.start for w in windows}) == expected  # the repeated 03:00 hour: 2 × 6


def test_the_repeated_autumn_hour_gives_two_windows_at_the_same_local_time() -> None:
    first = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 03:00 EEST
    second = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # 03:00 EET
    assert window_start_ts(first.timestamp() + 5, TALLINN) == first.timestamp()
    assert window_start_ts(second.timestamp() + 5, TALLINN) == second.timestamp()
    assert first.astimezone(TALLINN).strftime("%H:%M") == "03:00"
    assert second.astimezone(TALLINN).strftime("%H:%M") == "03:00"


def test_a_zone_with_a_half_hour_offset_still_gets_local_ten_minutes() -> None:
    from zoneinfo import ZoneInfo

    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30
    moment = datetime(2026, 1, 10, 8, 37, tzinfo=kolkata)
    start = datetime.fromtimestamp(window_start_ts(moment.timestamp(), kolkata), kolkata)
    assert start.strftime("%H:%M") == "08:30"


def test_the_mean_is_exact_and_shown_rounded_half_even() -> None:
    start = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    rows: list[Sample] = [(start + timedelta(seconds=10 * i), D("230.1"), D("230.1"), D("230.1"))
                          for i in range(59)]  # fmt: skip
    rows.append((start + timedelta(seconds=590), D("230.4"), D("230.4"), D("230.4")))
    window = analyse(rows, start + timedelta(minutes=10), Method()).windows[0]
    phase = window.phases[0]
    assert phase.total_v == D("13806.3")  # 59 × 230.1 + 230.4, no rounding in the sum
    assert phase.count == 60
    assert phase.mean_v == D("230.10")  # 230.105 → half-even → 230.10
    assert (phase.min_v, phase.max_v) == (D("230.1"), D("230.4"))


def test_limits_compare_the_exact_mean_not_the_rounded_one() -> None:
    start = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    rows = steady(start, 59, "253.0")
    rows.append((start + timedelta(seconds=590), D("253.2"), D("253.2"), D("253.2")))
    analysis = analyse(rows, start + timedelta(minutes=10), Method())
    phase = analysis.windows[0].phases[0]
    assert phase.mean_v == D("253.00")  # 253.00333… shown as 253.00
    assert phase.above(D(253))
    assert analysis.weeks[0].phases[0].within_band == 0
    assert [e.kind for e in analysis.events if e.phases == (1,)] == ["overvoltage", "pv_trip"]


def test_fifty_of_sixty_readings_make_a_complete_window_and_49_do_not() -> None:
    start = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    rows = steady(start, 50) + steady(start + timedelta(minutes=10), 49)
    windows = analyse(rows, start + timedelta(minutes=20), Method()).windows
    assert [w.complete for w in windows] == [True, False]
    assert windows[1].phases[0].mean_v == D("230.00")  # incomplete windows are still reported


def test_a_phase_without_readings_makes_only_that_phase_incomplete() -> None:
    start = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    rows: list[Sample] = [(start + timedelta(seconds=10 * i), D(230), D(231) if i < 30 else None,
                           D(232)) for i in range(60)]  # fmt: skip
    window = analyse(rows, start + timedelta(minutes=10), Method()).windows[0]
    assert [p.complete for p in window.phases] == [True, False, True]
    assert window.phases[1].count == 30
    assert window.phases[1].mean_v == D("231.00")
    assert window.unbalance_pct() is None  # needs three complete means


def test_the_completeness_threshold_is_a_setting() -> None:
    start = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    method = Method(QualitySettings(min_samples=55))
    window = analyse(steady(start, 54), start + timedelta(minutes=10), method).windows[0]
    assert not window.complete


def test_a_single_phase_site_has_one_phase_per_window() -> None:
    start = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    window = analyse(steady(start, 60), start + timedelta(minutes=10), Method(phases=1)).windows[0]
    assert len(window.phases) == 1
    assert window.unbalance_pct() is None


def test_unordered_and_repeated_readings_count_once_in_time_order() -> None:
    start = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    rows = steady(start, 60)
    shuffled = rows[30:] + rows[:30] + rows[10:20]
    windows = analyse(shuffled, start + timedelta(minutes=10), Method()).windows
    assert windows[0].phases[0].count == 60


def test_a_window_open_at_until_is_not_closed() -> None:
    start = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    analysis = analyse(steady(start, 90), start + timedelta(minutes=12), Method())
    assert len(analysis.windows) == 1
    assert len(analysis.state.pending) == 30
