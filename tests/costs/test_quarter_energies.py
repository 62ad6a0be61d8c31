"""The ledger's slots from import and export registers (the rule is tested in tests/store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hanport.costs.boundary import quarter_energies

T0 = datetime(2026, 1, 14, 12, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_quarter_energies_reads_import_and_export() -> None:
    readings = [(at(m), 1000 + 10 * m, None if m < 10 else 5 * m) for m in range(0, 31, 5)]
    slots = list(quarter_energies(readings, timedelta(minutes=5)))
    # a meter without an export register counts 0 until it has one
    assert [(s.import_wh, s.export_wh, s.gap) for s in slots] == [
        (150, 75, False),
        (150, 75, False),
    ]
