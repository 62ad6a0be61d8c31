"""Slots for the cheapest mode: daily windows and the cheapest priced slots."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hanport.ev.policy import Slot
from hanport.ev.settings import ev_settings
from hanport.ev.slots import PricedSlot, cheapest_slots, next_departure, parse_window, window_slots
from hanport.settings.values import ConfigError

TALLINN = ZoneInfo("Europe/Tallinn")


def local(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TALLINN)


def test_a_night_window_runs_past_midnight_and_is_clipped() -> None:
    slots = window_slots([parse_window("22:00-07:00")], local(15, 23), local(16, 6, 30), TALLINN)
    assert slots == (Slot(local(15, 23), local(16, 6, 30)),)


def test_windows_over_two_days_in_order() -> None:
    windows = [parse_window("22:00-07:00"), parse_window("12:00–14:00")]
    slots = window_slots(windows, local(15, 13), local(17, 8), TALLINN)
    assert [s.start.hour for s in slots] == [13, 22, 12, 22]
    assert slots[0] == Slot(local(15, 13), local(15, 14))


def test_the_dst_night_is_an_hour_shorter() -> None:
    (slot,) = window_slots(
        [parse_window("22:00-07:00")], local(28, 21, month=3), local(29, 8, month=3), TALLINN
    )
    assert slot.end.astimezone(UTC) - slot.start.astimezone(UTC) == timedelta(hours=8)  # EET→EEST


def test_a_bad_window_says_what_works() -> None:
    with pytest.raises(ValueError, match="night") as caught:
        parse_window("night")
    assert caught.value.args == ("night",)  # the settings' sentence names it
    with pytest.raises(ConfigError, match="'night' is not a window like 22:00-07:00"):
        ev_settings({"windows": ("night", "ev.windows in hanport.toml")})


def test_the_cheapest_slots_cover_the_need_before_departure() -> None:
    start = local(15, 18)
    prices = [
        PricedSlot(start + timedelta(hours=h), start + timedelta(hours=h + 1), Decimal(p))
        for h, p in enumerate(["0.30", "0.12", "0.05", "0.05", "0.20"])
    ]
    chosen = cheapest_slots(prices, 2.5 * 3600, start, start + timedelta(hours=4, minutes=30))
    assert chosen == (
        Slot(start + timedelta(hours=1), start + timedelta(hours=2)),  # 0.12
        Slot(start + timedelta(hours=2), start + timedelta(hours=3)),  # 0.05
        Slot(start + timedelta(hours=3), start + timedelta(hours=4)),  # 0.05
    )


def test_the_next_departure_is_today_or_tomorrow() -> None:
    assert next_departure(time(7), local(15, 6), TALLINN) == local(15, 7)
    assert next_departure(time(7), local(15, 7), TALLINN) == local(16, 7)
