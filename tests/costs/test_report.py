"""Cost rows from a real store, and the app's cache of settled days and months: it answers as
the store does, and forgets a period when newer prices were stored for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from webapp import simulated

from hanport.costs.plugin import TARIFF
from hanport.costs.price_store import PriceBook, put_prices
from hanport.costs.report import LedgerCache, align, cost_report
from hanport.costs.slots import PriceSlot
from hanport.costs.tariff import build_tariff
from hanport.settings.loader import Settings
from hanport.store import open_store

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 1, 10, 6, tzinfo=UTC)
QUARTER = timedelta(minutes=15)


def _prices(price: Decimal) -> list[PriceSlot]:
    first = datetime(2026, 1, 10, tzinfo=TALLINN).astimezone(UTC)
    return [PriceSlot(first + QUARTER * i, first + QUARTER * (i + 1), price) for i in range(96)]


def test_cached_rows_match_the_store_and_follow_new_prices(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "x.db"), TALLINN)
    store.write(simulated(720, start=START))
    put_prices(store, _prices(Decimal(100)), "csv")
    meter = store.meters()[0].id
    tariff = build_tariff(Settings().get(TARIFF))
    now = datetime(2026, 2, 3, tzinfo=UTC)
    month = datetime(2026, 1, 1, tzinfo=TALLINN)
    cache, book = LedgerCache(), PriceBook()

    def report(step: str, cached: bool = True) -> list[object]:
        return list(
            cost_report(
                store,
                meter,
                month,
                month + timedelta(days=31),
                step,  # type: ignore[arg-type]
                tariff,
                "15m",
                now,
                cache if cached else None,
                book,
            )
        )

    first = report("1mo")
    assert first == report("1mo", cached=False)
    assert report("1mo") == first  # from the cache
    days = report("1d")
    assert days == report("1d", cached=False)
    put_prices(store, _prices(Decimal(200)), "csv")
    assert report("1mo") == first  # nobody said the prices changed
    book.changed(now, datetime(2026, 1, 10, tzinfo=TALLINN))
    again = report("1mo")
    assert again == report("1mo", cached=False)
    doubled = 2 * first[0].energy_eur  # type: ignore[attr-defined]
    assert abs(again[0].energy_eur - doubled) <= Decimal("0.01")  # type: ignore[attr-defined]
    store.close()


def test_periods_are_widened_to_whole_days_and_months() -> None:
    moment = datetime(2026, 3, 29, 12, 7, tzinfo=TALLINN)
    start, end = align(moment, moment + timedelta(hours=1), "1mo")
    assert (start, end) == (
        datetime(2026, 3, 1, tzinfo=TALLINN).astimezone(UTC),
        datetime(2026, 4, 1, tzinfo=TALLINN).astimezone(UTC),
    )
    start, end = align(moment, moment + timedelta(minutes=1), "1d")
    assert end - start == timedelta(hours=23)  # the spring day
    assert align(moment, moment, "15m")[0].minute == 0
