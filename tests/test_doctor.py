"""hanport doctor: what it says for a healthy line, silence, noise, damage and a missing key."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from hanport.cli import main
from hanport.doctor import Diagnosis, advice, diagnose
from hanport.simulator import HomeSimulator
from hanport.transport import parse_source


def capture_file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "capture.bin"
    path.write_bytes(data)
    return f"file://{path}?speed=max"


def telegrams(count: int) -> list[bytes]:
    simulator = HomeSimulator(seed=7)
    return [simulator.next_telegram() for _ in range(count)]


def test_a_healthy_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = capture_file(tmp_path, b"".join(telegrams(4)))
    assert main(["doctor", url, "--seconds", "5"]) == 0
    out = capsys.readouterr().out
    assert "Verified frames  4" in out
    assert "Format           p1" in out
    assert "All well: 4 verified readings (p1" in out


def test_only_noise_suggests_speed_or_inversion(tmp_path: Path) -> None:
    noise = bytes(random.Random(1).randrange(128, 256) for _ in range(5000))
    found = asyncio.run(diagnose(parse_source(capture_file(tmp_path, noise)), 5))
    assert found.bytes_seen == 5000
    assert found.readings == 0
    assert "inverted" in advice(found)
    assert "115200 8N1" in advice(found)


def test_damaged_frames_point_at_the_cable(tmp_path: Path) -> None:
    frames = telegrams(6)
    damaged = [
        frame.replace(b"*kW", b"*kX", 1) if i % 2 else frame for i, frame in enumerate(frames)
    ]
    found = asyncio.run(diagnose(parse_source(capture_file(tmp_path, b"".join(damaged))), 5))
    assert found.readings == 3
    assert found.checksum_errors == 3
    assert "damaged on the line" in advice(found)


def test_silence_and_a_missing_key() -> None:
    assert "No bytes arrived in 30 s" in advice(Diagnosis("x", 30))
    found = Diagnosis("x", 30, bytes_seen=500, rejected=2)
    found.key_problems.append("The meter sends encrypted frames … pass it with --key.")
    assert advice(found).endswith("--key.")


def test_doctor_exit_status_without_readings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor", capture_file(tmp_path, b"\x00" * 100), "--seconds", "2"]) == 1
    assert "no frame can be found" in capsys.readouterr().out
