"""Serial line settings are found by verified frames, in the order P1 first, then DLMS speeds."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator

import pytest

from hanport.sim.home import HomeSimulator
from hanport.sources.detect import detect_line
from hanport.sources.transport import Source, SourceError, parse_source

TELEGRAM = HomeSimulator(seed=1).next_telegram()


def line_at(baudrate: int, parity: str) -> object:
    """A fake port that delivers frames only at one setting, and noise at the others."""
    opened: list[str] = []

    async def opener(source: Source) -> AsyncGenerator[bytes, None]:
        opened.append(f"{source.baudrate} 8{source.parity}1")
        if (source.baudrate, source.parity) == (baudrate, parity):
            yield TELEGRAM
        else:
            yield bytes(range(128, 256))
            await asyncio.sleep(1)

    opener.opened = opened  # type: ignore[attr-defined]
    return opener


def test_the_setting_with_verified_frames_is_kept() -> None:
    opener = line_at(2400, "E")
    found = asyncio.run(detect_line(parse_source("/dev/ttyUSB9"), seconds_each=0.05, opener=opener))  # type: ignore[arg-type]
    assert (found.baudrate, found.parity, found.detect) == (2400, "E", False)
    assert opener.opened == ["115200 8N1", "9600 8N1", "2400 8E1"]  # type: ignore[attr-defined]


def test_p1_speed_is_tried_first() -> None:
    opener = line_at(115200, "N")
    found = asyncio.run(detect_line(parse_source("/dev/ttyUSB9"), seconds_each=0.05, opener=opener))  # type: ignore[arg-type]
    assert found.baudrate == 115200
    assert opener.opened == ["115200 8N1"]  # type: ignore[attr-defined]


def test_nothing_found_says_what_was_tried() -> None:
    opener = line_at(1200, "O")
    with pytest.raises(SourceError, match="at 115200 8N1, 9600 8N1, 2400 8E1, 2400 8N1"):
        asyncio.run(detect_line(parse_source("/dev/ttyUSB9"), seconds_each=0.02, opener=opener))  # type: ignore[arg-type]


def test_given_settings_are_not_detected() -> None:
    assert not parse_source("serial:///dev/ttyUSB0?baud=2400&parity=E").detect
    assert parse_source("/dev/ttyUSB0").detect


def test_each_setting_tried_after_the_first_is_said(caplog: pytest.LogCaptureFixture) -> None:
    opener = line_at(2400, "E")
    with caplog.at_level(logging.INFO, logger="hanport.sources.detect"):
        asyncio.run(detect_line(parse_source("/dev/ttyUSB9"), seconds_each=0.05, opener=opener))  # type: ignore[arg-type]
    assert [record.getMessage() for record in caplog.records] == [
        "Looking for the line settings of /dev/ttyUSB9: no verified frame at 115200 8N1 in "
        "0.05 s; trying 9600 8N1.",
        "Looking for the line settings of /dev/ttyUSB9: no verified frame at 9600 8N1 in "
        "0.05 s; trying 2400 8E1.",
        "Found the line settings of /dev/ttyUSB9: 2400 8E1.",
    ]
