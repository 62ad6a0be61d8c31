"""The price sink against a fake Elering and a real SQLite store: the first start backfills the
stored history, tomorrow's prices come after the publication, a provider that is down is one
sentence in the log and the stored prices stay."""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from webapp import simulated

from costs.fake_servers import FakeState, fake_server, quarter_hours
from hanport.costs.fetch import Retry
from hanport.costs.plugin import PRICES, TARIFF, sinks
from hanport.costs.price_store import stored_prices
from hanport.costs.settings import PricesSettings
from hanport.costs.sink import PriceBook, PriceSink
from hanport.plugins import SECTIONS, load_settings
from hanport.store import Store, open_store

TALLINN = ZoneInfo("Europe/Tallinn")
HISTORY = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)


async def _no_wait(_: float) -> None:
    return None


def _store(path: Path) -> Store:
    store = open_store(str(path), TALLINN)
    store.write(simulated(360, start=HISTORY))  # an hour of readings on 10 Jan
    return store


def _sink(path: Path, url: str, now: datetime) -> PriceSink:
    return PriceSink(
        str(path),
        PricesSettings("elering", url),
        retry=Retry(attempts=2, first_delay_s=0),
        now=lambda: now,
        sleep=_no_wait,
    )


def test_first_start_backfills_history_then_tomorrow_after_publication(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    store = _store(path)
    start = datetime(2026, 1, 9, tzinfo=TALLINN).astimezone(UTC)
    state = FakeState(quarter_hours(start, start + timedelta(days=10), -3))
    morning = datetime(2026, 1, 12, 10, tzinfo=TALLINN)
    afternoon = datetime(2026, 1, 12, 15, tzinfo=TALLINN)
    with fake_server(state) as url:
        sink = _sink(path, url, morning)
        first = asyncio.run(sink.cycle(store, store))
        again = asyncio.run(sink.cycle(store, store))
        sink.now = lambda: afternoon
        tomorrow = asyncio.run(sink.cycle(store, store))
    # from the oldest reading's quarter (06:00 UTC on 10 Jan) to 01:00 Tallinn on 13 Jan
    until_tomorrow = datetime(2026, 1, 13, 1, tzinfo=TALLINN)
    assert first == (until_tomorrow - HISTORY) // timedelta(minutes=15)
    assert again == 0  # nothing published is missing
    assert tomorrow == 96  # 13 Jan 01:00 → 14 Jan 01:00 Tallinn
    kept = stored_prices(store, start, start + timedelta(days=10))
    assert kept[0].start == HISTORY
    assert kept[-1].end == datetime(2026, 1, 14, 1, tzinfo=TALLINN)
    assert {slot.eur_mwh for slot in kept} == {-3}
    assert sink.book.generation == 2
    store.close()


def test_a_provider_down_is_one_sentence_and_the_prices_stay(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "hanport.db"
    store = _store(path)
    start = datetime(2026, 1, 9, tzinfo=TALLINN).astimezone(UTC)
    now = datetime(2026, 1, 10, 15, tzinfo=TALLINN)
    with fake_server(FakeState(quarter_hours(start, start + timedelta(days=3), 50))) as url:
        assert asyncio.run(_sink(path, url, now).cycle(store, store)) > 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}"
    later = now + timedelta(days=1)
    with caplog.at_level(logging.WARNING, "hanport.costs.sink"):
        sink = _sink(path, down, later)
        assert asyncio.run(sink.cycle(store, store)) == 0
    assert [record.getMessage().count(".") >= 1 for record in caplog.records] == [True]
    assert "keeps using the prices it has" in caplog.records[0].getMessage()
    assert sink.book.last_error == caplog.records[0].getMessage()
    assert len(stored_prices(store, start, later)) > 100
    store.close()


def test_the_sink_runs_beside_hanport_and_offers_its_book(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    store = _store(path)
    state = FakeState(quarter_hours(HISTORY - timedelta(days=2), HISTORY + timedelta(days=3), 7))

    class View:
        offered: object = None
        settings = None
        reader = None
        latest = None

        def __init__(self) -> None:
            self.store = store

        def offer(self, state: object) -> None:
            self.offered = state

        def find(self, kind: type) -> None:
            return None

    class Readings:
        def __aiter__(self) -> Readings:
            return self

        async def __anext__(self) -> None:
            for _ in range(200):
                if len(state.requests) and view.offered.generation:  # type: ignore[attr-defined]
                    break
                await asyncio.sleep(0.02)
            raise StopAsyncIteration

    view = View()
    with fake_server(state) as url:
        sink = _sink(path, url, datetime(2026, 1, 11, 10, tzinfo=TALLINN))
        asyncio.run(sink.run(Readings(), view))  # type: ignore[arg-type]
    assert isinstance(view.offered, PriceBook)
    assert view.offered.generation == 1
    store.close()


def test_sections_and_the_sink_from_settings(tmp_path: Path) -> None:
    assert PRICES in SECTIONS
    assert TARIFF in SECTIONS
    settings = load_settings(
        None,
        {
            "HANPORT_SOURCE": "tcp://127.0.0.1:9",
            "HANPORT_PRICES_URL": "http://127.0.0.1:1/",
            "HANPORT_TARIFF_NETWORK": "elektrilevi-vork4",
            "HANPORT_SITE_FUSE_A": "32",
        },
    )
    assert settings.get(PRICES).url == "http://127.0.0.1:1"
    assert settings.get(TARIFF).network == "elektrilevi-vork4"
    assert settings.get(TARIFF).fuse_a == 32
    (built,) = sinks(settings, str(tmp_path / "x.db"))
    assert isinstance(built, PriceSink)
    assert "127.0.0.1:1" in built.announcement("en")
    assert built.announcement("et").startswith("Järgmise päeva hinnad")
    off = load_settings(
        None, {"HANPORT_SOURCE": "tcp://127.0.0.1:9", "HANPORT_PRICES_SOURCE": "none"}
    )
    assert sinks(off, "x.db") == []
    assert sinks(load_settings(None, {}), "x.db") == []  # the simulator: no fetching
