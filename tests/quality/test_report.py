"""The report: PDF rendered to pictures and text, CSV, JSON, in English and Estonian."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from hanport.i18n import text
from hanport.quality import Method, QualitySettings, analyse
from hanport.quality.report import QualityReport, SiteInfo, build_report, report_json, report_span
from hanport.quality.report_csv import report_csv
from hanport.quality.report_pdf import report_pdf
from hanport.quality.scenarios import TALLINN, voltage_week

INFO = SiteInfo("LGF5E360", "Landis+Gyr E360", "Talu 3, Kose vald", "38ZEE-00123456-7")
MADE = datetime(2026, 3, 9, 9, 0, tzinfo=TALLINN)


def poppler() -> None:
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "poppler-utils"], check=True,
                       capture_output=True)  # fmt: skip
    assert shutil.which("pdftoppm")
    assert shutil.which("pdftotext")


def week_report(language: str, method: Method | None = None) -> QualityReport:
    method = method or Method()
    analysis = analyse(voltage_week(), datetime(2026, 3, 9, tzinfo=TALLINN), method)
    return build_report(INFO, date(2026, 3, 2), date(2026, 3, 8), analysis.windows,
                        analysis.events, method, MADE, language)  # fmt: skip


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    poppler()
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True)
    return out.stdout.decode()


def page_pixels(pdf: bytes, tmp_path: Path, page: int = 1) -> tuple[int, int, bytes]:
    """Page `page` rendered by poppler, as (width, height, RGB bytes) from its PPM."""
    poppler()
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), str(path),
                    str(prefix)], check=True)  # fmt: skip
    (image,) = tmp_path.glob("page-*.ppm")
    data = image.read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert (magic, depth) == (b"P6", b"255")
    return int(width), int(height), pixels


def colour_count(pixels: bytes, rgb: tuple[int, int, int], tolerance: int = 12) -> int:
    count = 0
    for i in range(0, len(pixels) - 2, 3):
        if all(abs(pixels[i + k] - rgb[k]) <= tolerance for k in range(3)):
            count += 1
    return count


def test_the_english_pdf_says_what_it_found(tmp_path: Path) -> None:
    pdf = report_pdf(week_report("en"))
    assert pdf.startswith(b"%PDF")
    words = " ".join(pdf_text(pdf, tmp_path).split())
    for expected in (
        "Supply voltage quality report", "Talu 3, Kose vald", "38ZEE-00123456-7",
        "LGF5E360 · Landis+Gyr E360", "2026-03-02 – 2026-03-08", "three-phase, main fuse 25 A",
        "L1: does not comply", "L3: complies", "1007/1008", "97.61 %", "99.60 %", "99.90 %",
        "100.00 %", "4 h 2 min", "193.00–231.00", "Broken neutral", "2026-03-07 20:00:00",
        "peak 3.93 %", "worst mean 193.00 V", "10-minute means, week of 2026-03-02",
        "What 10-second data cannot show", "flicker", "harmonics", "negative-sequence",
        "cuts the network fees by 80 %",
    ):  # fmt: skip
        assert expected in words, expected


def test_the_estonian_pdf_is_estonian(tmp_path: Path) -> None:
    words = " ".join(pdf_text(report_pdf(week_report("et")), tmp_path).split())
    for expected in (
        "Toitepinge kvaliteedi aruanne", "kolmefaasiline, peakaitse 25 A",
        "02.03.2026 – 08.03.2026",
        "L1: ei vasta", "L3: vastab", "97,61 %", "99,90 %", "Nulljuhtme",
        "07.03.2026 20:00:00", "suurim 3,93 %", "Mida 10-sekundilised andmed ei näita",
        "värelus", "harmoonikud", "vähendab võrgutasusid 80 %", "näitu",
    ):  # fmt: skip
        assert expected in words, expected
    assert "complies" not in words


def test_the_chart_shows_the_bands_and_every_phase(tmp_path: Path) -> None:
    width, height, pixels = page_pixels(report_pdf(week_report("en")), tmp_path)
    assert width * height * 3 == len(pixels)
    assert colour_count(pixels, (0xD9, 0xF0, 0xD3), 4) > 5000  # the 207–253 V band
    assert colour_count(pixels, (0xFD, 0xE9, 0xB8), 4) > 1000  # down to 195.5 V
    assert colour_count(pixels, (0x8C, 0x4A, 0x0C), 40) > 50  # L1 brown line
    assert colour_count(pixels, (0x8A, 0x8A, 0x8A), 10) > 100  # L3's grey line


def test_a_week_without_its_pv_day_has_no_overvoltage_and_less_coverage(tmp_path: Path) -> None:
    method = Method()
    rows = [r for r in voltage_week() if r[0].astimezone(TALLINN).weekday() != 3]
    analysis = analyse(rows, datetime(2026, 3, 9, tzinfo=TALLINN), method)
    report = build_report(INFO, date(2026, 3, 2), date(2026, 3, 8), analysis.windows,
                          analysis.events, method, MADE, "en")  # fmt: skip
    words = " ".join(pdf_text(report_pdf(report), tmp_path).split())
    assert "Overvoltage" not in words
    assert "863/1008" in words  # a day without readings: 144 windows fewer, and the gap


def test_the_pdf_is_reproducible() -> None:
    assert report_pdf(week_report("en")) == report_pdf(week_report("en"))


def test_changed_limits_are_said_in_the_report(tmp_path: Path) -> None:
    method = Method(QualitySettings(band_low_v=Decimal(210)))
    words = " ".join(pdf_text(report_pdf(week_report("en", method)), tmp_path).split())
    assert "differ from EN 50160" in words
    assert "210.0–253.0 V" in words


def test_the_csv_lists_events_then_weeks() -> None:
    rows = list(csv.reader(io.StringIO(report_csv(week_report("en")))))
    assert rows[0] == ["events"]
    assert rows[1][:6] == ["kind", "description", "phase", "start", "end", "duration_s"]
    events = rows[2 : rows.index([])]
    assert len(events) == 8
    neutral = next(r for r in events if r[0] == "broken_neutral")
    assert neutral[2:8] == ["L1 L3", "2026-03-07T20:00:00+02:00", "2026-03-07T20:02:00+02:00",
                            "120", "188", "268"]  # fmt: skip
    weeks = rows[rows.index([]) + 1 :]
    assert weeks[0] == ["weekly figures"]
    assert [r[2] for r in weeks[2:]] == ["L1", "L2", "L3"]
    l2 = weeks[3]
    assert l2[3:10] == ["1008", "1007", "1", "1003", "99.60", "1006", "99.90"]
    assert l2[-1] == "fail"


def test_the_estonian_csv_names_its_columns_in_estonian() -> None:
    rows = list(csv.reader(io.StringIO(report_csv(week_report("et")))))
    assert rows[0] == ["sündmused"]
    assert rows[1][:3] == ["liik", "kirjeldus", "faas"]
    assert rows[2][1] == text(f"quality.kind_{rows[2][0]}", "et")


def test_the_json_has_exact_numbers() -> None:
    body = json.loads(report_json(week_report("en")), parse_float=Decimal)
    assert body["verdicts"] == {"l1": "fail", "l2": "fail", "l3": "pass"}
    assert body["limits"]["wide_band_v"] == [Decimal("195.5"), 253]
    l1 = body["weeks"][0]["phases"][0]
    assert (l1["within_band_pct"], l1["at_trip_s"]) == (Decimal("97.61"), 14520)
    assert len(body["windows"]) == 1008
    assert body["windows"][0][1] == Decimal("233.00")
    assert "windows" not in json.loads(report_json(week_report("en"), "summary"))


def test_a_month_report_takes_the_whole_weeks_around_it() -> None:
    method = Method()
    start, end = report_span(date(2026, 3, 1), date(2026, 3, 31), method)
    assert start == datetime(2026, 2, 23, tzinfo=TALLINN)  # the Monday before
    assert end == datetime(2026, 4, 6, tzinfo=TALLINN)
    assert (end - start) == timedelta(days=42, hours=-1)  # DST on 29 March
    with pytest.raises(ValueError, match="ends before"):
        report_span(date(2026, 3, 2), date(2026, 3, 1), method)


def test_report_bytes_in_each_form() -> None:
    from hanport.quality.report import report_bytes

    report = week_report("en")
    assert report_bytes(report, "pdf").startswith(b"%PDF-")
    assert report_bytes(report, "csv").startswith(b"events\r\n")
    assert json.loads(report_bytes(report, "json"))["to"] == "2026-03-08"
