"""The alert state machine: each rule, de-duplication, repeats, clearing; a property test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hanport.alerts.engine import AlertEngine, Notice
from hanport.alerts.rules import (
    DEFAULT_RULES,
    DecoderRejections,
    EvFailSafe,
    MonthlyPeak,
    ReadingSeen,
    Rule,
    WindowClosed,
)
from hanport.grid import Site
from hanport.model import Reading
from hanport.quality import Method, analyse

D = Decimal
T0 = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)


def engine(*rules: Rule, repeat_s: int = 3600, clear_s: int = 60) -> AlertEngine:
    chosen = rules or DEFAULT_RULES
    return AlertEngine(
        chosen, site=Site(fuse_a=D(25)), repeat_s=repeat_s, clear_s=clear_s, started_at=T0
    )


def reading(**values: object) -> Reading:
    base: dict[str, object] = {
        "voltage_l1_v": D(230),
        "voltage_l2_v": D(230),
        "voltage_l3_v": D(230),
        "current_l1_a": D(5),
        "current_l2_a": D(5),
        "current_l3_a": D(5),
        "power_import_w": 1000,
        "meter_id": "M1",
        "energy_import_wh": 1000,
    }
    return Reading(**(base | values))  # type: ignore[arg-type]


def feed(alerts: AlertEngine, seconds: range, **values: object) -> list[Notice]:
    out: list[Notice] = []
    for s in seconds:
        at = T0 + timedelta(seconds=s)
        out += alerts.observe(ReadingSeen(reading(**values), at), at)
    return out


def events(notices: list[Notice]) -> list[tuple[str, str, str]]:
    return [(n.rule, n.subject, n.event) for n in notices]


def test_overcurrent_fires_after_its_duration_once_and_clears_after_clear_s() -> None:
    alerts = engine(Rule("overcurrent", True, D(100), 60))
    assert feed(alerts, range(0, 60, 10), current_l2_a=D("26.5")) == []  # 50 s: not yet
    (fired,) = feed(alerts, range(60, 120, 10), current_l2_a=D("27.0"))
    assert (fired.subject, fired.event, fired.severity) == ("L2", "fired", "warning")
    assert fired.started == T0
    assert fired.figures["current_a"] == D("27.0")
    assert fired.figures["load_pct"] == D(108)
    assert feed(alerts, range(120, 170, 10)) == []  # back under, but not for 60 s yet
    (cleared,) = feed(alerts, range(170, 190, 10))
    assert (cleared.event, cleared.cleared, cleared.figures["peak"]) == (
        "cleared",
        T0 + timedelta(seconds=120),
        D("27.0"),
    )
    assert cleared.figures["lasted_s"] == 120
    assert cleared.id == fired.id


def test_a_current_that_dips_below_the_limit_restarts_the_duration() -> None:
    alerts = engine(Rule("overcurrent", True, D(100), 60))
    feed(alerts, range(0, 50, 10), current_l1_a=D(26))
    feed(alerts, range(50, 60, 10))
    assert feed(alerts, range(60, 110, 10), current_l1_a=D(26)) == []
    assert events(feed(alerts, range(110, 130, 10), current_l1_a=D(26))) == [
        ("overcurrent", "L1", "fired")
    ]


def test_repeats_at_most_every_repeat_s_while_it_lasts() -> None:
    alerts = engine(Rule("import_power", True, D(10000), 0), repeat_s=600)
    notices = feed(alerts, range(0, 1900, 10), power_import_w=12000)
    assert (
        events(notices)
        == [("import_power", "total", "fired")] + [("import_power", "total", "repeated")] * 3
    )
    assert [n.at - T0 for n in notices] == [timedelta(seconds=s) for s in (0, 600, 1200, 1800)]
    assert len({n.id for n in notices}) == 1


def test_tick_repeats_an_alert_without_new_observations() -> None:
    alerts = engine(Rule("ev_failsafe", True, None, 0), repeat_s=300)
    (fired,) = alerts.observe(EvFailSafe(True, "garage", "no grid reading"), T0)
    assert fired.figures["reason"] == "no grid reading"
    assert alerts.tick(T0 + timedelta(seconds=299)) == []
    assert events(alerts.tick(T0 + timedelta(seconds=300))) == [
        ("ev_failsafe", "garage", "repeated")
    ]
    (cleared,) = alerts.observe(EvFailSafe(False, "garage"), T0 + timedelta(seconds=400))
    assert cleared.event == "cleared"  # at once, no clear_s


def test_data_lost_fires_from_the_last_reading_and_clears_with_the_next() -> None:
    alerts = engine(Rule("data_lost", True, None, 300))
    feed(alerts, range(1))
    assert alerts.tick(T0 + timedelta(seconds=299)) == []
    (lost,) = alerts.tick(T0 + timedelta(seconds=300))
    assert (lost.started, lost.figures["since"]) == (T0, T0)
    assert alerts.tick(T0 + timedelta(seconds=900)) == []  # no repeat within repeat_s
    (back,) = feed(alerts, range(1000, 1001))
    assert (back.event, back.figures["lasted_s"]) == ("cleared", 1000)


def test_nothing_received_since_start_is_data_lost_too() -> None:
    alerts = engine(Rule("data_lost", True, None, 60))
    assert events(alerts.tick(T0 + timedelta(seconds=61))) == [("data_lost", "meter", "fired")]


def test_a_lost_phase_and_a_broken_neutral_are_critical() -> None:
    alerts = engine(Rule("phase_lost", True, None, 20), Rule("broken_neutral", True, None, 10))
    lost = feed(alerts, range(0, 30, 10), voltage_l3_v=D("0.3"))
    assert [(n.subject, n.severity) for n in lost] == [("L3", "critical")]
    neutral = feed(alerts, range(100, 130, 10), voltage_l1_v=D(266), voltage_l2_v=D(188))
    fired = [n for n in neutral if n.rule == "broken_neutral"]
    assert fired[0].figures["high_phases"] == "L1"
    assert (fired[0].figures["high_v"], fired[0].figures["low_v"]) == (D(266), D(188))
    assert fired[0].severity == "critical"


def test_a_reading_without_currents_leaves_overcurrent_as_it_is() -> None:
    alerts = engine(Rule("overcurrent", True, D(100), 0))
    feed(alerts, range(0, 10, 10), current_l1_a=D(30))
    assert feed(alerts, range(10, 600, 10), current_l1_a=None) == []
    assert [n.subject for n in alerts.active()] == ["L1"]


def test_ten_minute_means_outside_the_band() -> None:
    alerts = engine(Rule("voltage_band", True, None, 600))
    method = Method()
    rows = [
        (T0 + timedelta(seconds=s), D(194) if s < 600 else D(230), D(230), D(230))
        for s in range(0, 1200, 10)
    ]
    windows = analyse(rows, T0 + timedelta(minutes=20), method).windows
    (fired,) = alerts.observe(WindowClosed(windows[0]), windows[0].end)
    assert (fired.subject, fired.figures["mean_v"], fired.figures["wide"]) == (
        "L1",
        D("194.00"),
        True,
    )
    (cleared,) = alerts.observe(WindowClosed(windows[1]), windows[1].end)
    assert (cleared.event, cleared.figures["peak"]) == ("cleared", D("194.00"))


def test_decoder_errors_count_the_last_hour_and_survive_a_reader_restart() -> None:
    alerts = engine(Rule("decoder_errors", True, D(10), 0))
    assert alerts.observe(DecoderRejections(5), T0) == []
    (fired,) = alerts.observe(DecoderRejections(15), T0 + timedelta(minutes=30))
    assert fired.figures["count"] == 10
    (cleared,) = alerts.observe(DecoderRejections(16), T0 + timedelta(minutes=95))
    assert cleared.event == "cleared"
    assert alerts.observe(DecoderRejections(2), T0 + timedelta(minutes=100)) == []


def test_meter_replaced_and_register_reset_occur_once() -> None:
    alerts = engine(Rule("meter_changed"))
    feed(alerts, range(1))
    (replaced,) = feed(alerts, range(10, 11), meter_id="M2")
    assert (replaced.event, replaced.figures["before"], replaced.figures["after"]) == (
        "occurred",
        "M1",
        "M2",
    )
    (reset,) = feed(alerts, range(20, 21), meter_id="M2", energy_import_wh=5)
    assert (reset.figures["what"], reset.figures["before_wh"], reset.figures["after_wh"]) == (
        "register_reset",
        1000,
        5,
    )
    assert feed(alerts, range(30, 40, 10), meter_id="M2", energy_import_wh=6) == []


def test_a_new_monthly_peak_occurs_once_per_value_and_only_over_its_threshold() -> None:
    alerts = engine(Rule("monthly_peak", True, D(5000), 0))
    assert alerts.observe(MonthlyPeak("2026-01", 4000), T0) == []
    (peak,) = alerts.observe(MonthlyPeak("2026-01", 6000), T0)
    assert (peak.severity, peak.subject) == ("info", "2026-01")
    assert alerts.observe(MonthlyPeak("2026-01", 6000), T0 + timedelta(seconds=5)) == []


def test_disabled_rules_never_fire() -> None:
    alerts = engine(Rule("overcurrent", False, D(100), 0))
    assert feed(alerts, range(0, 100, 10), current_l1_a=D(40)) == []


# ------------------------------------------------------------------ the property test

step = st.tuples(st.booleans(), st.integers(1, 400))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(step, min_size=1, max_size=60),
    st.integers(0, 300),
    st.integers(0, 300),
    st.integers(60, 1200),
)
def test_the_state_machine_keeps_its_promises(
    steps: list[tuple[bool, int]], duration_s: int, clear_s: int, repeat_s: int
) -> None:
    alerts = engine(
        Rule("overcurrent", True, D(100), duration_s), repeat_s=repeat_s, clear_s=clear_s
    )
    moment = T0
    held_since: datetime | None = None
    false_since: datetime | None = None
    active: Notice | None = None
    last_sent: datetime | None = None
    for holds, gap in steps:
        moment += timedelta(seconds=gap)
        current = D(30) if holds else D(5)
        notices = alerts.observe(ReadingSeen(reading(current_l1_a=current), moment), moment)
        notices += alerts.tick(moment)
        if holds:
            held_since, false_since = held_since or moment, None
        else:
            held_since, false_since = None, false_since or moment
        for notice in notices:
            if notice.event == "fired":
                assert active is None, "one alert per rule and subject"
                assert held_since is not None
                assert moment - held_since >= timedelta(seconds=duration_s)
                active, last_sent = notice, moment
            elif notice.event == "repeated":
                assert active is not None
                assert notice.id == active.id
                assert last_sent is not None
                assert moment - last_sent >= timedelta(seconds=repeat_s)
                last_sent = moment
            else:
                assert notice.event == "cleared"
                assert active is not None
                assert notice.id == active.id
                assert false_since is not None
                assert moment - false_since >= timedelta(seconds=clear_s)
                active = None
        if (
            holds
            and held_since is not None
            and moment - held_since >= timedelta(seconds=duration_s)
        ):
            assert active is not None, "a condition held long enough has fired"
        if (
            not holds
            and false_since is not None
            and moment - false_since >= timedelta(seconds=clear_s)
        ):
            assert active is None, "a condition gone long enough has cleared"
    assert [n.id for n in alerts.active()] == ([active.id] if active else [])
