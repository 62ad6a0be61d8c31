"""hanport doctor: what it says for a healthy line, silence, noise, damage and a missing key."""

from __future__ import annotations

import asyncio
import io
import random
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hanport.cli.main import main
from hanport.sim.home import HomeSimulator
from hanport.sources.doctor import Diagnosis, advice, diagnose
from hanport.sources.transport import parse_source


def capture_file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "capture.bin"
    path.write_bytes(data)
    return f"file://{path}?speed=max"


def telegrams(count: int) -> list[bytes]:
    simulator = HomeSimulator(seed=7, start=datetime(2026, 1, 10, 6, 0, tzinfo=UTC))
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


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_it_shows_what_has_arrived_while_it_listens(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    url = "sim://?speed=20&start=2026-01-10T08:00"  # a telegram every 0.5 s
    assert main(["--lang", "en", "doctor", url, "--seconds", "1.6"]) == 0
    shown = screen.getvalue()
    line = r"\rListening to sim: [0-2] s left, [\d,]+ bytes, \d+ frames? \(\d+ verified\) so far"
    line += r"\x1b\[K"
    assert re.match(f"({line})+\r\x1b\\[K$", shown), shown  # only such lines, rewritten in place
    assert shown.endswith("\r\x1b[K")  # and the line is gone before the report
    assert capsys.readouterr().out.startswith("Source           sim\n")


def test_piped_it_prints_only_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = capture_file(tmp_path, b"".join(telegrams(2)))
    assert main(["--lang", "en", "doctor", url, "--seconds", "5"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Listening" not in captured.out


def test_the_report_in_estonian(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frames = telegrams(3)
    damaged = frames[1].replace(b"*kW", b"*kX", 1)
    url = capture_file(tmp_path, frames[0] + damaged + frames[2] + bytes(2000))
    assert main(["--lang", "et", "doctor", url, "--seconds", "5"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^Kontrollitud kaadreid +2$", out, re.MULTILINE)
    assert re.search(
        r"^Saabunud baite +\d \d{3} \(2 \d{3} väljaspool kaadreid\)$", out, re.MULTILINE
    )
    assert re.search(r"^Kõrvale jäetud kaadreid +1 \(1 kontrollsummaviga\)$", out, re.MULTILINE)
    assert re.search(r"^Esimese kõrvalejätu põhjus +Kontrollsumma ei klapi", out, re.MULTILINE)
    assert "damaged" not in out
    assert out.rstrip().splitlines()[-1].startswith("3 kaadrist 1 said liinil kahjustada")


def test_the_first_rejection_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frames = telegrams(2)
    url = capture_file(tmp_path, frames[0].replace(b"*kW", b"*kX", 1) + frames[1])
    assert main(["--lang", "en", "doctor", url, "--seconds", "5"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^First rejection  Checksum mismatch in P1 telegram: ", out, re.MULTILINE)


def test_the_progress_line_counts_in_both_languages() -> None:
    from hanport.cli.doctor import _progress

    found = Diagnosis("tcp 192.0.2.1:8888", 35, bytes_seen=12_345, readings=1)
    assert _progress(found, 12.4, "en") == (
        "Listening to tcp 192.0.2.1:8888: 12 s left, 12,345 bytes, 1 frame (1 verified) so far"
    )
    found.rejected = 2
    assert _progress(found, 3, "et") == (
        "Kuulan allikat tcp 192.0.2.1:8888: jäänud 3 s, seni 12 345 baiti, 3 kaadrit "
        "(1 kontrollitud)"
    )


# Needs the decoder of the codec branch (issue 9): DecoderStats.unauthenticated_sender.


def test_an_unauthenticated_meter_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from encoder import LLC, glo_ciphering, hdlc_frame, simple_apdu

    key = bytes(range(16))
    frames = b"".join(
        hdlc_frame(
            LLC + glo_ciphering(simple_apdu(), key=key, security_control=0x20, frame_counter=n)
        )
        for n in range(1, 4)
    )
    url = capture_file(tmp_path, frames)
    assert main(["--lang", "en", "doctor", url, "--seconds", "5", "--key", key.hex()]) == 0
    out = capsys.readouterr().out
    assert re.search(
        r"^Unauthenticated  The meter LGZ0102030405 encrypts its frames but does not "
        r"authenticate them",
        out,
        re.MULTILINE,
    )
    assert main(["--lang", "et", "doctor", url, "--seconds", "5", "--key", key.hex()]) == 0
    assert "Arvesti LGZ0102030405 krüpteerib oma kaadrid, kuid ei autendi neid" in (
        capsys.readouterr().out
    )


def test_unverified_readings_and_energy_scales_are_reported() -> None:
    """The report side, with the findings set by hand."""
    from hanport.sources.doctor import report

    found = Diagnosis("tcp 192.0.2.1:8888", 35, bytes_seen=9000, readings=3, unverified=3)
    found.energy_scales = {"6970631401234567": 10}
    lines = report(found, "en")
    assert (
        "Unverified       3 readings came without a checksum; damage on the line cannot be detected"
        in lines
    )
    assert (
        "Energy scale     meter 6970631401234567: 10 Wh per count (no scaler in its list)" in lines
    )
    estonian = report(found, "et")
    assert any(
        line.endswith(
            "arvesti 6970631401234567: 10 Wh ühe ühiku kohta (loendis pole skaalategurit)"
        )
        for line in estonian
    )
