"""Write the sample reports of docs/samples from the simulator's `scenario=voltage`: a week of
its telegrams decoded, stored in a database of their own, and reported from there as
`hanport quality report` does.

python -m hanport.quality.samples docs/samples
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from hanport import decode
from hanport.grid import Site
from hanport.quality.report import QualityReport
from hanport.quality.settings import QualitySettings
from hanport.quality.stored_report import ReportRequest, stored_report
from hanport.sim.home import HomeSimulator
from hanport.sim.voltage import TALLINN
from hanport.store import open_store

__all__ = ["sample_reports", "write_samples"]

SETTINGS = QualitySettings(
    site_name="Sample site (simulated data)", metering_point="38ZEE-00000000-0"
)
MONDAY = datetime(2026, 3, 2, tzinfo=TALLINN)


def sample_reports(languages: tuple[str, ...] = ("en", "et")) -> list[QualityReport]:
    simulator = HomeSimulator(seed=3, start=MONDAY, scenario="voltage")
    readings = decode(b"".join(simulator.next_telegram() for _ in range(7 * 24 * 360)))
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "sample.db"), TALLINN)
        try:
            store.write(readings)
            made = datetime(2026, 3, 9, 9, 0, tzinfo=TALLINN)
            meter = readings[0].meter_id or ""
            return [
                stored_report(
                    store,
                    ReportRequest(
                        meter, date(2026, 3, 2), date(2026, 3, 8), SETTINGS, Site(), 10, lang, made
                    ),
                )
                for lang in languages
            ]
        finally:
            store.close()


def write_samples(folder: Path) -> list[Path]:
    from hanport.quality.report_csv import report_csv
    from hanport.quality.report_pdf import report_pdf

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for report in sample_reports():
        language = report.language
        pdf, table = (
            folder / f"quality-report-{language}.pdf",
            folder / f"quality-report-{language}.csv",
        )
        pdf.write_bytes(report_pdf(report))
        table.write_text(report_csv(report), encoding="utf-8", newline="")
        written += [pdf, table]
    return written


if __name__ == "__main__":
    for path in write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/samples")):
        print(path)
