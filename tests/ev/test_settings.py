"""`[ev]` and `[[ev.chargers]]`: defaults, values, and one sentence per problem."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hanport.ev.policy import Cheapest, Fixed, Guard, Surplus
from hanport.ev.settings import EV_KEYS, ev_settings, mode_of
from hanport.settings.values import ConfigError, Raw

D = Decimal
TALLINN = ZoneInfo("Europe/Tallinn")


def parsed(text: str) -> Raw:
    table = tomllib.loads(text).get("ev", {})
    return {name: (value, f"ev.{name} in hanport.toml") for name, value in table.items()}


def test_the_defaults_are_off_guard_25_s_and_pause() -> None:
    settings = ev_settings({})
    assert settings.ocpp_host is None
    assert (settings.mode, settings.margin_a, settings.stale_s) == ("guard", D(1), 25.0)
    assert (settings.failsafe_a, settings.min_a, settings.max_a) == (D(0), D(6), D(16))
    assert settings.chargers == ()
    assert set(EV_KEYS) >= {"ocpp_listen", "margin_a", "stale_s", "failsafe_a", "min_a", "max_a"}


def test_a_full_section_with_three_kinds_of_charger() -> None:
    settings = ev_settings(
        parsed(
            """
            [ev]
            ocpp_listen = "0.0.0.0:9000"
            mode = "surplus"
            failsafe_a = 6
            margin_a = 1.5
            [[ev.chargers]]
            id = "garage"
            password = "s3cret"
            max_a = 32
            phases = 3
            wiring = "L2 L3 L1"
            switch_phases = true
            [[ev.chargers]]
            id = "drive"
            kind = "go-e"
            address = "192.168.1.40"
            phases = 1
            wiring = "L3"
            [[ev.chargers]]
            id = "evse"
            kind = "mqtt"
            topic = "/smartevse/set/"
            priority = 2
            """
        )
    )
    assert (settings.ocpp_host, settings.ocpp_port, settings.mode) == ("0.0.0.0", 9000, "surplus")
    assert (settings.failsafe_a, settings.margin_a) == (D(6), D("1.5"))
    garage, drive, evse = settings.chargers
    assert (garage.password, garage.max_a, garage.wiring, garage.switch_phases) == (
        "s3cret",
        D(32),
        (2, 3, 1),
        True,
    )
    assert "s3cret" not in repr(garage)
    assert (drive.kind, drive.address, drive.wiring) == ("go-e", "192.168.1.40", (3,))
    assert drive.spec().step_a == 1
    assert evse.topic == "smartevse/set"
    specs = settings.specs()
    assert [s.priority for s in specs] == [0, 1, 2002]
    assert settings.default_spec("stranger").max_a == 16


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('ocpp_listen = "9000"', "must look like 127.0.0.1:9000"),
        ('mode = "turbo"', "must be one of guard, surplus, cheapest, fixed, not 'turbo'"),
        ("failsafe_a = 3", "must be 0 (pause) or at least the minimum current (6 A)"),
        ("min_a = 5", "minimum current from ev.min_a in hanport.toml must be a number from 6"),
        ('stale_s = "soon"', "stale_s from ev.stale_s in hanport.toml must be a number"),
        ('windows = ["evening"]', "'evening' is not a window like 22:00-07:00"),
        ('departure = "7 am"', "must be a time of day like 07:00"),
        ('ocpp_cert_file = "/nonexistent.pem"', "does not exist; fix the path"),
    ],
)
def test_each_problem_is_one_sentence_naming_the_setting(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ev_settings(parsed(f"[ev]\n{text}\n"))
    assert message in str(caught.value)
    assert str(caught.value).count(". ") == 0 or "127.0.0.1" in str(caught.value)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('id = "a/b"', "must be 1 to 48 characters without spaces"),
        ('id = "a"\nkind = "tesla"', "kind of charger from kind in [[ev.chargers]] number 1 must"),
        ('id = "a"\nkind = "go-e"', "needs its address"),
        ('id = "a"\nphases = 2', "phases in [[ev.chargers]] number 1 must be 1 or 3"),
        ('id = "a"\nphases = 1\nwiring = "L1 L2"', "must name 1 phase, such as 'L2'"),
        ('id = "a"\nmax_a = 4', "maximum current from max_a in [[ev.chargers]] number 1"),
        ('id = "a"\nspeed = 3', "Unknown setting speed in [[ev.chargers]] number 1"),
        ('id = "a"\nkind = "mqtt"\npassword = "x"', "password in [[ev.chargers]] number 1 is for"),
        ('id = "a"\nswitch_phases = "yes"', "switch_phases in [[ev.chargers]] number 1 must be"),
    ],
)
def test_each_charger_problem_names_its_table(table: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ev_settings(parsed(f"[[ev.chargers]]\n{table}\n"))
    assert message in str(caught.value)


def test_two_chargers_with_one_id_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"Two \[\[ev.chargers\]\] have the id .a."):
        ev_settings(parsed('[[ev.chargers]]\nid = "a"\n[[ev.chargers]]\nid = "a"\n'))


def test_environment_values_are_text_and_work_too() -> None:
    raw: Raw = {
        "ocpp_listen": ("127.0.0.1:9100", "the environment variable HANPORT_EV_OCPP_LISTEN"),
        "windows": ("22:00-07:00,13:00-15:00", "the environment variable HANPORT_EV_WINDOWS"),
        "margin_a": ("2", "the environment variable HANPORT_EV_MARGIN_A"),
    }
    settings = ev_settings(raw)
    assert (settings.ocpp_host, settings.ocpp_port, settings.margin_a) == ("127.0.0.1", 9100, D(2))
    assert len(settings.windows) == 2


def test_the_modes_the_settings_make() -> None:
    settings = ev_settings(parsed('[ev]\nfixed_a = 12\nwindows = ["23:00-06:00"]\n'))
    now = datetime(2026, 1, 15, 20, 0, tzinfo=UTC)  # 22:00 in Tallinn
    assert mode_of(settings, TALLINN)(now) == Guard()
    assert mode_of(settings, TALLINN, "fixed")(now) == Fixed(D(12))
    assert mode_of(settings, TALLINN, "surplus")(now) == Surplus(D(0))
    cheapest = mode_of(settings, TALLINN, "cheapest")(now)
    assert isinstance(cheapest, Cheapest)
    assert cheapest.departure == datetime(2026, 1, 16, 7, 0, tzinfo=TALLINN)
    (slot,) = cheapest.slots
    assert (slot.start, slot.end) == (
        datetime(2026, 1, 15, 23, 0, tzinfo=TALLINN),
        datetime(2026, 1, 16, 6, 0, tzinfo=TALLINN),
    )
