"""`hanport quality rebuild`: readings of hours already taken in (an import of an older capture)
are in the figures only after a rebuild, which computes every kept figure anew."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest

from hanport.cli.main import main
from hanport.quality.keeper import catch_up
from hanport.quality.records import load_events
from hanport.quality.windows import Method
from hanport.store import RecordStore, open_store
from quality.voltage_readings import MONDAY, voltage_readings

ZONE = ZoneInfo("Europe/Tallinn")
SAG = datetime(2026, 3, 3, 18, tzinfo=ZONE)
"""The scenario's undervoltage on L2, 18:00–18:40 on Tuesday."""


def _kinds(path: Path) -> set[tuple[str, datetime]]:
    store = open_store(str(path), ZONE)
    try:
        meter = store.meters()[0].id
        events = load_events(cast(RecordStore, store), meter, MONDAY, MONDAY + timedelta(days=7))
        return {(event.kind, event.start) for event in events}
    finally:
        store.close()


def test_late_readings_come_in_with_a_rebuild(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hanport.db"
    readings = voltage_readings()
    late = [r for r in readings if r.meter_time and SAG <= r.meter_time < SAG + timedelta(hours=1)]
    store = open_store(str(path), ZONE)
    try:
        store.write([r for r in readings if r not in late])
        meter = store.meters()[0].id
        method = Method()
        catch_up(store, meter, method, MONDAY + timedelta(days=7))
        store.write(late)
        catch_up(store, meter, method, MONDAY + timedelta(days=7))
    finally:
        store.close()
    assert ("undervoltage", SAG) not in _kinds(path)  # the late hour was not taken in
    assert main(["quality", "rebuild", "--database", str(path)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Quality figures of {meter} computed anew: 1008 10-minute windows,")
    assert ("undervoltage", SAG) in _kinds(path)
    assert main(["--lang", "et", "quality", "rebuild", "--database", str(path)]) == 0
    assert "kvaliteedinäitajad arvutati uuesti: 1008 10-minutilist akent" in capsys.readouterr().out


def test_rebuild_of_a_missing_database_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quality", "rebuild", "--database", str(tmp_path / "none.db")]) != 0
    err = capsys.readouterr().err
    assert "none.db" in err
    assert "Traceback" not in err
