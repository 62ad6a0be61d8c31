"""hanport export: readings and rollups of a period as CSV or JSON lines."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import hanport
from hanport.cli import main
from hanport.model import READING_FIELDS, Reading
from hanport.simulator import HomeSimulator
from hanport.store.sqlite import SqliteStore


@pytest.fixture
def database(tmp_path: Path) -> tuple[Path, list[Reading]]:
    simulator = HomeSimulator(seed=4, start=datetime(2026, 1, 10, 6, 0, tzinfo=UTC))
    readings = hanport.decode(b"".join(simulator.next_telegram() for _ in range(800)))
    path = tmp_path / "hanport.db"
    store = SqliteStore(path, ZoneInfo("Europe/Tallinn"))
    store.write(readings)
    store.close()
    return path, readings


def test_readings_as_csv(
    database: tuple[Path, list[Reading]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, readings = database
    out = tmp_path / "out.csv"
    args = ["export", "--database", str(path), "--from", "2026-01-10", "--to", "2026-01-11"]
    assert main([*args, "--output", str(out)]) == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [name for name in READING_FIELDS if name != "extra"]
    assert len(rows) == 1 + len(readings)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["power_import_w"] == str(readings[0].power_import_w)
    assert first["voltage_l1_v"] == str(readings[0].voltage_l1_v)
    assert first["meter_time"].startswith("2026-01-10T08:00:00+02:00")
    assert "Exported 800 rows." in capsys.readouterr().err


def test_hourly_rollups_as_json(
    database: tuple[Path, list[Reading]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, readings = database
    args = ["export", "--database", str(path), "--from", "2026-01-10", "--to", "2026-01-11"]
    assert main([*args, "--step", "1h", "--format", "json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2  # the third hour is still open
    registers = [r.energy_import_wh or 0 for r in readings]
    assert lines[0]["energy_import_wh"] == registers[359] - registers[0]
    assert lines[1]["energy_import_wh"] == registers[719] - registers[359]
    assert lines[0]["start"] == "2026-01-10T08:00:00+02:00"
    assert isinstance(lines[0]["voltage_l1_v_mean"], float)  # a JSON number, not a string
    assert lines[0]["readings"] == 360


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--from", "yesterday"], "is not a date or time"),
        (["--to", "2026-01-01"], "--to must come after --from"),
        (["--meter", "X"], "has no meter 'X'"),
    ],
)
def test_mistakes_are_one_sentence(
    database: tuple[Path, list[Reading]],
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    words: str,
) -> None:
    path, _ = database
    args = ["export", "--database", str(path), "--from", "2026-01-10", "--to", "2026-01-11"]
    assert main([*args, *extra]) == 2
    assert words in capsys.readouterr().err


def test_no_database_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.db"
    args = ["export", "--database", str(missing), "--from", "2026-01-10", "--to", "2026-01-11"]
    assert main(args) == 2
    assert "There is no database" in capsys.readouterr().err


def test_progress_bar_on_a_terminal_only() -> None:
    import io

    from hanport.export import terminal_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert terminal_progress(io.StringIO()) is None
    screen = Terminal()
    show = terminal_progress(screen)
    assert show is not None
    show(0.5)
    show(1.0)
    assert "[###############...............]  50%" in screen.getvalue()
    assert screen.getvalue().endswith("100%\n")
