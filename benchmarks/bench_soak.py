"""Soak: `hanport run` for weeks of simulated time with every part on; RSS must stay flat.

    python benchmarks/bench_soak.py [--minutes 360] [--speed 100] [--sample-s 60]

Starts a private Mosquitto and a local fake of Elering's price API (tests/costs/fake_servers.py,
so nothing leaves the machine), then `hanport run --source "sim://?speed=100"` with every
household part on: storage, MQTT (a subscriber counts the state messages), the app, prices and
costs, EV control (the OCPP server listening on loopback), voltage quality, alerts (to MQTT),
scheduled backups, and the console; and a headless
Chromium tab (Debian's /usr/bin/chromium through Playwright) signed in on the live page, which
visits the history every tenth sample. Samples the resident memory of `hanport run` every
--sample-s seconds, keeps its log, and at the end prints the RSS curve, the growth (the highest
RSS of the last sixth of the run against the highest of the first sixth after a warm-up of
ten minutes, or a sixth of a shorter run), the errors found in the log and PASS or FAIL:
growth within 5 % and no error.

At 100× real time 6 h are 25 simulated days (the issue asks for 24). Not part of ./scripts/test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bench_mqtt import mosquitto
from costs.fake_servers import FakeState, fake_server, quarter_hours

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "soak test password"
_ERRORS = re.compile(r"traceback|exception|error|failed|cannot|could not", re.IGNORECASE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=360.0, help="how long (default 6 h)")
    parser.add_argument("--speed", type=float, default=100.0, help="simulator speed")
    parser.add_argument("--sample-s", type=float, default=60.0, help="seconds between samples")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hanport-soak-"))
    with mosquitto() as port, fake_server(_a_month_of_prices()) as prices_url:
        counter = _MqttCounter(port)
        process = _start(folder, port, prices_url, args.speed)
        try:
            url = _announced(process)
            samples, errors = _soak(process, url, args)
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
            counter.stop()
    log = (folder / "run.log").read_text(errors="replace").splitlines()
    errors += [line for line in log if _ERRORS.search(line)]
    return _report(samples, errors, counter.count, args, folder)


def _a_month_of_prices() -> FakeState:
    """Quarter-hour prices from a week back to a month ahead, cheap at night."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return FakeState(
        quarter_hours(
            today - timedelta(days=7),
            today + timedelta(days=31),
            lambda moment: Decimal(40 if moment.hour < 6 else 120),
        )
    )


def _start(folder: Path, port: int, prices_url: str, speed: float) -> subprocess.Popen[str]:
    environ = {
        **os.environ,
        "HANPORT_DATABASE": str(folder / "soak.db"),
        "HANPORT_MQTT_URL": f"mqtt://127.0.0.1:{port}",
        "HANPORT_MQTT_PREFIX": "soak",
        "HANPORT_PRICES_SOURCE": "elering",
        "HANPORT_PRICES_URL": prices_url,
        "HANPORT_EV_OCPP_LISTEN": "127.0.0.1:0",
        "HANPORT_QUALITY_ENABLED": "yes",
        "HANPORT_ALERTS_ENABLED": "yes",
    }
    environ.pop("HANPORT_CONFIG", None)
    command = [sys.executable, "-m", "hanport", "run", "--source", f"sim://?speed={speed:g}"]
    command += ["--port", "0"]
    log = (folder / "run.log").open("w")
    return subprocess.Popen(
        command, cwd=folder, env=environ, stdout=subprocess.PIPE, stderr=log, text=True
    )


def _announced(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"(https?://\S+:\d+)", line)
        if found:
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            return found.group(1)
    raise SystemExit("hanport run did not announce the app")


def _drain(process: subprocess.Popen[str]) -> None:
    """The console prints every reading: read it so the pipe never fills."""
    assert process.stdout is not None
    for _ in process.stdout:
        pass


def _soak(
    process: subprocess.Popen[str], url: str, args: argparse.Namespace
) -> tuple[list[tuple[float, int]], list[str]]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=True)
    samples: list[tuple[float, int]] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page()
        page.on("pageerror", lambda error: errors.append(f"browser: {error}"))
        page.goto(url)
        page.evaluate(
            """async (password) => {
                const answer = await fetch('/api/v1/setup', {method: 'POST',
                    headers: {'Content-Type': 'application/json'},
                    body: JSON.stringify({username: 'admin', password})});
                if (answer.status !== 201) throw new Error('setup ' + answer.status);
            }""",
            PASSWORD,
        )
        page.goto(f"{url}/#/now")
        start = time.monotonic()
        end = start + args.minutes * 60
        number = 0
        while time.monotonic() < end and process.poll() is None:
            samples.append((time.monotonic() - start, _rss_kib(process.pid)))
            number += 1
            route = "history" if number % 10 == 0 else "now"
            if number % 10 in (0, 1):
                page.goto(f"{url}/#/{route}")
            page.wait_for_timeout(min(args.sample_s, max(end - time.monotonic(), 0)) * 1000)
        if process.poll() is not None:
            errors.append(f"hanport run exited early with status {process.returncode}")
        browser.close()
    return samples, errors


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class _MqttCounter:
    """Counts the state messages hanport publishes (a paho client on its own thread)."""

    def __init__(self, port: int) -> None:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        self.count = 0
        self._client = paho.Client(CallbackAPIVersion.VERSION2, client_id="soak-counter")
        self._client.on_connect = lambda c, *_: c.subscribe("soak/+/state")
        self._client.on_message = self._on_message
        self._client.connect("127.0.0.1", port)
        self._client.loop_start()

    def _on_message(self, *_: object) -> None:
        self.count += 1

    def stop(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()


def _report(
    samples: list[tuple[float, int]],
    errors: list[str],
    mqtt_messages: int,
    args: argparse.Namespace,
    folder: Path,
) -> int:
    if len(samples) < 6:
        print(f"Too few samples ({len(samples)}); run longer.")
        return 1
    warm_up_s = min(600.0, samples[-1][0] / 6)  # caches fill first (SQLite's, the app's)
    warm = [s for s in samples if s[0] >= warm_up_s] or samples
    sixth = max(len(warm) // 6, 1)
    first = max(rss for _, rss in warm[:sixth])
    last = max(rss for _, rss in warm[-sixth:])
    growth = (last - first) / first * 100
    elapsed = samples[-1][0]
    print(f"hanport soak: {elapsed / 60:.1f} min at {args.speed:g}×, "
          f"{elapsed * args.speed / 86_400:.1f} simulated days")  # fmt: skip
    print(
        f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print(
        "RSS (MiB) by minute:",
        json.dumps([[round(t / 60, 1), round(r / 1024, 1)] for t, r in samples]),
    )
    print(f"RSS: first sixth max {first / 1024:.1f} MiB, last sixth max {last / 1024:.1f} MiB, "
          f"growth {growth:+.1f} % (limit +5 %)")  # fmt: skip
    print(f"MQTT state messages received: {mqtt_messages}")
    database = folder / "soak.db"
    print(f"database: {database.stat().st_size / 1e6:.1f} MB" if database.exists() else "no db")
    print(f"errors in the log: {len(errors)}")
    for line in errors[:20]:
        print(f"  {line}")
    verdict = growth <= 5 and not errors and mqtt_messages > 0
    print("PASS" if verdict else "FAIL")
    shutil.rmtree(folder, ignore_errors=True)
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
