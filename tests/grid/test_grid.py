"""The grid arithmetic: signed phase currents, headroom, fuse and voltage verdicts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanport.grid import (
    PhaseLoad,
    Site,
    fuse_verdict,
    headroom_a,
    phase_loads,
    signed_current_a,
    voltage_verdict,
)
from hanport.model import Reading

D = Decimal


def test_capacity_of_the_usual_estonian_house() -> None:
    assert Site().capacity_w == D(17250)
    assert Site(fuse_a=D(16), phases=1).capacity_w == D(3680)


@pytest.mark.parametrize(("fuse", "phases"), [(D(0), 3), (D(25), 2)])
def test_a_site_that_cannot_exist_is_refused(fuse: Decimal, phases: int) -> None:
    with pytest.raises(ValueError, match=r"phases|positive"):
        Site(fuse_a=fuse, phases=phases)


def test_current_takes_its_sign_from_the_phase_power() -> None:
    assert signed_current_a(D("5.2"), 1200, 0) == D("5.2")
    assert signed_current_a(D("5.2"), 0, 1200) == D("-5.2")
    assert signed_current_a(D("5.2"), None, None) == D("5.2")
    assert signed_current_a(None, 0, 1200) is None


def test_phase_loads_of_a_reading() -> None:
    reading = Reading(
        power_import_l1_w=2300,
        power_export_l2_w=1150,
        power_import_l2_w=0,
        current_l1_a=D("10.0"),
        current_l2_a=D("5.0"),
        current_l3_a=D("0.4"),
        voltage_l1_v=D("229.9"),
    )
    l1, l2, l3 = phase_loads(reading)
    assert l1 == PhaseLoad(1, D("10.0"), D("229.9"), D(2300))
    assert l2 == PhaseLoad(2, D("-5.0"), None, D(-1150))
    assert l3 == PhaseLoad(3, D("0.4"), None, None)


def test_headroom_does_not_count_the_controlled_load_against_itself() -> None:
    loads = [PhaseLoad(1, D(23), None, None), PhaseLoad(2, D(-5), None, None)]
    loads.append(PhaseLoad(3, None, None, None))
    room = headroom_a(Site(), loads, D(1), (D(16), D(0), D(0)))
    assert room == (D(17), D(29), None)  # 25 − 1 − (23 − 16); export adds room; no reading


def test_a_single_phase_site_has_one_headroom() -> None:
    loads = phase_loads(Reading(current_l1_a=D(10), current_l2_a=D(3)))
    assert headroom_a(Site(phases=1), loads) == (D(14),)


@pytest.mark.parametrize(
    ("current", "verdict"),
    [(None, "ok"), (D("19.9"), "ok"), (D(20), "near"), (D("-24.9"), "near"), (D(25), "over")],
)
def test_fuse_verdict(current: Decimal | None, verdict: str) -> None:
    assert fuse_verdict(Site(), current) == verdict


@pytest.mark.parametrize(
    ("voltage", "verdict"),
    [
        (D(230), "ok"),
        (D(207), "ok"),
        (D(253), "ok"),
        (D("253.1"), "high"),
        (D("206.9"), "low"),
        (D("195.5"), "low"),
        (D("195.4"), "very_low"),
        (None, "ok"),
    ],
)
def test_voltage_verdict(voltage: Decimal | None, verdict: str) -> None:
    assert voltage_verdict(voltage) == verdict
