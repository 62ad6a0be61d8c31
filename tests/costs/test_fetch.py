"""Fetching from local fake Elering and ENTSO-E servers: shapes, splits, retries, failures."""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

import httpx
import pytest

from costs.fake_servers import FakeState, fake_server, hours, quarter_hours
from hanport.costs.errors import PriceFetchError
from hanport.costs.fetch import Retry, fetch_elering, fetch_entsoe, fetch_prices, request_ranges
from hanport.costs.settings import PricesSettings

T = TypeVar("T")
SPRING = (datetime(2026, 3, 28, 22, tzinfo=UTC), datetime(2026, 3, 29, 21, tzinfo=UTC))
AUTUMN = (datetime(2026, 10, 24, 21, tzinfo=UTC), datetime(2026, 10, 25, 22, tzinfo=UTC))
QUICK = Retry(attempts=3, first_delay_s=0.5, factor=2.0)


def run(call: Callable[[httpx.AsyncClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with httpx.AsyncClient(timeout=5.0) as client:
            return await call(client)

    return asyncio.run(main())


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def test_elering_dst_days_hourly_history_and_negative_prices() -> None:
    old_day = (datetime(2025, 9, 28, 21, tzinfo=UTC), datetime(2025, 9, 29, 21, tzinfo=UTC))
    history = hours(*old_day, lambda moment: -1.5 if moment.hour == 3 else 44)
    state = FakeState({**quarter_hours(*SPRING, 12.5), **quarter_hours(*AUTUMN, 7), **history})
    with fake_server(state) as url:
        spring = run(lambda client: fetch_elering(client, *SPRING, url=url))
        autumn = run(lambda client: fetch_elering(client, *AUTUMN, url=url))
        old = run(lambda client: fetch_elering(client, *old_day, url=url))
    assert len(spring) == 92
    assert len(autumn) == 100
    assert len(old) == 24
    assert {slot.end - slot.start for slot in old} == {timedelta(hours=1)}
    assert min(slot.eur_mwh for slot in old) == Decimal("-1.5")
    # Elering's end is inclusive: the request ends a millisecond before the range's end
    assert state.requests[0]["end"] == "2026-03-29T20:59:59.999Z"
    assert state.requests[0]["start"] == "2026-03-28T22:00:00.000Z"


def test_long_ranges_are_split_into_years() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    pieces = request_ranges(start, start + timedelta(days=800))
    assert len(pieces) == 3
    assert all(end - begin <= timedelta(days=365) for begin, end in pieces)
    assert pieces[0][0] == start
    assert pieces[-1][1] == start + timedelta(days=800)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    state = FakeState(hours(start, start + timedelta(days=800), 3))
    with fake_server(state) as url:
        slots = run(
            lambda client: fetch_elering(client, start, start + timedelta(days=800), url=url)
        )
    assert len(state.requests) == 3  # the fake refuses more than a year, like Elering
    assert len(slots) == 800 * 24


def test_retries_with_growing_pauses_then_succeeds() -> None:
    state = FakeState(quarter_hours(*AUTUMN, 1), fail_first=2)
    sleeps = Sleeps()
    with fake_server(state) as url:
        slots = run(
            lambda client: fetch_elering(client, *AUTUMN, url=url, retry=QUICK, sleep=sleeps)
        )
    assert len(slots) == 100
    assert sleeps.delays == [0.5, 1.0]
    assert len(state.requests) == 3


def test_server_down_gives_one_sentence_after_every_try() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    with pytest.raises(PriceFetchError) as caught:
        run(
            lambda client: fetch_elering(
                client, *AUTUMN, url=f"http://127.0.0.1:{port}", retry=QUICK, sleep=sleeps
            )
        )
    message = str(caught.value)
    assert "could not be reached after 3 tries" in message
    assert "keeps using the prices it has" in message
    assert "\n" not in message
    assert "kasutab olemasolevaid hindu" in caught.value.text("et")
    assert sleeps.delays == [0.5, 1.0]


def test_server_errors_are_retried_but_refusals_are_not() -> None:
    busy = FakeState(status=503)
    with fake_server(busy) as url, pytest.raises(PriceFetchError, match="HTTP 503"):
        run(lambda client: fetch_elering(client, *AUTUMN, url=url, retry=QUICK, sleep=Sleeps()))
    assert len(busy.requests) == 3
    refused = FakeState(status=400)
    with fake_server(refused) as url, pytest.raises(PriceFetchError, match=r"HTTP 400.*nope"):
        run(lambda client: fetch_elering(client, *AUTUMN, url=url, retry=QUICK, sleep=Sleeps()))
    assert len(refused.requests) == 1


def test_entsoe_fills_a03_curves_and_names_a_refused_token() -> None:
    prices = quarter_hours(*AUTUMN, lambda moment: 30 if moment.hour < 12 else 31)
    state = FakeState(prices)
    with fake_server(state) as api:
        slots = run(lambda client: fetch_entsoe(client, *AUTUMN, "good-token", url=f"{api}/api"))
        empty = run(
            lambda client: fetch_entsoe(
                client, AUTUMN[1], AUTUMN[1] + timedelta(days=1), "good-token", url=f"{api}/api"
            )
        )
        with pytest.raises(PriceFetchError) as caught:
            run(lambda client: fetch_entsoe(client, *AUTUMN, "bad", url=f"{api}/api"))
    assert len(slots) == 100
    assert [slot.eur_mwh for slot in slots] == [prices[key][1] for key in sorted(prices)]
    assert empty == []
    assert "entsoe_token" in str(caught.value)
    assert "bad" not in str(caught.value)
    assert state.requests[0]["periodStart"] == "202610242100"
    assert state.requests[0]["documentType"] == "A44"


def test_fetch_prices_follows_the_settings() -> None:
    state = FakeState(quarter_hours(*AUTUMN, 2))
    with fake_server(state) as url:
        slots = asyncio.run(fetch_prices(PricesSettings(url=url), *AUTUMN))
        entsoe = asyncio.run(
            fetch_prices(PricesSettings("entsoe", f"{url}/api", "good-token"), *AUTUMN)
        )
    assert len(slots) == len(entsoe) == 100
    with pytest.raises(PriceFetchError, match="prices import"):
        asyncio.run(fetch_prices(PricesSettings("none"), *AUTUMN))
