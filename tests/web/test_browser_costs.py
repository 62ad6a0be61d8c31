"""The money in a real browser (Debian's Chromium through Playwright) against a real `hanport
run`: the Costs page lists January's network and seller bills line by line with the figures
hanport's own bill arithmetic gives for the stored data, in English and Estonian; the Now page
shows its money card; History draws cost bars.

The database holds two days of simulated readings (8–10 Jan 2026) and the prices of those
days; the live simulator runs in February, so January's data stays as it was checked.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from hanport.costs.bill import MonthBill
from hanport.costs.plugin import TARIFF
from hanport.costs.price_store import put_prices
from hanport.costs.slots import PriceSlot
from hanport.costs.summary import month_bills
from hanport.costs.tariff import build_tariff
from hanport.settings.loader import Settings
from hanport.store import open_store
from hanport.web.accounts import Accounts
from web.test_browser import PASSWORD, SEED, Server, _chromium, _free_port, _prefill, _stop

TALLINN = ZoneInfo("Europe/Tallinn")
TIMEOUT_MS = 30_000
LIVE = "sim://?start=2026-02-15T06:00:00+00:00&speed=20&seed=" + str(SEED)


def _prices(path: Path) -> None:
    """7–10 Jan 2026, and the real day around now (for the Now page's curve) with three cheap
    hours from 5 to 8 hours ahead."""
    first = datetime(2026, 1, 7, tzinfo=TALLINN).astimezone(UTC)
    quarter = timedelta(minutes=15)
    slots = [
        PriceSlot(first + quarter * i, first + quarter * (i + 1), Decimal(40 + (i % 96) // 4 * 3))
        for i in range(96 * 4)
    ]
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for i in range(-8, 96):
        start = now + quarter * i
        cheap = 20 <= i < 32
        slots.append(PriceSlot(start, start + quarter, Decimal(-3 if cheap else 70 + i % 5)))
    store = open_store(str(path), TALLINN)
    put_prices(store, slots, "csv")
    store.close()


def _january(path: Path) -> MonthBill:
    store = open_store(str(path), TALLINN)
    meter = store.meters()[0].id
    bill = month_bills(store, meter, date(2026, 1, 1), build_tariff(Settings().get(TARIFF)))
    store.close()
    return bill


def _run(tmp: Path) -> Server:
    env = {k: v for k, v in os.environ.items() if k != "HANPORT_CONFIG"}
    env.update(HANPORT_DATABASE=str(tmp / "x.db"), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "hanport", "run", "--source", LIVE]
    process = subprocess.Popen(
        [*command, "--port", str(_free_port())],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        found = re.search(r"https?://[\w.:\[\]-]+", line)
        if found and "app" in line:
            server = Server(process, found.group(0).rstrip("."), output)
            while time.monotonic() < deadline:
                try:
                    server.get("/api/v1/session")
                    return server
                except OSError:
                    time.sleep(0.1)
    process.kill()
    raise AssertionError("hanport run did not serve its app:\n" + "".join(output))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, MonthBill]]:
    tmp = tmp_path_factory.mktemp("browser-costs")
    assert _prefill(tmp / "x.db") > 2_000
    _prices(tmp / "x.db")
    bill = _january(tmp / "x.db")
    Accounts(tmp / "x.db").add_user("admin", PASSWORD)
    running = _run(tmp)
    try:
        yield running, bill
    finally:
        _stop(running)


def _eur(amount: Decimal, language: str = "en") -> str:
    text = f"{amount:.2f} €"
    return text.replace(".", ",") if language == "et" else text


def _line(page: Page, bill: str, item: str) -> str:
    return page.locator(f"#{bill} tr[data-item='{item}'] td.val").inner_text()


def test_the_costs_page_lists_the_bills_with_hanports_figures(
    served: tuple[Server, MonthBill],
) -> None:
    server, bill = served
    assert bill.slots > 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True)
        try:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, locale="en-GB", timezone_id="Europe/Tallinn"
            )
            context.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server.url + "/")
            page.fill("#username", "admin")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator("body[data-route='now']")).to_be_visible()
            errors.clear()  # the first visit asks whether it is signed in (a 401)
            expect(page.locator("#costs-now[data-loaded='1']")).to_be_visible()
            assert page.locator(".price-curve .price-bar").count() >= 96
            expect(page.locator(".price-curve .cheap-window")).to_have_count(1)
            expect(page.locator("#cheapest")).to_contain_text("Cheapest 3 hours")
            expect(page.locator("#price-now")).to_contain_text("c/kWh")

            page.goto(server.url + "/#/costs?month=2026-01")
            expect(page.locator("#costs[data-loaded='2026-01']")).to_be_attached()
            expect(page.locator("#costs-month")).to_have_text("January 2026")
            expect(page.locator("#bill-network-total")).to_have_text(_eur(bill.network_total_eur))
            expect(page.locator("#bill-seller-total")).to_have_text(_eur(bill.seller_total_eur))
            expect(page.locator("#bill-total")).to_have_text(_eur(bill.total_eur))
            for line in bill.lines:
                where = {"network": "bill-network", "seller": "bill-seller"}.get(line.bill)
                if where:
                    assert _line(page, where, line.item) == _eur(line.eur), line.item
            monthly = next(line for line in bill.lines if line.item == "network_monthly")
            assert page.locator("#bill-network tr[data-item='network_monthly']").inner_text()
            assert monthly.eur > 0
            expect(page.locator("#bill-missing")).to_contain_text("no meter data or price")
            width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert width <= 0

            page.click("#lang")
            expect(page.locator("#costs-month")).to_have_text(re.compile("jaanuar 2026"))
            expect(page.locator("#bill-total")).to_have_text(_eur(bill.total_eur, "et"))
            expect(page.locator("#bill-network h2")).to_have_text("Võrguarve (Elektrilevi)")
            page.click("#lang")

            page.goto(server.url + "/#/history")  # the year of the live data: January has costs
            page.click("button[data-range='year']")
            expect(page.locator("#charts[data-loaded='year']")).to_be_attached()
            expect(page.locator("[data-chart='cost']")).to_be_visible()
            assert int(page.locator("#charts").get_attribute("data-cost-bars") or 0) >= 1
            assert errors == []
        finally:
            browser.close()
