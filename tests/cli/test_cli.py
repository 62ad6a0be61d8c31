"""The `hanport` command: decode captures (raw, hex dump, stdin), JSON, errors, and run."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from encoder import (
    LLC,
    array,
    glo_ciphering,
    hdlc_frame,
    p1_telegram,
    register,
    simple_apdu,
    unsigned,
)
from encoder import data_notification as notification

from hanport import __version__
from hanport.cli.main import main, unhex_if_hex
from hanport.model import READING_FIELDS

KEY = bytes(range(16))
AUTH = bytes(range(16, 32))
LINES = [
    "0-0:1.0.0(240115120000W)",
    "0-0:96.14.0(0002)",
    "1-0:1.8.0(00004215.300*kWh)",
    "1-0:1.7.0(0001.011*kW)",
    "1-0:32.7.0(230.10*V)",
    "1-0:31.7.0(000.6*A)",
]
TELEGRAM = p1_telegram(LINES)

Capture = pytest.CaptureFixture[str]


def write(tmp_path: Path, data: bytes, name: str = "capture.bin") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_sentence(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ---------------------------------------------------------------------------------- decode


def test_decode_a_raw_capture(tmp_path: Path, capsys: Capture) -> None:
    code, out, err = run(capsys, "decode", write(tmp_path, TELEGRAM * 2))
    assert code == 0
    assert err == ""
    assert out.count("Reading 1 (format p1)") == 1
    assert "Reading 2 (format p1)" in out
    assert re.search(r"^  Active power import +1011 W$", out, re.MULTILINE)
    assert re.search(r"^  Voltage L1 +230.10 V$", out, re.MULTILINE)
    assert re.search(r"^  Meter time +2024-01-15T12:00:00\+02:00$", out, re.MULTILINE)
    assert re.search(r"^  0-0:96.14.0 +2$", out, re.MULTILINE)


@pytest.mark.parametrize(
    "style",
    [
        lambda data: data.hex(" ").upper(),
        lambda data: data.hex(),
        lambda data: "\n".join(data[i : i + 16].hex(" ") for i in range(0, len(data), 16)),
        lambda data: ", ".join(f"0x{b:02X}" for b in data),
        lambda data: ":".join(f"{b:02x}" for b in data) + "\n",
    ],
)
def test_decode_a_hex_dump(tmp_path: Path, capsys: Capture, style: Callable[[bytes], str]) -> None:
    frame = hdlc_frame(LLC + simple_apdu(4321))
    text = style(frame)
    assert unhex_if_hex(text.encode()) == frame
    code, out, _ = run(capsys, "decode", write(tmp_path, text.encode(), "dump.hex"))
    assert code == 0
    assert "Reading 1 (format hdlc)" in out
    assert re.search(r"^  Active power import +4321 W$", out, re.MULTILINE)


def test_text_that_is_not_a_hex_dump_is_left_as_it_is() -> None:
    assert unhex_if_hex(TELEGRAM) == TELEGRAM
    assert unhex_if_hex(b"7E A") == b"7E A"
    assert unhex_if_hex(b"") == b""


def test_decode_json(tmp_path: Path, capsys: Capture) -> None:
    code, out, err = run(capsys, "decode", "--json", write(tmp_path, TELEGRAM))
    assert code == 0
    assert err == ""
    (line,) = out.splitlines()
    data = json.loads(line, parse_float=Decimal)
    assert data == {
        "meter_model": "LGF5E360",
        "meter_time": "2024-01-15T12:00:00+02:00",
        "power_import_w": 1011,
        "voltage_l1_v": Decimal("230.10"),
        "current_l1_a": Decimal("0.6"),
        "energy_import_wh": 4215300,
        "extra": {"0-0:96.14.0": {"value": 2}},
    }
    assert list(data) == [name for name in READING_FIELDS if name in data]
    assert '"voltage_l1_v":230.10,' in line
    assert '"current_l1_a":0.6,' in line


def test_decode_json_in_another_zone(tmp_path: Path, capsys: Capture) -> None:
    code, out, _ = run(capsys, "decode", "--json", "--tz", "UTC", write(tmp_path, TELEGRAM))
    assert code == 0
    assert json.loads(out)["meter_time"] == "2024-01-15T12:00:00+00:00"


def test_decode_from_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TELEGRAM)))
    code, out, _ = run(capsys, "decode", "--json", "-")
    assert code == 0
    assert json.loads(out)["power_import_w"] == 1011


def test_decode_encrypted_with_keys(tmp_path: Path, capsys: Capture) -> None:
    frame = hdlc_frame(LLC + glo_ciphering(simple_apdu(99), key=KEY, auth_key=AUTH))
    path = write(tmp_path, frame)
    code, out, _ = run(capsys, "decode", "--key", KEY.hex(), "--auth-key", AUTH.hex(), path)
    assert code == 0
    assert "Reading 1 (format hdlc+encrypted)" in out


def test_decode_in_estonian(tmp_path: Path, capsys: Capture) -> None:
    code = main(["--lang", "et", "decode", write(tmp_path, TELEGRAM)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "Näit 1 (vorming p1)" in out
    assert re.search(r"^  Aktiivvõimsus võrgust +1 011 W$", out, re.MULTILINE)
    assert re.search(r"^  Pinge L1 +230,10 V$", out, re.MULTILINE)  # a decimal comma
    assert re.search(r"^  Võrgust võetud energia +4 215 300 Wh$", out, re.MULTILINE)


def test_some_frames_bad_still_succeeds(tmp_path: Path, capsys: Capture) -> None:
    bad = p1_telegram(LINES, crc="bad")
    code, out, err = run(capsys, "decode", write(tmp_path, TELEGRAM + bad))
    assert code == 0
    assert "Reading 1" in out
    assert "Reading 2" not in out
    assert one_sentence(err).startswith("skipped: Checksum mismatch in P1 telegram")


# ---------------------------------------------------------------------------- failures


def test_checksum_mismatch(tmp_path: Path, capsys: Capture) -> None:
    code, out, err = run(capsys, "decode", write(tmp_path, p1_telegram(LINES, crc="bad")))
    assert code == 1
    assert out == ""
    assert one_sentence(err).startswith("Nothing could be decoded: Checksum mismatch")


def test_no_key(tmp_path: Path, capsys: Capture) -> None:
    frame = hdlc_frame(LLC + glo_ciphering(simple_apdu(), key=KEY, auth_key=AUTH))
    code, out, err = run(capsys, "decode", write(tmp_path, frame))
    assert code == 1
    assert out == ""
    assert "--key" in one_sentence(err)


def test_wrong_key(tmp_path: Path, capsys: Capture) -> None:
    frame = hdlc_frame(LLC + glo_ciphering(simple_apdu(), key=KEY, auth_key=AUTH))
    path = write(tmp_path, frame)
    code, _, err = run(capsys, "decode", "--key", AUTH.hex(), "--auth-key", AUTH.hex(), path)
    assert code == 1
    assert one_sentence(err).startswith("Nothing could be decoded: Wrong key")


def test_unknown_layout(tmp_path: Path, capsys: Capture) -> None:
    apdu = notification(array([register("0-0:96.99.9", unsigned(5))]))
    code, _, err = run(capsys, "decode", write(tmp_path, hdlc_frame(LLC + apdu)))
    assert code == 1
    sentence = one_sentence(err)
    assert sentence.startswith("Nothing could be decoded: Unknown list layout")
    assert "0-0:96.99.9" in sentence


def test_nothing_found(tmp_path: Path, capsys: Capture) -> None:
    code, out, err = run(capsys, "decode", write(tmp_path, b"hello, world"))
    assert code == 1
    assert out == ""
    assert one_sentence(err).startswith("No meter data found: the 12 bytes read")


def test_empty_file(tmp_path: Path, capsys: Capture) -> None:
    code, _, err = run(capsys, "decode", write(tmp_path, b""))
    assert code == 1
    assert one_sentence(err).startswith("No meter data found: the 0 bytes")


@pytest.mark.parametrize("key", ["00", "zz" * 16, "00" * 17, ""])
def test_bad_key(tmp_path: Path, capsys: Capture, key: str) -> None:
    code, out, err = run(capsys, "decode", "--key", key, write(tmp_path, TELEGRAM))
    assert code == 2
    assert out == ""
    assert one_sentence(err) == "hanport: The --key must be 32 hexadecimal digits (16 bytes)."


def test_bad_auth_key(tmp_path: Path, capsys: Capture) -> None:
    code, _, err = run(capsys, "decode", "--auth-key", "123", write(tmp_path, TELEGRAM))
    assert code == 2
    assert "--auth-key" in one_sentence(err)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_bad_zone(tmp_path: Path, capsys: Capture, zone: str) -> None:
    code, out, err = run(capsys, "decode", "--tz", zone, write(tmp_path, TELEGRAM))
    assert code == 2
    assert out == ""
    assert one_sentence(err).startswith("hanport: Unknown time zone")


def test_missing_file(tmp_path: Path, capsys: Capture) -> None:
    code, _, err = run(capsys, "decode", str(tmp_path / "nope.bin"))
    assert code == 2
    assert one_sentence(err).startswith("hanport: Cannot read")


def test_version(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"hanport {__version__}"


def test_missing_command_is_a_usage_error(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


# ------------------------------------------------------------------------------------- run

LIVE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)  import (\d+) W  export (\d+) W  "
    r"L1 ([\d.]+) V ([\d.]+) A  L2 ([\d.]+) V ([\d.]+) A  L3 ([\d.]+) V ([\d.]+) A  "
    r"energy in (\d+) Wh$"
)


def test_run_on_the_simulator(capsys: Capture) -> None:
    standard_time = timezone(timedelta(hours=2))  # the E360's clock, all year
    before = datetime.now(standard_time).replace(tzinfo=None)
    code, out, err = run(capsys, "run", "--count", "2", "--interval", "0.01")
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("No meter configured: running on the built-in meter simulator")
    assert "every 0.01 s" in lines[0]
    assert lines[1].startswith("The hanport app is at http://127.0.0.1:")
    assert "create the administrator account" in lines[1]
    first, second = LIVE.match(lines[2]), LIVE.match(lines[3])
    assert first is not None, lines
    assert second is not None, lines
    started = datetime.fromisoformat(first.group(1))
    assert started.second % 10 == 0  # on the meter's 10-s grid, from now on
    assert (
        before - timedelta(seconds=10) < started <= datetime.now(standard_time).replace(tzinfo=None)
    )
    assert datetime.fromisoformat(second.group(1)) - started == timedelta(seconds=10)
    assert int(second.group(10)) >= int(first.group(10))


def test_run_is_repeatable_with_a_start_and_a_seed(capsys: Capture) -> None:
    outputs = []
    for seed in ("3", "3", "4"):
        source = f"sim://?seed={seed}&start=2026-03-28T00:00&speed=max"
        code, out, _ = run(capsys, "run", "--source", source, "--count", "3", "--no-web")
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1]
    assert outputs[0] != outputs[2]
    assert outputs[0].startswith("2026-03-28 00:00:00  import ")  # Tallinn time, as given


def test_run_with_a_bad_zone(capsys: Capture) -> None:
    code, _, err = run(capsys, "run", "--count", "1", "--interval", "0.01", "--tz", "Nowhere/X")
    assert code == 2
    assert "Unknown time zone" in err
