"""Write the sample reports of docs/samples from the simulated week (`scenarios.voltage_week`).

python -m hanport.quality.samples docs/samples
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from hanport.quality.analysis import analyse
from hanport.quality.report import QualityReport, SiteInfo, build_report
from hanport.quality.scenarios import TALLINN, voltage_week
from hanport.quality.windows import Method

__all__ = ["sample_report", "write_samples"]

SAMPLE_SITE = SiteInfo(
    meter_id="LGF5E360-SAMPLE",
    meter_model="Landis+Gyr E360 (simulated)",
    site_name="Sample site (simulated data)",
    metering_point="38ZEE-00000000-0",
)


def sample_report(language: str) -> QualityReport:
    method = Method()
    analysis = analyse(voltage_week(), datetime(2026, 3, 9, tzinfo=TALLINN), method)
    made = datetime(2026, 3, 9, 9, 0, tzinfo=TALLINN)
    return build_report(
        SAMPLE_SITE,
        date(2026, 3, 2),
        date(2026, 3, 8),
        analysis.windows,
        analysis.events,
        method,
        made,
        language,
    )


def write_samples(folder: Path) -> list[Path]:
    from hanport.quality.report_csv import report_csv
    from hanport.quality.report_pdf import report_pdf

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for language in ("en", "et"):
        report = sample_report(language)
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
