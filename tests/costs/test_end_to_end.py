"""From a fake Elering to a priced week: a holiday and Võrk 5's peak windows, then the API down
and the week priced again from the prices already kept."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest

from costs.fake_servers import FakeState, fake_server, quarter_hours
from hanport.costs.aggregate import cost_rows
from hanport.costs.energy import SlotEnergy
from hanport.costs.errors import PriceFetchError
from hanport.costs.fetch import Retry, fetch_elering
from hanport.costs.ledger import slot_ledger
from hanport.costs.settings import tariff_settings
from hanport.costs.slots import PriceSlot, quarter_prices
from hanport.costs.tariff import build_tariff

TALLINN = ZoneInfo("Europe/Tallinn")
MONDAY = datetime(2026, 2, 23, tzinfo=TALLINN).astimezone(UTC)  # Tuesday 24 Feb is a holiday
WEDNESDAY = MONDAY + timedelta(days=2)


async def _no_wait(_: float) -> None:
    return None


def fetch(url: str) -> list[PriceSlot]:
    async def main() -> list[PriceSlot]:
        async with httpx.AsyncClient(timeout=5.0) as client:
            return await fetch_elering(
                client, MONDAY, WEDNESDAY, url=url, retry=Retry(attempts=2), sleep=_no_wait
            )

    return asyncio.run(main())


def test_a_holiday_and_vork5_peaks_priced_from_a_fake_elering_then_offline() -> None:
    state = FakeState(
        quarter_hours(MONDAY, WEDNESDAY, lambda moment: -2 if moment.hour == 11 else 95)
    )
    with fake_server(state) as url:
        stored = fetch(url)
    assert len(stored) == 192
    tariff = build_tariff(tariff_settings({"network": ("elektrilevi-vork5", "tariff.network")}))
    energies = [SlotEnergy(slot.start, 500) for slot in stored]
    costs = slot_ledger(energies, quarter_prices(stored), tariff, "15m")
    monday = Counter(cost.window for cost in costs[:96])
    tuesday = Counter(cost.window for cost in costs[96:])
    assert monday == {"peak": 28, "day": 32, "night": 36}  # 09–12 and 16–20 are peaks
    assert tuesday == {"restday_peak": 16, "night": 80}  # the holiday: no day price at all
    days = cost_rows(costs, "1d", tariff)
    assert days[0].network_eur == (
        Decimal("0.5") * (28 * Decimal("8.18") + 32 * Decimal("5.29") + 36 * Decimal("3.03")) / 100
    )
    negative = [cost for cost in costs if cost.spot_eur_mwh == -2]
    assert len(negative) == 8
    assert all(cost.money and cost.money.energy_eur < 0 for cost in negative)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(PriceFetchError, match="keeps using the prices it has"):
        fetch(down)
    again = slot_ledger(energies, quarter_prices(stored), tariff, "15m")
    assert cost_rows(again, "1d", tariff) == days
