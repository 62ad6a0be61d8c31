"""hanport export: readings and rollups of a period as CSV or JSON lines."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import hanport
from hanport.cli.main import main
from hanport.model import READING_FIELDS, Reading
from hanport.sim.home import HomeSimulator
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
    before, *lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (before["readings"], before["gap"]) == (1, 1)  # 08:00:00 closes the hour before
    assert len(lines) == 2  # the third hour is still open: exported once it has closed
    registers = [r.energy_import_wh or 0 for r in readings]
    assert lines[0]["energy_import_wh"] == registers[360] - registers[0]
    assert lines[1]["energy_import_wh"] == registers[720] - registers[360]
    assert lines[0]["start"] == "2026-01-10T08:00:00+02:00"
    assert isinstance(lines[0]["voltage_l1_v_mean"], float)  # a JSON number, not a string
    assert lines[0]["readings"] == 360
    assert lines[0]["legacy"] == 0


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


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only() -> None:
    from hanport.cli.export import terminal_progress

    assert terminal_progress(io.StringIO()) is None
    screen = Terminal()
    show = terminal_progress(screen)
    assert show is not None
    show(0.5, 1200)
    show(1.0, 2400)
    assert "\r[###############...............]  50%  1200 rows" in screen.getvalue()
    assert "\r[##############################] 100%  2400 rows" in screen.getvalue()
    assert screen.getvalue().endswith("\r\x1b[K")  # the bar is gone when it is done


def test_a_long_export_draws_the_bar_as_it_goes(
    database: tuple[Path, list[Reading]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, _ = database
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    args = ["export", "--database", str(path), "--from", "2026-01-10", "--to", "2026-01-11"]
    assert main([*args, "--output", str(tmp_path / "out.csv")]) == 0
    drawn = screen.getvalue()
    assert "] " in drawn
    assert "  800 rows" in drawn  # the last state of the bar, then the sentence
    assert drawn.endswith("Exported 800 rows.\n")


def test_one_row_is_one_row_in_both_languages(
    database: tuple[Path, list[Reading]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = database
    args = ["export", "--database", str(path), "--from", "2026-01-10T08:00", "--to"]
    assert main(["--lang", "en", *args, "2026-01-10T08:00:05"]) == 0
    assert capsys.readouterr().err == "Exported 1 row.\n"
    assert main(["--lang", "en", *args, "2026-01-10T08:00:15"]) == 0
    assert capsys.readouterr().err == "Exported 2 rows.\n"
    assert main(["--lang", "et", *args, "2026-01-10T08:00:05"]) == 0
    assert capsys.readouterr().err == "Eksporditud 1 rida.\n"
    assert main(["--lang", "et", *args, "2026-01-10T08:00:15"]) == 0
    assert capsys.readouterr().err == "Eksporditud 2 rida.\n"


def test_an_output_that_cannot_be_written_is_one_sentence(
    database: tuple[Path, list[Reading]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = database
    args = ["export", "--database", str(path), "--from", "2026-01-10", "--to", "2026-01-11"]
    assert main(["--lang", "en", *args, "--output", "/nonexistent/dir/x.csv"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "hanport: Cannot write /nonexistent/dir/x.csv: no such file or directory; check that "
        "the folder exists and is writable.\n"
    )


def test_an_empty_database_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.db"
    SqliteStore(empty, ZoneInfo("Europe/Tallinn")).close()
    args = ["export", "--database", str(empty), "--from", "2026-01-10", "--to", "2026-01-11"]
    assert main(["--lang", "en", *args]) == 2
    assert "holds no readings yet" in capsys.readouterr().err


def test_export_to_a_closed_pipe_ends_quietly(database: tuple[Path, list[Reading]]) -> None:
    path, _ = database
    command = [sys.executable, "-m", "hanport", "export", "--database", str(path)]
    command += ["--from", "2026-01-10", "--to", "2026-01-11"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b"meter_id,")
        process.stdout.close()  # `| head -1`: the reader has gone
        _, err = process.communicate(timeout=30)
    assert b"Traceback" not in err
    assert err == b""
    assert process.returncode == 141
