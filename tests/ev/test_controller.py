"""The controller: the law while the meter is fresh, the fail-safe while it is not, the log."""

from __future__ import annotations

from decimal import Decimal

from hanport.ev.charger import ChargerReport
from hanport.ev.controller import Controller, Event
from hanport.ev.limits_log import LimitRecord
from hanport.ev.model import ChargerSpec
from hanport.ev.policy import Guard, Policy
from hanport.ev.simulation import _reading
from hanport.grid import Site

from .helpers import D, at

CAR = ChargerReport("car", online=True, vehicle="charging", phases=3)


def controller(
    failsafe_a: Decimal = Decimal(0), **kwargs: object
) -> tuple[Controller, list[Event]]:
    events: list[Event] = []
    made = Controller(
        Site(),
        Policy(),
        Guard(),
        failsafe_a=failsafe_a,
        chargers=[ChargerSpec("car", max_a=D(16))],
        on_event=events.append,
        **kwargs,  # type: ignore[arg-type]
    )
    return made, events


def feed(made: Controller, seconds: float, house_a: float = 4.0) -> None:
    held = made.helds.get("car")
    limit = float(held.limit_a if held else made.failsafe_a)
    assert made.observe(_reading((house_a + limit,) * 3, at(seconds)))


def test_before_the_first_reading_the_fail_safe_is_kept() -> None:
    made, _ = controller(D(6))
    (decision,) = made.step(at(0), [CAR])
    assert (decision.limit_a, decision.reason.code, decision.changed) == (
        D(6),
        "no_reading_yet",
        False,
    )


def test_a_stopped_meter_brings_the_fail_safe_within_30_s_and_readings_bring_control_back() -> None:
    made, events = controller(D(0))
    for t in range(0, 200, 10):
        feed(made, t)
        made.step(at(t), [CAR])
    assert made.helds["car"].limit_a == 16
    last = 190
    fail_safe_at = None
    for t in range(last + 1, last + 60):
        (decision,) = made.step(at(t), [CAR])
        if decision.limit_a == 0:
            fail_safe_at = t
            break
    assert fail_safe_at is not None
    assert fail_safe_at - last <= 30
    assert decision.reason.code == "meter_stale"
    assert events == [("event.went_stale", {"failsafe_a": D(0), "age_s": 26})]
    assert made.log.latest(1)[0].reason.code == "meter_stale"
    feed(made, fail_safe_at + 5)
    (decision,) = made.step(at(fail_safe_at + 5), [CAR])
    assert events[-1][0] == "event.recovered"
    assert decision.reason.code in ("raising", "charger_max")


def test_the_fail_safe_only_lowers_limits() -> None:
    made, _ = controller(D(6))
    feed(made, 0, house_a=22)  # room 2 A: paused
    (decision,) = made.step(at(0), [CAR])
    assert decision.limit_a == 0
    (decision,) = made.step(at(40), [CAR])  # stale now; 6 A would be a blind raise
    assert (decision.limit_a, decision.reason.code) == (D(0), "meter_stale")


def test_a_charger_that_is_not_listed_gets_the_site_defaults() -> None:
    made, _ = controller(default=lambda cid: ChargerSpec(cid, max_a=D(10)))
    assert made.spec("car").max_a == 16
    assert made.spec("garage").max_a == 10
    feed(made, 0)
    stranger = ChargerReport("garage", online=True, vehicle="charging")
    decisions = made.step(at(0), [stranger])
    assert decisions[0].charger_id == "garage"


def test_every_change_is_logged_with_its_reason_and_offline_chargers_get_nothing() -> None:
    made, _ = controller()
    heard: list[LimitRecord] = []
    made.log.listen(heard.append)
    feed(made, 0)
    made.step(at(0), [CAR])
    made.step(at(1), [CAR])  # nothing changed: nothing logged
    assert [(r.charger_id, r.limit_a, r.reason.code) for r in heard] == [("car", D(8), "raising")]
    assert heard[0].as_dict("et")["reason"] == {
        "code": "raising",
        "params": {"target_a": "16", "next_s": "30"},
        "text": "Tõstab järk-järgult 16 A poole (järgmine samm 30 s pärast).",
    }
    assert made.step(at(2), [ChargerReport("car", online=False)]) == ()
