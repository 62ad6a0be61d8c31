"""Packaging: a wheel built from a clean clone carries the app's chart library, the sdist does
too (so a wheel built from it needs no npm), and the wheel installed into a fresh venv with no
npm on PATH serves the app, charts included; `pipx install` and `uv tool install` of the same
wheel (both taken from PyPI into a venv of their own) give a `hanport` that runs.

It clones the committed HEAD (uncommitted changes are not in it) and needs PyPI and the npm
registry, like any build; about a minute. `-m "not packaging"` leaves it out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
VENDOR = "hanport/web/static/vendor"
CHARTS = ("uPlot.iife.min.js", "uPlot.min.css")
NO_NPM = "/nonexistent"


def _run(command: list[str], **options: object) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **options)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"


def _build(source: Path, out: Path, kind: str, path: str) -> Path:
    _run([sys.executable, "-m", "build", f"--{kind}", "--outdir", str(out), str(source)],
         env={**os.environ, "PATH": path})  # fmt: skip
    (built,) = out.glob("*.whl" if kind == "wheel" else "*.tar.gz")
    return built


def test_wheel_from_a_clean_clone_serves_the_app_without_npm(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    _run(["git", "clone", "--quiet", str(ROOT), str(clone)])
    assert not (clone / VENDOR).exists()  # never committed: the build fetches it

    wheel = _build(clone, tmp_path / "dist", "wheel", os.environ["PATH"])
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        chart = archive.read(f"{VENDOR}/uPlot.iife.min.js")
    assert {f"{VENDOR}/{name}" for name in (*CHARTS, "LICENSE")} <= names
    assert "hanport/web/static/js/app.js" in names

    sdist = _build(clone, tmp_path / "sdist", "sdist", os.environ["PATH"])
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    assert (unpacked / VENDOR / CHARTS[0]).read_bytes() == chart
    assert shutil.which("npm", path=NO_NPM) is None
    from_sdist = _build(unpacked, tmp_path / "from-sdist", "wheel", NO_NPM)
    with zipfile.ZipFile(from_sdist) as archive:
        assert archive.read(f"{VENDOR}/uPlot.iife.min.js") == chart

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    path = str(venv / "bin")
    assert shutil.which("npm", path=path) is None
    _run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)],
         env={**os.environ, "PATH": path})  # fmt: skip
    _serves_the_app(venv / "bin" / "hanport", tmp_path, path, chart)
    _installs_as_a_tool(wheel, tmp_path)


def _installs_as_a_tool(wheel: Path, folder: Path) -> None:
    """The ways docs/install.md offers: `pipx install ./dist/….whl`, `uv tool install ….whl`."""
    tools = folder / "tools"
    _run([sys.executable, "-m", "venv", str(tools)])
    _run([str(tools / "bin" / "pip"), "install", "--quiet", "pipx", "uv"])
    path = f"{tools / 'bin'}:/usr/bin:/bin"
    for tool, command, bin_dir, home in (
        ("pipx", ["pipx", "install", str(wheel)], "PIPX_BIN_DIR", "PIPX_HOME"),
        ("uv", ["uv", "tool", "install", str(wheel)], "UV_TOOL_BIN_DIR", "UV_TOOL_DIR"),
    ):
        bin_folder = folder / tool / "bin"
        environ = {**os.environ, "PATH": path, bin_dir: str(bin_folder)}
        environ |= {home: str(folder / tool / "home"), "UV_CACHE_DIR": str(folder / "uv-cache")}
        _run([str(tools / "bin" / command[0]), *command[1:]], env=environ)
        version = subprocess.run([str(bin_folder / "hanport"), "--version"],
                                 capture_output=True, text=True, check=False)  # fmt: skip
        assert version.returncode == 0, (tool, version)
        assert "hanport" in version.stdout, (tool, version)


def _serves_the_app(hanport: Path, folder: Path, path: str, chart: bytes) -> None:
    environ = {"PATH": path, "HOME": str(folder), "HANPORT_DATABASE": str(folder / "run.db")}
    command = [str(hanport), "run", "--interval", "0.5", "--port", "0"]
    process = subprocess.Popen(
        command, cwd=folder, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        url = _announced(process)
        with httpx.Client(base_url=url, timeout=10) as client:
            for page in ("/", "/static/js/app.js", *(f"/static/vendor/{n}" for n in CHARTS)):
                answer = client.get(page)
                assert answer.status_code == 200, (page, answer.status_code)
            assert client.get("/static/vendor/uPlot.iife.min.js").content == chart
            assert "uPlot.min.css" in client.get("/static/js/charts.js").text
    finally:
        process.kill()
        process.communicate()


def _announced(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"(https?://\S+:\d+)", line)
        if found:
            return found.group(1)
        if not line and process.poll() is not None:
            break
    process.kill()
    _, err = process.communicate()
    raise AssertionError(f"the installed hanport run did not announce the app: {err}")
