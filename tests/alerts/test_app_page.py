"""The app's Alerts page in a real browser (Debian's Chromium through Playwright) against a
real `hanport run`: the active alert, the history, Estonian, and the rules for administrators
(changed in the page, the alert then clears) but not for viewers."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from alerts.running import Running, start
from hanport.store.sqlite import SqliteStore
from hanport.web.accounts import Accounts

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"
KETTLE = "sim://?start=2026-03-22T18:00&speed=20"
"""A Sunday at 18:00 (Tallinn): the kettle overloads L2 for 15 minutes of meter time (45 s)."""
TIMEOUT_MS = 30_000


def _chromium() -> str:
    if not Path(CHROMIUM).exists():
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=True)
    assert Path(CHROMIUM).exists()
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, str]]:
    folder = tmp_path_factory.mktemp("alerts-app")
    SqliteStore(folder / "hanport.db", ZoneInfo("Europe/Tallinn")).close()
    accounts = Accounts(folder / "hanport.db")
    try:
        accounts.add_user("admin", PASSWORD)
        accounts.add_user("viewer", PASSWORD, "viewer")
    finally:
        accounts.close()
    running = start(
        folder,
        KETTLE,
        {
            "HANPORT_SITE_FUSE_A": "10",
            "HANPORT_ALERTS_OVERCURRENT_PCT": "80",
            "HANPORT_ALERTS_OVERCURRENT_S": "0",
            "HANPORT_ALERTS_CLEAR_S": "0",
        },
        "--port",
        str(_free_port()),
    )
    try:
        found = running.wait_for(r"(https?://[\w.:\[\]-]+).*sign in")
        yield running, found.group(1).rstrip(".")
    finally:
        running.stop()


def _login(page: Page, url: str, user: str) -> None:
    page.goto(url + "/#/alerts")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.locator("form.auth button[type=submit]").click()
    expect(page.locator("#nav")).to_be_visible()
    page.click("#nav a[data-route='alerts']")
    expect(page.locator("body[data-route='alerts']")).to_be_visible()


def test_alerts_page(server: tuple[Running, str]) -> None:
    running, url = server
    expect.set_options(timeout=TIMEOUT_MS)  # a loaded machine: the page refreshes every 10 s
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True)
        try:
            context = browser.new_context(
                viewport={"width": 390, "height": 844},
                locale="en-GB",
                timezone_id="Europe/Tallinn",
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            _login(page, url, "admin")
            active = page.locator("#alerts-active [data-rule='overcurrent']")
            expect(active).to_contain_text("L2 current above 80 % of the fuse")
            row = page.locator("#alerts-table tr[data-rule='overcurrent']").first
            expect(row).to_contain_text("Phase over the fuse")
            expect(row).to_contain_text("still active")
            width = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            assert width <= 0, "the Alerts page is wider than a phone"

            page.click("#lang")
            expect(page.locator("#alerts-active h1")).to_have_text("Hoiatused")
            expect(active).to_contain_text("L2 vool üle 80 % peakaitsest")
            expect(row).to_contain_text("Faas üle peakaitsme")
            expect(row).to_contain_text("kestab")
            page.click("#lang")

            rule = page.locator("#alerts-rules tr[data-rule='overcurrent']")
            threshold = rule.locator("input[data-key='overcurrent_pct']")
            expect(threshold).to_have_value("80")
            threshold.fill("5")
            page.click("#alerts-save")
            expect(page.locator("#alerts-rules .msg.error")).to_contain_text(
                "alerts.overcurrent_pct"
            )
            threshold.fill("300")
            page.click("#alerts-save")
            expect(page.locator("#alerts-rules-status")).to_contain_text("The rules are saved")
            page.reload()
            expect(page.locator("#alerts-active")).to_contain_text("No alert is active.")
            cleared = page.locator("#alerts-table tr[data-rule='overcurrent']").first
            expect(cleared).not_to_contain_text("still active")

            viewer = browser.new_context(locale="en-GB", timezone_id="Europe/Tallinn")
            viewer.set_default_timeout(TIMEOUT_MS)
            other = viewer.new_page()
            _login(other, url, "viewer")
            expect(other.locator("#alerts-table tr[data-rule='overcurrent']").first).to_be_visible()
            expect(other.locator("#alerts-rules")).to_be_hidden()
        finally:
            browser.close()
    assert "Traceback" not in "".join(running.output)
