"""`hanport quality report`: the report of a period from a database of the simulator's voltage
scenario, as CSV (events with phase and times, then the weekly figures) and as PDF (rendered to
PNG by poppler, its text and figures checked), in English and Estonian."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hanport.cli.main import main
from hanport.store import open_store
from quality.test_report import colour_count, page_pixels, pdf_text
from quality.voltage_readings import voltage_readings

PERIOD = ["--from", "2026-03-02", "--to", "2026-03-08"]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quality") / "hanport.db"
    store = open_store(str(path), ZoneInfo("Europe/Tallinn"))
    store.write(list(voltage_readings()))
    store.close()
    return path


def _report(database: Path, *extra: str) -> int:
    return main(["quality", "report", *PERIOD, "--database", str(database), *extra])


def test_the_csv_lists_each_event_then_the_weekly_figures(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.csv"
    assert _report(database, "--format", "csv", "--output", str(out)) == 0
    assert str(out) in capsys.readouterr().err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    blank = rows.index([])
    events, weeks = rows[2:blank], rows[blank + 3 :]
    assert rows[1][:5] == ["kind", "description", "phase", "start", "end"]
    by_kind = {(row[0], row[2]): row for row in events}
    sag = by_kind[("undervoltage", "L2")]
    assert (sag[3], sag[4]) == ("2026-03-03T18:00:00+02:00", "2026-03-03T18:40:00+02:00")
    assert sag[8] == "193.00"
    neutral = by_kind[("broken_neutral", "L1 L3")]
    assert (neutral[3], neutral[4]) == ("2026-03-07T20:00:00+02:00", "2026-03-07T20:02:00+02:00")
    over = by_kind[("overvoltage", "L1")]
    assert over[3:5] == ["2026-03-05T11:00:00+02:00", "2026-03-05T15:00:00+02:00"]
    assert rows[blank + 1] == ["weekly figures"]
    header = rows[blank + 2]
    figures = {row[header.index("phase")]: dict(zip(header, row, strict=True)) for row in weeks}
    assert set(figures) == {"L1", "L2", "L3"}
    assert figures["L1"]["within_band_pct"] == "97.61"  # 983 of 1007 complete means
    assert figures["L2"]["within_band_pct"] == "99.60"  # 1003 of 1007
    assert figures["L3"]["verdict"] == "pass"
    assert figures["L2"]["verdict"] == "fail"  # one mean below 195.5 V


def test_the_pdf_renders_with_its_figures_and_text(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert _report(database, "--format", "pdf", "--output", str(out)) == 0
    pdf = out.read_bytes()
    text = pdf_text(pdf, tmp_path)
    assert "Supply voltage quality report" in text
    assert "97.61" in text
    assert "99.60" in text
    assert "Broken neutral" in text
    assert "flicker" in text  # what 10-s data cannot show
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(out),
                    str(tmp_path / "png")], check=True)  # fmt: skip
    (png,) = tmp_path.glob("png-*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, pixels = page_pixels(pdf, tmp_path, page=1)
    assert width * height * 3 == len(pixels)
    assert colour_count(pixels, (0xD9, 0xF0, 0xD3), 4) > 5000  # the chart's 207–253 V band
    assert colour_count(pixels, (0x8C, 0x4A, 0x0C), 40) > 50  # L1 brown line


def test_the_estonian_report(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "aruanne.pdf"
    assert main(["--lang", "et", "quality", "report", *PERIOD, "--database", str(database),
                 "--output", str(out)]) == 0  # fmt: skip
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "Toitepinge kvaliteedi aruanne" in text
    assert "Nulljuhtme" in text  # "Nulljuhtme katkestus", wrapped in its table cell
    assert "97,61" in text


def test_a_period_backwards_is_one_sentence(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["quality", "report", "--from", "2026-03-08", "--to", "2026-03-02",
                 "--database", str(database)])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("hanport: ")
    assert "--from" in err
    assert "Traceback" not in err
