"""The app's Quality page in Debian's Chromium (Playwright) against a real `hanport run` whose
database holds a week of the simulator's voltage scenario (and whose simulator goes on with it):
the verdicts per phase, the weekly shares, the chart of the 10-minute means against the bands,
the events, the report download, what 10-s data cannot show; in English and Estonian."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from web.test_browser import Server, _chromium, _context, _free_port, _sign_in, _stop

from hanport.store import open_store
from quality.voltage_readings import voltage_readings

LIVE = "sim://?scenario=voltage&start=2026-03-09T00:00&speed=20&seed=3"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("quality-page")
    store = open_store(str(tmp / "x.db"), ZoneInfo("Europe/Tallinn"))
    store.write(list(voltage_readings()))
    store.close()
    running = _start(tmp)
    try:
        yield running
    finally:
        _stop(running)


def _start(tmp: Path) -> Server:
    env = {k: v for k, v in os.environ.items() if k != "HANPORT_CONFIG"}
    env |= {"HANPORT_DATABASE": str(tmp / "x.db"), "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "hanport",
        "run",
        "--source",
        LIVE,
        "--port",
        str(_free_port()),
    ]
    process = subprocess.Popen(
        command, cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 60
    while True:
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        if line is None:
            raise AssertionError("hanport run ended:\n" + "".join(output))
        found = re.search(r"https?://[\w.:\[\]-]+", line)
        if found and "app" in line:
            server = Server(process, found.group(0).rstrip("."), output)
            break
    while time.monotonic() < deadline:
        try:
            server.get("/api/v1/session")
            return server
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("hanport's app never answered:\n" + "".join(output))


def _week(page: Page) -> None:
    page.goto(page.url.split("#")[0] + "#/quality")
    expect(page.locator("body[data-route='quality']")).to_be_visible()
    expect(page.locator("#quality-weeks")).to_be_visible()  # the default week, drawn first
    page.fill("#quality-from", "2026-03-02")
    page.fill("#quality-to", "2026-03-08")
    page.click("#quality-form button[type=submit]")
    expect(page.locator("#quality-weeks tr[data-week^='2026-03-01T22:00']").first).to_be_visible()


def test_the_quality_page(server: Server, tmp_path: Path) -> None:
    with sync_playwright() as p:
        browser, context = _context(p, _chromium())
        page = context.new_page()
        _sign_in(page, server)
        _week(page)
        expect(page.locator("#quality-verdicts [data-phase=l1]")).to_contain_text("does not comply")
        expect(page.locator("#quality-verdicts [data-phase=l3]")).to_contain_text("complies")
        row = page.locator("#quality-weeks tr[data-phase='1']")
        expect(row.locator(".q-band")).to_have_text("97.61 %")  # 983 of 1007 complete means
        l2 = page.locator("#quality-weeks tr[data-phase='2']")
        expect(l2.locator(".q-wide")).to_have_text("99.90 %")  # 1006 of 1007
        chart = page.locator(".q-chart-card[data-week^='2026-03-01T22:00'] svg")
        expect(chart.locator("rect.q-ok")).to_have_count(1)
        assert chart.locator("polyline.q-l1").count() >= 1
        assert chart.locator("polyline.q-l3").count() >= 1
        expect(page.locator("#quality-events tr[data-kind=broken_neutral]")).to_contain_text(
            "Broken neutral"
        )
        expect(page.locator("#quality-events tr[data-kind=undervoltage]")).to_contain_text("L2")
        expect(page.locator("#quality-limits")).to_contain_text("flicker")
        expect(page.locator("#quality-limits")).to_contain_text("shorter than a second")
        width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert width <= 0  # fits a 360 px phone
        with page.expect_download() as download:
            page.click("#quality-pdf")
        saved = tmp_path / "report.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF-")

        page.click("#lang")  # Estonian
        _week(page)
        expect(page.locator("#quality-verdicts [data-phase=l1]")).to_contain_text("ei vasta")
        expect(row.locator(".q-band")).to_have_text("97,61 %")
        expect(page.locator("#quality-events tr[data-kind=broken_neutral]")).to_contain_text(
            "Nulljuhtme katkestus"
        )
        expect(page.locator("#quality-limits")).to_contain_text("värelus")
        with page.expect_download() as download:
            page.click("#quality-csv")
        table = tmp_path / "aruanne.csv"
        download.value.save_as(table)
        assert table.read_text(encoding="utf-8").startswith("sündmused")
        browser.close()
