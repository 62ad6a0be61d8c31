"""Whatever the user gets wrong ends in one sentence (exit status 2), never in a traceback:
unusable databases for every command, wrong flags, unwritable files, closed pipes, and
`--lang et` in Estonian throughout."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hanport.cli.main import main
from hanport.sim.home import HomeSimulator

Capture = pytest.CaptureFixture[str]


def one_sentence(capsys: Capture) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert lines[0].startswith("hanport: ")
    return lines[0]


def not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    return path


COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "run": lambda db: ["run", "--count", "1", "--interval", "0.01", "--no-web"],
    "export": lambda db: [
        "export",
        "--database",
        str(db),
        "--from",
        "2026-01-01",
        "--to",
        "2026-02-01",
    ],
    "user add": lambda db: ["user", "add", "ann", "--password-stdin", "--database", str(db)],
    "user list": lambda db: ["user", "list", "--database", str(db)],
    "token list": lambda db: ["token", "list", "--database", str(db)],
    "token create": lambda db: ["token", "create", "HA", "--user", "ann", "--database", str(db)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_that_is_not_a_database_is_one_sentence_for_every_command(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    database = not_sqlite(tmp_path)
    monkeypatch.setenv("HANPORT_DATABASE", str(database))
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert main(["--lang", "en", *COMMANDS[command](database)]) == 2
    assert "is not a hanport database" in one_sentence(capsys)
    assert main(["--lang", "et", *COMMANDS[command](database)]) == 2
    assert "pole hanporti andmebaas" in one_sentence(capsys)


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"export"}))
def test_a_missing_folder_is_one_sentence_for_every_command(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    database = tmp_path / "missing" / "hanport.db"
    monkeypatch.setenv("HANPORT_DATABASE", str(database))
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert main(["--lang", "en", *COMMANDS[command](database)]) == 2
    assert "does not exist; create it" in one_sentence(capsys)
    assert not database.parent.exists()


@pytest.mark.parametrize("command", ["run", "user add", "token create"])
def test_a_read_only_database_is_one_sentence(
    command: str,
    read_only_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Capture,
) -> None:
    database = read_only_folder / "hanport.db"
    monkeypatch.setenv("HANPORT_DATABASE", str(database))
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert main(["--lang", "en", *COMMANDS[command](database)]) == 2
    sentence = one_sentence(capsys)
    assert "read-only" in sentence or "cannot be" in sentence, sentence


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["run", "--interval", "0"], "--interval must be more than 0, not 0."),
        (["run", "--interval", "-1"], "--interval must be more than 0, not -1."),
        (["run", "--count", "-3"], "--count must be 0 or more, not -3."),
        (["capture", "sim://", "x.bin", "--count", "-1"], "--count must be 0 or more"),
        (["doctor", "sim://", "--seconds", "0"], "--seconds must be more than 0"),
        (["doctor", "sim://", "--key", "zz"], "The key from --key must be 32 hexadecimal"),
        (["doctor", "sim://", "--energy-scale", "5"], '--energy-scale must be "auto", 1 or 10'),
        (["run", "--energy-scale", "100"], '--energy-scale must be "auto", 1 or 10'),
        (["simulate", "--tcp", "0", "--speed", "fast"], "--speed 'fast' must be a positive"),
        (["simulate", "--pty", "--count", "-2"], "--count must be 0 or more"),
        (["simulate", "--pty", "--start", "soon"], "--start 'soon' must be a date and time"),
        (["run", "--source", "tcp://127.0.0.1:99999"], "must be a number from 1 to 65535"),
        (["doctor", "tcp://meter:http"], "must be a number from 1 to 65535"),
    ],
)
def test_wrong_flags_are_one_sentence(argv: list[str], words: str, capsys: Capture) -> None:
    assert main(["--lang", "en", *argv]) == 2
    assert words in one_sentence(capsys)


def test_a_capture_file_given_as_a_serial_port_suggests_a_replay(
    tmp_path: Path, capsys: Capture
) -> None:
    capture = tmp_path / "capture.bin"
    capture.write_bytes(HomeSimulator().next_telegram())
    for source in (str(capture), f"serial://{capture}?baud=115200"):
        assert main(["--lang", "en", "doctor", source]) == 2
        assert one_sentence(capsys) == (
            f"hanport: {capture} is a file, not a serial port; to replay it use file://{capture}"
        )


def test_a_full_disk_while_capturing_is_one_sentence(capsys: Capture) -> None:
    assert main(["--lang", "en", "capture", "sim://?speed=max", "/dev/full", "--count", "3"]) == 2
    assert "no space left on device" in one_sentence(capsys).lower()


def test_decode_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    simulator = HomeSimulator(seed=2)
    capture = tmp_path / "big.bin"
    capture.write_bytes(b"".join(simulator.next_telegram() for _ in range(2000)))
    decode = subprocess.Popen(
        [sys.executable, "-m", "hanport", "decode", "--json", str(capture)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    head = subprocess.run(["head", "-1"], stdin=decode.stdout, capture_output=True, check=True)
    assert decode.stdout is not None
    decode.stdout.close()
    _, err = decode.communicate(timeout=60)
    assert head.stdout.startswith(b'{"meter_id":')
    assert b"Traceback" not in err
    assert err == b""
    assert decode.returncode == 141
