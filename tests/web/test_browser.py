"""The dashboard in a real browser (Debian's Chromium driven by Playwright) against a real
`hanport run`: first-start setup, the live figure, history charts, meter registers, export,
API tokens, the OpenAPI page, Estonian, logout and login; values that fit a 360 px phone; no 401
answers on a signed-out visit; a fresh install's open periods drawn at once; the reader's
warnings; the setup code. With `--screenshots` it saves them in docs/screenshots/.

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
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    ViewportSize,
    expect,
    sync_playwright,
)

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
_WRITE_SHOTS: list[bool] = [False]
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


def _start(tmp: Path, interval_s: float = 0.5) -> Server:
    env = {k: v for k, v in os.environ.items() if k != "HANPORT_CONFIG"}
    env["HANPORT_DATABASE"] = str(tmp / "x.db")
    env["PYTHONUNBUFFERED"] = "1"
    source = f"sim://?start={LIVE_START.isoformat()}&speed={10 / interval_s:g}&seed={SEED}"
    command = [sys.executable, "-m", "hanport", "run", "--source", source]
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


def _stop(running: Server) -> None:
    running.process.terminate()
    try:
        running.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        running.process.kill()
        running.process.wait()
    if running.process.stdout is not None:
        running.process.stdout.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("browser")
    assert _prefill(tmp / "x.db") > 2_000
    running = _start(tmp)
    try:
        yield running
    finally:
        _stop(running)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A new install: an empty database, the simulator sending a telegram every second (each
    10 s of meter time), so a minute of meter time is stored within the first seconds."""
    running = _start(tmp_path_factory.mktemp("fresh"), interval_s=1)
    try:
        yield running
    finally:
        _stop(running)


@pytest.fixture(scope="module")
def browser_path() -> str:
    return _chromium()


WIDE = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map((el) => `${el.tagName}.${el.className}: ${el.textContent.slice(0, 40)}`).slice(-3)"""


def _no_overflow(page: Page) -> None:
    """Nothing sticks out sideways (the page never scrolls horizontally)."""
    width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, f"the page is {width} px wider than the viewport on {page.url}: " + str(
        page.evaluate(WIDE)
    )


@pytest.fixture(autouse=True, scope="module")
def _screenshots_asked(request: pytest.FixtureRequest) -> None:
    _WRITE_SHOTS[0] = bool(request.config.getoption("--screenshots"))


def _shot(page: Page, name: str) -> None:
    """A screenshot of the page: kept in docs/screenshots/ only when asked (--screenshots)."""
    image = page.screenshot(animations="disabled")
    assert 1_000 < len(image) < 400_000
    if _WRITE_SHOTS[0]:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / name).write_bytes(image)


def _go(page: Page, route: str) -> None:
    page.goto(page.url.split("#")[0] + "#/" + route)
    expect(page.locator(f"body[data-route='{route}']")).to_be_visible()


PHONE_360: ViewportSize = {"width": 360, "height": 780}

UNFIT = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => {
    const box = el.getBoundingClientRect();
    const parts = [...el.getClientRects()];  // one line: all of them overlap vertically
    const oneLine = Math.max(...parts.map((r) => r.top)) < Math.min(...parts.map((r) => r.bottom));
    return { text: el.textContent, left: box.left, right: box.right, oneLine };
  })
  .filter((b) => b.left < 0 || b.right > window.innerWidth || !b.oneLine)"""


def _values_fit(page: Page, selector: str, at_least: int) -> None:
    """Every value (with its unit) matched is inside the viewport, on one line."""
    assert page.locator(selector).count() >= at_least, selector
    assert page.evaluate(UNFIT, selector) == [], selector


NOW_VALUES = "#power-import, #power-export, .ph-w, .ph-v, .ph-a, #energy-import, #energy-export"
REGISTER_VALUES = "#registers td.num, #registers td.val > *"  # before and after: one per row

CUT_LABELS = """() => [...document.querySelectorAll("#charts .chart")].flatMap((chart) =>
  JSON.parse(chart.dataset.xLabels || "null") ?? [{ text: "no labels recorded", left: -1 }])
  .filter((b) => b.left < 0 || b.right > b.width)"""


class Answers:
    """Every answer the page received, and its console errors, from when it was made."""

    def __init__(self, page: Page) -> None:
        self.seen: list[tuple[int, str, str]] = []
        self.errors: list[str] = []
        page.on("response", lambda r: self.seen.append((r.status, r.request.method, r.url)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def clear(self) -> None:
        self.seen.clear()
        self.errors.clear()

    def refused(self) -> list[tuple[int, str, str]]:
        return [answer for answer in self.seen if answer[0] == 401]

    def api(self) -> list[str]:
        return [url.split("/api/v1/")[1] for _, _, url in self.seen if "/api/v1/" in url]


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
            answers = Answers(page)
            _walk_through(page, server, tmp_path, answers)
            assert problems == [], problems
            assert server.process.poll() is None, "".join(server.output)

            # The server goes away: the page says the live connection is lost.
            server.process.terminate()
            server.process.wait(timeout=30)
            expect(page.locator("[data-banner='disconnected']")).to_be_visible()
            expect(page.locator("#live")).not_to_have_class(re.compile(r"\bon\b"))
        finally:
            browser.close()


def _walk_through(page: Page, server: Server, tmp_path: Path, answers: Answers) -> None:
    # First start: the setup page creates the administrator. A first visit asks for the
    # session first (answered 401) and for nothing else until it knows.
    page.goto(server.url + "/")
    expect(page.locator("#password2")).to_be_visible()
    page.wait_for_timeout(500)
    assert answers.refused() == [(401, "GET", server.url + "/api/v1/session")]
    assert answers.api() == ["session"]
    expect(page.locator("#setup-code")).to_be_hidden()  # this server asks for no setup code
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
    expect(page.locator("#energy-import")).to_have_text(
        re.compile(r"^\d{1,3}(,\d{3})*\.\d{3} kWh$")
    )
    _no_overflow(page)
    _shot(page, "now-phone.png")
    page.set_viewport_size(PHONE_360)
    _values_fit(page, NOW_VALUES, 13)
    _no_overflow(page)
    page.set_viewport_size(PHONE)

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
        expect(charts).to_have_attribute("data-partial", "1")  # the open period, hatched
        expect(page.locator("#partial-note")).to_be_visible()
        assert page.evaluate(CUT_LABELS) == [], name
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
    # A 360 px phone: every value with its unit on screen, on one line; energy in kWh.
    page.set_viewport_size(PHONE_360)
    kwh = re.compile(r"(^|\s)\d{1,3}(,\d{3})*\.\d{3} kWh(\s|$)")
    for name in ("energy_import_wh", "energy_export_wh"):
        row = registers.locator(f"tr[data-field='{name}']")
        expect(row).to_contain_text(kwh, use_inner_text=True)
    voltage = re.compile(r"(^|\s)2\d\d\.\d V(\s|$)")
    row = registers.locator("tr[data-field='voltage_l1_v']")
    expect(row).to_contain_text(voltage, use_inner_text=True)
    _values_fit(page, REGISTER_VALUES, 20)
    _values_fit(page, "#meter-info dd", 5)
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
    expect(page.locator("#age")).to_contain_text("näit")
    expect(page.locator("#age")).to_contain_text("tagasi")
    expect(page.locator("#live .live-text")).to_have_text("Reaalajas")
    expect(page.locator(".capacity")).to_have_text(
        re.compile(r"^\d+ % lubatud \d+,\d kW võimsusest$")
    )
    page.set_viewport_size(PHONE_360)
    _values_fit(page, NOW_VALUES, 13)
    _no_overflow(page)
    texts = [page.locator("#view").inner_text()]
    _go(page, "meter")
    expect(page.locator("#registers tr[data-field='voltage_l1_v']")).to_contain_text("Pinge L1")
    row = page.locator("#registers tr[data-field='energy_import_wh']")
    kwh = re.compile(r"\s\d[\d\u00a0]*,\d{3} kWh(\s|$)")
    expect(row).to_contain_text(kwh, use_inner_text=True)
    _values_fit(page, REGISTER_VALUES, 20)
    _no_overflow(page)
    texts.append(page.locator("#view").inner_text())
    _go(page, "history")
    expect(page.locator("button[data-range='day']")).to_have_text("Päev")
    expect(page.locator("#charts [data-chart='energy'] h2")).to_contain_text("Energia")
    for width in (360, 390):  # the year's axis labels are not cut at the chart's edge
        page.set_viewport_size({"width": width, "height": 780})
        page.click("button[data-range='year']")
        expect(page.locator("#charts")).to_have_attribute("data-loaded", "year")
        expect(page.locator("#partial-note")).to_contain_text("pooleliolev kuu")
        page.wait_for_function("() => document.querySelector('#charts .chart[data-x-labels]')")
        assert page.evaluate(CUT_LABELS) == [], width
        _no_overflow(page)
    texts.append(page.locator("#view").inner_text())
    _go(page, "export")
    expect(page.locator("label[for='export-to']")).to_have_text("Kuni (mitte kaasa arvatud)")
    texts.append(page.locator("#view").inner_text())
    _go(page, "api")
    _api_page_in_estonian(page)
    texts.append(page.locator("#view").inner_text())
    for text in texts:
        assert "lugem" not in text.lower()
        assert "`" not in text
    page.set_viewport_size(PHONE)
    page.click("#logout")
    expect(page.locator("button[type=submit]")).to_have_text("Logi sisse")
    expect(page.locator("label[for='password']")).to_have_text("Parool")
    expect(page.locator("label[for='username']")).to_have_text("Kasutajanimi")
    # A signed-out visit: the login page at once, and no request answered 401.
    answers.clear()
    page.reload()
    expect(page.locator("button[type=submit]")).to_have_text("Logi sisse")
    page.wait_for_timeout(500)
    assert answers.refused() == []
    assert [e for e in answers.errors if "401" in e] == []
    assert answers.api() == []
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


def _api_page_in_estonian(page: Page) -> None:
    """Every operation's summary in Estonian as the document gives it; `code` as code."""
    document = page.evaluate("() => fetch('/api/v1/openapi.json').then((r) => r.json())")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            summary = page.locator(f".op[data-path='{path}'][data-method='{method}'] .op-summary")
            expect(summary).to_have_text(operation["x-summary-et"].replace("`", ""))
    stream = page.locator(".op[data-path='/api/v1/stream'] .op-summary code")
    expect(stream).to_have_text(["reading", "status"])
    series = page.locator(".op[data-path='/api/v1/series'][data-method='get']")
    series.locator("summary").first.click()
    expect(series.locator(".op-description code", has_text="partial: true")).to_be_visible()
    expect(series).to_contain_text("Parameetrid")
    expect(page.locator(".api-tag[data-tag='data']")).to_have_text(
        document["tags"][0]["x-description-et"]
    )
    _no_overflow(page)


def _context(p: Playwright, browser_path: str, lang: str = "en") -> tuple[Browser, BrowserContext]:
    browser = p.chromium.launch(executable_path=browser_path, headless=True)
    context = browser.new_context(
        viewport=PHONE_360, device_scale_factor=1, locale="en-GB", timezone_id="Europe/Tallinn"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(f"localStorage.setItem('hanport.lang', '{lang}')")
    expect.set_options(timeout=TIMEOUT_MS)
    return browser, context


def _sign_in(page: Page, server: Server) -> None:
    """Into a server whose administrator may not exist yet (created here then)."""
    body = json.dumps({"username": "admin", "password": PASSWORD}).encode()
    request = urllib.request.Request(
        server.url + "/api/v1/setup", body, {"Content-Type": "application/json"}, method="POST"
    )
    try:
        urllib.request.urlopen(request, timeout=10).close()
        made = 201
    except urllib.error.HTTPError as error:
        made = error.code
    assert made in (201, 409)  # 409: made already
    page.goto(server.url + "/")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("body[data-route='now']")).to_be_visible()


def test_a_new_install_shows_the_open_periods_at_once(fresh: Server, browser_path: str) -> None:
    """A minute or two of readings, nothing sealed yet: every range draws the period so far."""
    with sync_playwright() as p:
        browser, context = _context(p, browser_path)
        try:
            page = context.new_page()
            _sign_in(page, fresh)
            meters = "() => fetch('/api/v1/meters').then((r) => r.json()).then((d) => d.meters)"
            deadline = time.monotonic() + 60
            while not page.evaluate(meters):  # the first readings are stored within 10 s
                assert time.monotonic() < deadline, "no reading was stored"
                page.wait_for_timeout(500)
            _go(page, "history")
            charts = page.locator("#charts")
            for name in ("hour", "day", "week", "month", "year"):
                page.click(f"button[data-range='{name}']")
                expect(charts).to_have_attribute("data-loaded", name)
                assert int(charts.get_attribute("data-bars") or 0) >= 1, name
                expect(charts).to_have_attribute("data-partial", "1")
                assert int(charts.get_attribute("data-points") or 0) >= 1, name  # lines too
                expect(page.locator("#partial-note")).to_be_visible()
                expect(page.locator(".history-status .msg")).to_have_count(0)  # not "no data"
            expect(page.locator("#partial-note")).to_have_text(
                "Hatched bar: the month so far, still growing"
            )
            _no_overflow(page)
            page.click("button[data-range='day']")
            expect(charts).to_have_attribute("data-loaded", "day")
            page.locator("[data-chart='energy']").scroll_into_view_if_needed()
            _shot(page, "history-new-install.png")
        finally:
            browser.close()


READER_TROUBLE = {
    "status": "reconnecting",
    "retry_in_s": 8,
    "last_rejection": "The telegram's CRC is 1A2B, its text gives 3C4D: check the cable.",
    "rejected_since_reading": 3,
    "unauthenticated": "4C475A6770123456",
    "energy_scales": {"": 10},
    "unverified": True,
}


def test_the_readers_warnings_are_shown(fresh: Server, browser_path: str) -> None:
    """The status fields of a newer server: the reason frames fail, a meter that does not
    authenticate, the energy scale, unverified readings, the reconnect countdown."""
    with sync_playwright() as p:
        browser, context = _context(p, browser_path)
        try:
            page = context.new_page()
            _sign_in(page, fresh)
            expect(page.locator("[data-banner]")).to_have_count(0)  # this server sends none
            _go(page, "meter")
            expect(page.locator("#meter-info dd[data-kind]")).to_have_count(0)

            def trouble(route: Route) -> None:
                answer = route.fetch()
                route.fulfill(response=answer, json={**answer.json(), **READER_TROUBLE})

            context.route("**/api/v1/status", trouble)
            context.route("**/api/v1/stream", lambda route: route.abort())
            page.reload()
            expect(page.locator("[data-banner='unverified']")).to_have_text(
                "Readings are unverified: the meter sends no checksum."
            )
            expect(page.locator("[data-banner='unauthenticated']")).to_contain_text(
                "does not authenticate"
            )
            info = page.locator("#meter-info")
            expect(info).to_contain_text("Why the last frame was rejected")
            expect(info).to_contain_text(READER_TROUBLE["last_rejection"])  # type: ignore[arg-type]
            expect(info).to_contain_text("not authenticated: the meter encrypts its frames")
            expect(info).to_contain_text("4C475A6770123456")
            expect(info).to_contain_text("unverified: the meter sends no checksum")
            expect(info).to_contain_text("Energy register step")
            expect(info).to_contain_text("10 Wh (×10)")
            expect(info).to_contain_text(re.compile(r"reconnecting, next try in [1-8] s"))
            _values_fit(page, "#meter-info dd", 10)
            _no_overflow(page)
            _go(page, "now")
            status = page.locator(".meter-status")
            expect(status).to_have_text(
                re.compile(r"^Meter connection: reconnecting, next try in [1-8] s$")
            )
            first = int(re.findall(r"\d+", status.inner_text())[0])
            expect(status).not_to_have_text(
                f"Meter connection: reconnecting, next try in {first} s"
            )
            later = int(re.findall(r"\d+", status.inner_text())[0])
            assert later < first  # counting down
            page.click("#lang")
            expect(page.locator("[data-banner='unverified']")).to_have_text(
                "Näidud on kontrollimata: arvesti ei saada kontrollsummat."
            )
            expect(status).to_have_text(
                re.compile(r"^Arvesti ühendus: ühendan uuesti, järgmine katse \d s pärast$")
            )
            _go(page, "meter")
            expect(info).to_contain_text("Viimase kaadri tagasilükkamise põhjus")
            expect(info).to_contain_text("Energiaregistri samm")
            expect(info).to_contain_text("puudub: arvesti ei saada kontrollsummat")
            _no_overflow(page)
        finally:
            browser.close()


def test_the_setup_code_is_asked_when_the_server_wants_it(fresh: Server, browser_path: str) -> None:
    """A server listening beyond loopback wants the code hanport run prints (the answers of
    such a server are played here)."""
    sent: list[dict[str, object]] = []
    wants = {"code": True}

    def session(route: Route) -> None:
        if route.request.method != "GET":
            route.fallback()
            return
        body = {"error": "Not signed in.", "setup_needed": True}
        route.fulfill(status=401, json={**body, "setup_code_required": wants["code"]})

    def setup(route: Route) -> None:
        sent.append(dict(route.request.post_data_json or {}))
        error = "The setup code is wrong; hanport run shows it in its terminal."
        route.fulfill(status=403, json={"error": error, "setup_code_required": True})

    with sync_playwright() as p:
        browser, context = _context(p, browser_path)
        try:
            context.route("**/api/v1/session", session)
            context.route("**/api/v1/setup", setup)
            page = context.new_page()
            page.goto(fresh.url + "/")
            code = page.locator("#setup-code")
            expect(code).to_be_visible()
            expect(page.locator("label[for='setup-code']")).to_have_text(
                "Setup code (shown by hanport run in its terminal)"
            )
            page.fill("#username", "admin")
            page.fill("#password", PASSWORD)
            page.fill("#password2", PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator(".msg.error")).to_contain_text("Enter the setup code")
            assert sent == []
            code.fill("K7Q2-9XWD")
            page.click("button[type=submit]")
            expect(page.locator(".msg.error")).to_have_text(
                "The setup code is not right: hanport run shows it in its terminal."
            )
            assert sent == [{"username": "admin", "password": PASSWORD, "setup_code": "K7Q2-9XWD"}]
            page.click("#lang")
            expect(page.locator("label[for='setup-code']")).to_have_text(
                "Seadistuskood (hanport run näitab seda oma terminalis)"
            )
            page.click("#lang")
            wants["code"] = False  # a server on loopback: no code asked, none sent
            sent.clear()
            page.reload()
            expect(page.locator("#password2")).to_be_visible()
            expect(code).to_be_hidden()
            page.fill("#username", "admin")
            page.fill("#password", PASSWORD)
            page.fill("#password2", PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator(".msg.error")).to_be_visible()
            assert sent == [{"username": "admin", "password": PASSWORD}]
        finally:
            browser.close()


def test_the_app_asks_for_errors_in_its_language(fresh: Server, browser_path: str) -> None:
    """api.js sends the app's language as Accept-Language; the server's sentence comes back in
    it and is shown as it comes (errorText), with its code beside it."""
    probe = """async () => {
        const { api, errorText } = await import("/static/js/api.js");
        try { await api("/api/v1/energy?period=week"); } catch (error) {
            return [errorText(error), error.body.code, error.body.parameter];
        }
        return null;
    }"""
    with sync_playwright() as p:
        browser, context = _context(p, browser_path, lang="et")
        try:
            page = context.new_page()
            languages: list[str | None] = []
            page.on("request", lambda r: languages.append(r.headers.get("accept-language")))
            _sign_in(page, fresh)
            said = page.evaluate(probe)
            assert said[0].startswith("period='week' pole lubatud; kasuta üht järgmistest:")
            assert said[1:] == ["web.parameter_not_allowed", "period"]
            assert "et" in languages  # every API request says the app's language
            page.click("#lang")
            assert page.evaluate(probe)[0].startswith("period='week' is not allowed; use ")
        finally:
            browser.close()


def test_chromium_is_debians() -> None:
    """The test drives the system browser; Playwright's own downloads are never used."""
    assert shutil.which(_chromium()) is not None
