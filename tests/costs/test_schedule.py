"""What to fetch when: publication at ~14:00 Tallinn, history backfill, holes, offline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.costs.schedule import (
    FetchRange,
    due_fetches,
    next_publication,
    prices_known_until,
)
from hanport.costs.slots import PriceSlot

TALLINN = ZoneInfo("Europe/Tallinn")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TALLINN)  # type: ignore[arg-type, misc]


def quarters(start: datetime, end: datetime) -> list[PriceSlot]:
    slots = []
    while start < end:
        slots.append(PriceSlot(start, start + timedelta(minutes=15), Decimal(1)))
        start += timedelta(minutes=15)
    return slots


def test_known_until_follows_the_publication() -> None:
    # a winter Tuesday: before 14:00 prices reach 01:00 Tallinn tomorrow, after it the day after
    assert prices_known_until(local(2026, 1, 13, 13, 59)) == local(2026, 1, 14, 1)
    assert prices_known_until(local(2026, 1, 13, 14, 0)) == local(2026, 1, 15, 1)
    # between 00:00 and 01:00 Tallinn it is still yesterday on the CET clock
    assert prices_known_until(local(2026, 1, 14, 0, 30)) == local(2026, 1, 15, 1)
    assert next_publication(local(2026, 1, 13, 9)) == local(2026, 1, 13, 14)
    assert next_publication(local(2026, 1, 13, 15)) == local(2026, 1, 14, 14)


def test_before_publication_nothing_of_tomorrow_is_asked() -> None:
    now = local(2026, 1, 13, 10)
    known = quarters(local(2026, 1, 13, 0), local(2026, 1, 14, 1))
    assert due_fetches(now, known, local(2026, 1, 13, 0), local(2026, 1, 16, 0)) == []


def test_after_publication_tomorrow_is_due() -> None:
    now = local(2026, 1, 13, 14, 5)
    known = quarters(local(2026, 1, 13, 0), local(2026, 1, 14, 1))
    assert due_fetches(now, known, local(2026, 1, 13, 0), local(2026, 1, 16, 0)) == [
        FetchRange(local(2026, 1, 14, 1).astimezone(UTC), local(2026, 1, 15, 1), ahead=True)
    ]


def test_first_start_backfills_the_stored_history_and_holes() -> None:
    now = local(2026, 3, 10, 9)
    known = quarters(local(2026, 2, 1, 0), local(2026, 2, 2, 0)) + quarters(
        local(2026, 3, 1, 0), local(2026, 3, 11, 1)
    )
    due = due_fetches(now, known, local(2026, 1, 1, 0), local(2026, 3, 12, 0))
    assert due == [
        FetchRange(local(2026, 1, 1, 0), local(2026, 2, 1, 0), ahead=False),
        FetchRange(local(2026, 2, 2, 0), local(2026, 3, 1, 0), ahead=False),
    ]


def test_a_dst_day_is_asked_whole() -> None:
    now = local(2026, 10, 25, 15)
    due = due_fetches(now, [], local(2026, 10, 25, 0), local(2026, 10, 26, 0))
    assert len(due) == 1
    assert due[0].end - due[0].start == timedelta(hours=25)
    assert due[0].ahead is True


def test_all_known_means_offline_works_without_asking() -> None:
    now = local(2026, 6, 1, 20)
    known = quarters(local(2026, 5, 1, 0), local(2026, 6, 3, 1))
    assert due_fetches(now, known, local(2026, 5, 1, 0), local(2026, 6, 10, 0)) == []
