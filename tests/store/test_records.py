"""Subsystem records (`RecordStore`, in both stores): exact round trips of every type the rule
allows, upserts on (kind, meter, time, key), range reads, deletes, refusals in one sentence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hanport.store import Record, RecordStore, StoreError, jsondata, open_store
from store.postgres_db import postgres_database_fixture, postgres_url_fixture  # noqa: F401

TALLINN = ZoneInfo("Europe/Tallinn")
T0 = datetime(2026, 1, 14, 12, tzinfo=UTC)
Q = timedelta(minutes=15)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RecordStore]:
    if request.param == "sqlite":
        url = str(tmp_path / "hanport.db")
    else:
        url = request.getfixturevalue("postgres_url")
    opened = open_store(url, TALLINN)
    assert isinstance(opened, RecordStore)
    yield opened
    opened.close()


def types(value: object) -> object:
    """The value with the type of every part beside it: equal values can differ in type."""
    if isinstance(value, dict):
        return {key: types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [types(item) for item in value]
    return (type(value).__name__, str(value))


def test_every_type_comes_back_as_it_went_in(store: RecordStore) -> None:
    data: dict[str, Any] = {
        "price_eur_mwh": Decimal("87.430"),
        "whole": Decimal("5"),
        "big": Decimal("1E+3"),
        "tiny": Decimal("-0.000001"),
        "import_wh": 1234,
        "negative": -7,
        "huge": 10**30,
        "at": datetime(2026, 3, 29, 4, 30, tzinfo=TALLINN),  # summer time, since 04:00
        "fixed": datetime(2026, 1, 1, 12, 0, 0, 250, tzinfo=timezone(timedelta(hours=-3))),
        "name": "Võrk 5 öö",
        "looks_like_a_time": "2026-01-01T00:00:00+02:00",
        "empty": "",
        "gap": False,
        "none": None,
        "list": [1, Decimal("2.50"), "three", [datetime(2026, 1, 1, tzinfo=UTC)], {"a": 1}],
        "nested": {"$t": "not a time", "$$": Decimal("0.1"), "deeper": {"x": [None, True]}},
    }
    record = Record("ledger", "38ZEE-1", T0, "", data)
    store.put_records("ledger", [record])
    (back,) = store.records("ledger", T0, T0 + Q)
    assert back == record
    assert types(dict(back.data)) == types(data)
    moment = back.data["at"]
    assert isinstance(moment, datetime)
    assert moment == data["at"]
    assert moment.utcoffset() == timedelta(hours=3)  # its offset kept
    assert back.time == T0


@settings(max_examples=80, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.text()
        | st.decimals(allow_nan=False, allow_infinity=False)
        | st.datetimes(timezones=st.just(UTC)),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=5), children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_allowed_value_round_trips_exactly(value: object) -> None:
    back = jsondata.loads(jsondata.dumps({"v": value}))["v"]
    assert back == value or (value != value)  # noqa: PLR0124 - Decimal('sNaN') is excluded
    assert types(back) == types(value)


def test_upserts_ranges_meters_keys_and_deletes(store: RecordStore) -> None:
    rows = [
        Record("prices", meter, T0 + Q * index, key, {"n": index})
        for index in range(8)
        for meter in ("", "A")
        for key in ("day", "night")
    ]
    store.put_records("prices", rows)
    store.put_records("prices", [Record("prices", "A", T0, "day", {"n": 99})])  # replaces
    store.put_records("other", [Record("other", "A", T0, "", {"n": -1})])
    hour = store.records("prices", T0, T0 + 4 * Q)
    assert len(hour) == 4 * 2 * 2
    assert [(r.time, r.meter, r.key) for r in hour] == sorted(
        (r.time, r.meter, r.key) for r in hour
    )
    first = store.records("prices", T0, T0 + Q, meter="A", key="day")
    assert [r.data for r in first] == [{"n": 99}]
    assert len(store.records("prices", T0, T0 + 8 * Q, meter="")) == 16
    assert store.records("prices", T0 - Q, T0) == []
    assert store.delete_records("prices", T0 + 2 * Q) == 2 * 2 * 2
    assert len(store.records("prices", T0, T0 + 8 * Q)) == 24
    assert [r.data for r in store.records("other", T0, T0 + Q)] == [{"n": -1}]  # untouched


def test_records_are_read_in_any_zone_and_written_in_one_transaction(store: RecordStore) -> None:
    local = T0.astimezone(TALLINN)
    store.put_records("alerts", [Record("alerts", "", local, "", {"ok": True})])
    assert [r.time for r in store.records("alerts", local, local + Q)] == [T0]
    bad = [
        Record("alerts", "", T0 + Q, "", {"fine": 1}),
        Record("alerts", "", T0 + 2 * Q, "", {"float": 0.1}),
    ]
    with pytest.raises(
        StoreError,
        match=r"A record of kind alerts cannot be stored exactly: 0\.1 is a binary float",
    ):
        store.put_records("alerts", bad)
    assert len(store.records("alerts", T0, T0 + 4 * Q)) == 1  # nothing of the failed batch


class Level(IntEnum):
    LOW = 1


class Colour(StrEnum):
    RED = "red"


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (
            Record("quality", "", T0, "", {"v": 230.1}),
            "230.1 is a binary float: give a Decimal or an int",
        ),
        (Record("quality", "", T0, "", {"v": Decimal("NaN")}), "is not a number"),
        (Record("quality", "", T0, "", {"v": b"\x00"}), "a bytes value"),
        (Record("quality", "", T0, "", {1: "x"}), "a key must be a text"),  # type: ignore[dict-item]
        (Record("quality", "", T0, "", {"t": datetime(2026, 1, 1)}), "needs its offset"),
        (Record("quality", "", datetime(2026, 1, 1), "", {}), "has no offset"),
        (Record("ledger", "", T0, "", {}), "A record of kind 'ledger' was given"),
    ],
)
def test_what_cannot_be_stored_exactly_is_refused_in_one_sentence(
    store: RecordStore, record: Record, words: str
) -> None:
    with pytest.raises(StoreError, match=words):
        store.put_records("quality", [record])


def test_enums_are_stored_as_their_values(store: RecordStore) -> None:
    store.put_records("ev", [Record("ev", "", T0, "", {"level": Level.LOW, "c": Colour.RED})])
    (back,) = store.records("ev", T0, T0 + Q)
    assert types(dict(back.data)) == {"level": ("int", "1"), "c": ("str", "red")}
