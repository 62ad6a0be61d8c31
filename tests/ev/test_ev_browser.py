"""The app's EV page in a real browser (Debian's Chromium through Playwright) against a real
`hanport run` with `[ev] ocpp_listen`, the simulator at 20× and an OCPP 1.6 wallbox (the `ocpp`
package's ChargePoint) charging: the charger's limit and why, in English and Estonian, the
phases' room, the limits sent; an administrator changes the mode and departure, a viewer is
told only an administrator can."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from mqtt_broker import free_port
from playwright.sync_api import Page, expect, sync_playwright

from hanport.web.accounts import Accounts

from .ocpp_station import Sim16, station

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"
SOURCE = "sim://?start=2026-01-15T01:00:00%2B00:00&speed=20&seed=2"  # a quiet night, 0.5 s


class Wallbox(threading.Thread):
    """An OCPP 1.6 wallbox with a car charging, on its own event loop."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.ready = threading.Event()
        self.done = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # shown by the test
            self.error = error
            self.ready.set()

    async def _main(self) -> None:
        async with station(Sim16, self.url, "garage") as sim:
            await sim.boot()
            transaction = await sim.start_transaction(10_000)
            await sim.status("Charging")
            energy = 10_000
            self.ready.set()
            while not self.done.is_set():
                energy += 20
                await sim.meter([6.0, 6.0, 6.0], energy, transaction)
                await asyncio.sleep(1)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("evapp")
    accounts = Accounts(str(tmp / "ev.db"))
    accounts.add_user("admin", PASSWORD, "admin")
    accounts.add_user("viewer", PASSWORD, "viewer")
    accounts.close()
    ocpp = free_port()
    env = {k: v for k, v in os.environ.items() if k != "HANPORT_CONFIG"}
    env.update(
        HANPORT_DATABASE=str(tmp / "ev.db"),
        HANPORT_EV_OCPP_LISTEN=f"127.0.0.1:{ocpp}",
        PYTHONUNBUFFERED="1",
    )
    command = [sys.executable, "-m", "hanport", "run", "--source", SOURCE, "--port", "0"]
    process = subprocess.Popen(
        command, cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    wallbox = Wallbox(f"ws://127.0.0.1:{ocpp}/ocpp")
    try:
        url = _app_url(process)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/api/v1/openapi.json", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the app never answered"
                time.sleep(0.2)
        while not _listening(ocpp):  # the EV part starts its OCPP listener beside the app
            assert time.monotonic() < deadline, "the OCPP central system never listened"
            time.sleep(0.2)
        wallbox.start()
        assert wallbox.ready.wait(30)
        assert wallbox.error is None, wallbox.error
        yield url
    finally:
        wallbox.done.set()
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _app_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"https?://[\w.:\[\]-]+", line)
        if found and "app" in line:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # type: ignore[union-attr]
            return found.group(0).rstrip(".")
    raise AssertionError("hanport run printed no URL")


def _sign_in(page: Page, url: str, user: str, lang: str = "en") -> None:
    page.context.add_init_script(f"localStorage.setItem('hanport.lang', '{lang}')")
    page.goto(url + "/")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("body[data-route='now']")).to_be_visible()
    page.goto(url + "/#/ev")
    expect(page.locator("body[data-route='ev']")).to_be_visible()


def _browser_page(p: object, url: str, user: str, lang: str = "en") -> Page:
    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)  # type: ignore[attr-defined]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", timezone_id="Europe/Tallinn"
    )
    context.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
    page: Page = context.new_page()
    _sign_in(page, url, user, lang)
    return page


def test_the_ev_page_shows_the_limit_and_why_and_lets_an_admin_set_the_mode(
    server: str,
) -> None:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (apt-get install chromium)"
    with sync_playwright() as p:
        page = _browser_page(p, server, "admin")
        card = page.locator(".ev-charger[data-charger='garage']")
        expect(card).to_be_visible()
        expect(card.locator(".ev-limit")).to_contain_text(re.compile(r"\d+(\.\d+)? A on 3"))
        expect(card.locator(".ev-reason")).to_contain_text(re.compile(r"L\d|Raising|towards"))
        expect(page.locator("#ev-failsafe")).to_contain_text("The meter is fresh")
        expect(page.locator("#ev-phase-table tbody tr")).to_have_count(3)
        expect(page.locator("#ev-limits tbody tr").first).to_contain_text("garage")
        page.select_option("#ev-mode", "fixed")
        page.fill("#ev-departure", "06:45")
        page.click("#ev-form button[type=submit]")
        expect(page.locator("#ev-form .msg.ok")).to_be_visible()
        expect(page.locator("#ev-mode-now")).to_contain_text("Fixed current")
        expect(page.locator("#ev-mode-now")).to_contain_text("06:45")
        expect(card.locator(".ev-reason")).to_contain_text(re.compile(r"towards 10 A|of 10 A"))
        width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert width <= 0
        page.locator("#lang").click()
        expect(card.locator(".ev-reason")).to_contain_text(re.compile(r"10 A poole|vool 10 A"))
        expect(page.locator("#ev-mode-now")).to_contain_text("Režiim: Püsiv vool")
        page.context.browser.close()  # type: ignore[union-attr]
    state = json.loads(urllib.request.urlopen(server + "/api/v1/openapi.json").read())
    assert "/api/v1/ev/mode" in state["paths"]


def test_a_viewer_sees_the_page_but_cannot_change_the_mode(server: str) -> None:
    with sync_playwright() as p:
        page = _browser_page(p, server, "viewer", "et")
        expect(page.locator(".ev-charger[data-charger='garage']")).to_be_visible()
        expect(page.locator("#ev-controls")).to_contain_text("ainult administraator")
        assert page.locator("#ev-form").count() == 0
        page.context.browser.close()  # type: ignore[union-attr]
