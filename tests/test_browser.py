"""The dashboard in a real browser (Debian's Chromium driven by Playwright) against a real
`hanport run`: first-start setup, the live figure, history charts, meter registers, export,
API tokens, the OpenAPI page, Estonian, logout and login. Saves the screenshots in
docs/screenshots/.

The database is filled beforehand with two days of simulated readings (one a minute) that end
where the live simulator is told to start (2026-01-10 08:00 Tallinn time), so the history has
data at once.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, ViewportSize, expect, sync_playwright

import hanport
from hanport.model import Reading
from hanport.simulator import HomeSimulator
from hanport.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
LIVE_START = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)  # where `hanport run`'s simulator starts
SEED = 3
LIVE = f"sim://?start={LIVE_START.isoformat()}&speed=20&seed={SEED}"  # a push every 0.5 s
PASSWORD = "correct horse battery"
TIMEOUT_MS = 30_000
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


def _chromium() -> str:
    """Debian's Chromium; installed with apt when missing (never a Playwright download)."""
    if not Path(CHROMIUM).exists():
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=True)
    assert Path(CHROMIUM).exists(), "apt-get install chromium did not provide /usr/bin/chromium"
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _prefill(path: Path, days: int = 2, interval_s: int = 60) -> int:
    """Store `days` of simulated readings that end where the live simulator begins, with energy
    registers that continue into the live ones (no register reset at the junction)."""
    start = LIVE_START - timedelta(days=days)
    count = days * 86_400 // interval_s
    dry = HomeSimulator(seed=SEED, start=start, interval_s=interval_s)
    first_import, first_export = dry._import_ws, dry._export_ws
    for _ in range(count):
        dry.next_telegram()
    sim = HomeSimulator(seed=SEED, start=start, interval_s=interval_s)
    sim._import_ws = first_import - (dry._import_ws - first_import)
    sim._export_ws = first_export - (dry._export_ws - first_export)
    readings: list[Reading] = []
    for _ in range(count):
        readings.extend(hanport.decode(sim.next_telegram()))
    store = SqliteStore(path, ZoneInfo("Europe/Tallinn"))
    try:
        for i in range(0, len(readings), 2_000):
            store.write(readings[i : i + 2_000])
    finally:
        store.close()
    return len(readings)


class Server:
    def __init__(self, process: subprocess.Popen[str], url: str, output: list[str]) -> None:
        self.process = process
        self.url = url
        self.output = output

    def get(self, path: str, token: str | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path)
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def _start(tmp: Path) -> Server:
    env = {k: v for k, v in os.environ.items() if k != "HANPORT_CONFIG"}
    env["HANPORT_DATABASE"] = str(tmp / "x.db")
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "hanport", "run", "--source", LIVE]
    command += ["--port", str(_free_port())]
    process = subprocess.Popen(
        command,
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
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
    url = None
    while url is None:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("hanport run printed no URL:\n" + "".join(output))
        found = re.search(r"https?://[\w.:\[\]-]+", line)
        if found and "app" in line:
            url = found.group(0).rstrip(".")
    server = Server(process, url, output)
    while True:  # the URL is printed as the app starts listening; wait until it answers
        try:
            server.get("/api/v1/session")
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError("hanport's app never answered:\n" + "".join(output)) from None
            time.sleep(0.1)
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("browser")
    assert _prefill(tmp / "x.db") > 2_000
    running = _start(tmp)
    try:
        yield running
    finally:
        running.process.terminate()
        try:
            running.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            running.process.kill()
            running.process.wait()
        if running.process.stdout is not None:
            running.process.stdout.close()


def _no_overflow(page: Page) -> None:
    """Nothing sticks out sideways (the page never scrolls horizontally)."""
    width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, f"the page is {width} px wider than the viewport on {page.url}"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), animations="disabled")
    assert (SHOTS / name).stat().st_size < 400_000


def _go(page: Page, route: str) -> None:
    page.goto(page.url.split("#")[0] + "#/" + route)
    expect(page.locator(f"body[data-route='{route}']")).to_be_visible()


def test_dashboard_in_a_browser(server: Server, tmp_path: Path) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True)
        try:
            context = browser.new_context(
                viewport=PHONE,
                device_scale_factor=1,
                locale="en-GB",
                timezone_id="Europe/Tallinn",
                accept_downloads=True,
            )
            context.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            page = context.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "console",
                lambda m: (
                    problems.append(f"console: {m.text}")
                    if m.type == "error" and "401" not in m.text
                    else None
                ),
            )
            _walk_through(page, server, tmp_path)
            assert problems == [], problems
            assert server.process.poll() is None, "".join(server.output)

            # The server goes away: the page says the live connection is lost.
            server.process.terminate()
            server.process.wait(timeout=30)
            expect(page.locator("[data-banner='disconnected']")).to_be_visible()
            expect(page.locator("#live")).not_to_have_class(re.compile(r"\bon\b"))
        finally:
            browser.close()


def _walk_through(page: Page, server: Server, tmp_path: Path) -> None:
    # First start: the setup page creates the administrator.
    page.goto(server.url + "/")
    expect(page.locator("#password2")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Welcome to hanport")
    page.fill("#username", "admin")
    page.fill("#password", "short")
    page.fill("#password2", "short")
    page.click("button[type=submit]")
    expect(page.locator(".msg.error")).to_contain_text("at least 10 characters")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD + "x")
    page.click("button[type=submit]")
    expect(page.locator(".msg.error")).to_contain_text("do not match")
    page.fill("#password2", PASSWORD)
    page.click("button[type=submit]")

    # Now: the live figure changes as the simulator sends frames.
    figure = page.locator("#power-now")
    expect(figure).to_have_attribute("data-w", re.compile(r"^-?\d+$"))
    first = figure.get_attribute("data-w")
    page.wait_for_function("(w) => document.querySelector('#power-now').dataset.w !== w", arg=first)
    expect(page.locator("#live")).to_have_class(re.compile(r"\bon\b"))
    expect(figure).to_have_text(re.compile(r"^\d[\d,.]*$"))
    expect(page.locator("#age")).to_contain_text("ago")
    rows = page.locator(".phase-row")
    expect(rows).to_have_count(3)
    for n in (1, 2, 3):
        row = page.locator(f".phase-row[data-phase='L{n}']")
        expect(row.locator(".ph-v")).to_have_text(re.compile(r"^2\d\d\.\d V$"))
        expect(row.locator(".ph-a")).to_have_text(re.compile(r"^\d+\.\d A$"))
        expect(row.locator(".ph-w")).to_have_text(re.compile(r"\d (k?W)$"))
    expect(page.locator("text=Main fuse 25 A")).to_be_visible()
    expect(page.locator("#energy-import")).to_contain_text("kWh")
    expect(page.locator(".banner")).to_have_count(0)
    _no_overflow(page)
    _shot(page, "now-phone.png")

    # The PWA pieces are served.
    status, body = server.get("/manifest.webmanifest")
    manifest = json.loads(body)
    assert status == 200
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        code, data = server.get(icon["src"])
        assert code == 200
        assert data, icon
    assert server.get("/sw.js")[0] == 200
    page.wait_for_function(
        "async () => Boolean(await navigator.serviceWorker.getRegistration('/'))"
    )

    # History: every range draws its charts; zoom by dragging, pan with ◀ ▶.
    _go(page, "history")
    charts = page.locator("#charts")
    for name in ("hour", "day", "week", "month", "year"):
        page.click(f"button[data-range='{name}']")
        expect(charts).to_have_attribute("data-loaded", name)
        expect(page.locator("#charts [data-chart='power'] canvas")).to_be_visible()
        expect(page.locator("#charts [data-chart='energy'] canvas")).to_be_visible()
        expect(page.locator("#charts [data-chart='voltage'] canvas")).to_be_visible()
        expect(page.locator("#charts [data-chart='current'] canvas")).to_be_visible()
        _no_overflow(page)
        if name in ("day", "week"):
            assert int(charts.get_attribute("data-points") or 0) > 20, name
            assert int(charts.get_attribute("data-bars") or 0) > 0, name
    page.click("button[data-range='week']")
    expect(charts).to_have_attribute("data-loaded", "week")
    label = page.locator("#history-window").inner_text()
    page.click("button[aria-label='Previous']")
    expect(page.locator("#history-window")).not_to_have_text(label)
    page.click("button[aria-label='Next']")
    expect(page.locator("#history-window")).to_have_text(label)
    expect(charts).to_have_attribute("data-loaded", "week")
    page.set_viewport_size(DESKTOP)
    page.click("button[data-range='day']")
    expect(charts).to_have_attribute("data-loaded", "day")
    day = page.locator("#history-window").inner_text()
    page.click("button[aria-label='Previous']")  # 9 January: a whole day of data
    expect(page.locator("#history-window")).not_to_have_text(day)
    expect(charts).to_have_attribute("data-loaded", "day")
    assert int(charts.get_attribute("data-points") or 0) >= 90
    assert int(charts.get_attribute("data-bars") or 0) >= 23
    page.mouse.move(10, 10)
    _shot(page, "history.png")
    over = page.locator("#charts [data-chart='power'] .u-over")
    box = over.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.4, y, steps=5)
    page.mouse.up()
    expect(charts).to_have_attribute("data-zoom", "in")
    over.dblclick()
    expect(charts).to_have_attribute("data-zoom", "out")
    page.set_viewport_size(PHONE)

    # Meter: every register with its label, unit and OBIS code.
    _go(page, "meter")
    registers = page.locator("#registers")
    expect(registers.locator("tr[data-field='voltage_l1_v']")).to_contain_text("Voltage L1")
    expect(registers.locator("tr[data-field='voltage_l1_v']")).to_contain_text("1-0:32.7.0")
    expect(registers.locator("tr[data-field='energy_import_wh']")).to_contain_text("Wh")
    assert registers.locator("tbody tr").count() >= 20
    expect(page.locator("#meter-info")).to_contain_text("P1")
    expect(page.locator("#meter-info")).to_contain_text("LGF5E360")
    _no_overflow(page)
    page.set_viewport_size(DESKTOP)
    _shot(page, "meter.png")
    page.set_viewport_size(PHONE)

    # Export: the form downloads a CSV of hourly rows.
    _go(page, "export")
    page.fill("#export-from", "2026-01-08")
    page.fill("#export-to", "2026-01-10")
    page.select_option("#export-step", "1h")
    with page.expect_download() as info:
        page.click("#export-form button[type=submit]")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".csv"
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 24
    assert "energy_import_wh" in lines[0]
    expect(page.locator("#export-form .msg.ok")).to_be_visible()
    _no_overflow(page)

    # Tokens: create one (shown once), use it, revoke it.
    _go(page, "tokens")
    page.fill("#token-name", "Home Assistant")
    page.click("#token-form button[type=submit]")
    secret = page.locator("#token-secret")
    expect(secret).to_have_value(re.compile(r".{16,}"))
    token = secret.input_value()
    row = page.locator("#tokens tr[data-token]", has_text="Home Assistant")
    expect(row).to_have_count(1)
    assert server.get("/api/v1/status", token)[0] == 200
    _no_overflow(page)
    row.locator("button[data-revoke]").click()
    expect(row.locator("button[data-revoke]")).to_have_text("Really revoke?")
    row.locator("button[data-revoke]").click()
    expect(page.locator("#tokens tr[data-token]", has_text="Home Assistant")).to_have_count(0)
    assert server.get("/api/v1/status", token)[0] == 401

    # The API page renders the OpenAPI document.
    _go(page, "api")
    series = page.locator(".op[data-path='/api/v1/series'][data-method='get']")
    series.locator("summary").first.click()
    expect(series.locator(".enum", has_text="15m")).to_be_visible()
    expect(series).to_contain_text("Parameters")
    expect(page.locator(".op[data-method='delete']").first).to_be_visible()
    _no_overflow(page)

    # Estonian, remembered across a reload.
    _go(page, "now")
    page.click("#lang")
    expect(page.locator("#nav a[data-route='history']")).to_have_text("Ajalugu")
    expect(page.locator("html")).to_have_attribute("lang", "et")
    page.reload()
    expect(page.locator("#nav a[data-route='meter']")).to_have_text("Arvesti")
    expect(page.locator(".view-now h2").first).to_have_text("Faasid")
    expect(page.locator(".split-item.import .label").first).to_have_text("Võrgust")
    expect(page.locator(".split-item.export .label").first).to_have_text("Võrku")
    expect(page.locator(".phase-row .label").first).to_have_text("Pinge")
    expect(page.locator("#age")).to_contain_text("tagasi")
    _go(page, "meter")
    expect(page.locator("#registers tr[data-field='voltage_l1_v']")).to_contain_text("Pinge L1")
    _go(page, "history")
    expect(page.locator("button[data-range='day']")).to_have_text("Päev")
    expect(page.locator("#charts [data-chart='energy'] h2")).to_contain_text("Energia")
    _no_overflow(page)
    page.click("#logout")
    expect(page.locator("button[type=submit]")).to_have_text("Logi sisse")
    expect(page.locator("label[for='password']")).to_have_text("Parool")
    expect(page.locator("label[for='username']")).to_have_text("Kasutajanimi")
    page.click("#lang")

    # Logged out: the login page; a wrong password is refused, the right one lets us in.
    expect(page.locator("h1")).to_have_text("Log in")
    expect(page.locator("#password2")).to_have_count(0)
    assert server.get("/api/v1/status")[0] == 401
    _no_overflow(page)
    _shot(page, "login.png")
    page.fill("#username", "admin")
    page.fill("#password", "wrong password!")
    page.click("button[type=submit]")
    expect(page.locator(".msg.error")).to_have_text("Wrong username or password.")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#power-now")).to_have_attribute("data-w", re.compile(r"^-?\d+$"))
    expect(page.locator("#live")).to_have_class(re.compile(r"\bon\b"))

    page.set_viewport_size(DESKTOP)
    expect(page.locator("#nav a[data-route='now']")).to_be_visible()
    _no_overflow(page)
    _shot(page, "now-desktop.png")


def test_chromium_is_debians() -> None:
    """The test drives the system browser; Playwright's own downloads are never used."""
    assert shutil.which(_chromium()) is not None
