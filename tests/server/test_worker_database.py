"""A worker whose database fails says so once, keeps the readings unacknowledged, and writes
them when the database is back (opened again)."""

from __future__ import annotations

import logging

import pytest
from upstream_gateway import meter_readings

from hanport.model import Reading
from hanport.server.worker import _Database


class _Flaky:
    def __init__(self, fails: list[bool]) -> None:
        self.fails = fails
        self.written: list[Reading] = []

    def write(self, readings: list[Reading]) -> None:
        if self.fails.pop(0):
            raise OSError("connection refused")
        self.written += readings

    def close(self) -> None:
        pass


def test_a_failing_database_is_said_once_and_opened_again(caplog: pytest.LogCaptureFixture) -> None:
    store = _Flaky([True, True, False])
    opened: list[int] = []

    def opener() -> _Flaky:
        opened.append(1)
        return store

    database = _Database(opener)  # type: ignore[arg-type]
    batch = meter_readings(3)
    with caplog.at_level(logging.INFO, "hanport.server.worker"):
        assert database.write(batch) is False
        assert database.write(batch) is False
        assert database.write(batch) is True
    assert store.written == batch
    assert len(opened) == 3
    said = [r.getMessage() for r in caplog.records]
    assert sum("connection refused" in line for line in said) == 1
    assert any("again" in line for line in said)


def test_the_outage_sentence_holds_the_driver_s_words_not_the_store_s_sentence(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from hanport.store.postgres.connection import StoreUnavailable

    def opener() -> _Flaky:
        raise StoreUnavailable(
            "store.postgresql_unreachable", url="postgresql://db/h", error="connection refused"
        )

    database = _Database(opener)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, "hanport.server.worker"):
        assert database.write(meter_readings(1)) is False
    (said,) = [r.getMessage() for r in caplog.records]
    assert said.startswith("The database refused the readings (connection refused); they stay")
    assert "PostgreSQL" not in said
