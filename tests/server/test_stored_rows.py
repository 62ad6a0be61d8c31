"""The exactly-once check of the PostgreSQL server tests (`StoredRows.problems`) finds what it
is there to find."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hanport_server import StoredRows

T = [datetime(2026, 1, 10, tzinfo=UTC) + timedelta(seconds=10 * i) for i in range(3)]


def test_each_reading_once_is_no_problem_and_a_repeat_in_pending_is_a_replacement() -> None:
    rows = StoredRows()
    rows.sealed.update(T[:2])
    rows.pending.update([T[2], T[2], T[1]])
    assert rows.problems(T) == []


def test_a_missing_reading_a_reading_twice_in_a_block_and_two_readings_are_problems() -> None:
    rows = StoredRows()
    rows.sealed.update([T[0], T[0]])
    rows.differing.add(T[0])
    rows.miscounted = 1
    found = rows.problems(T)
    assert found[0] == "2 meter times missing, 0 not sent"
    assert len(found) == 4
