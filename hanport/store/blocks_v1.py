"""Reading blocks of the first two formats (hanport 0.1.0 and issue 9), kept for old databases.

Format 1 (hanport 0.1.0): a version byte, then zlib of: a varint header length, a JSON header
(`n`, `zones`, `texts`, `extra`, `pack`) and the differences of every column (8-byte native,
in practice little-endian, words; zig-zag varints when `pack` is "v"), in the fixed order of
the `Reading` fields of that time: per time a presence mask, microseconds and offsets; per
number a mask and its values (a Decimal field as coefficients and exponents). Format 2
(issue 9) adds `dec`, the integer fields whose columns hold Decimals (2^40 as the exponent of
an int among them); either may carry `verified` (runs of booleans). New blocks are written in
format 3 (`hanport.store.blocks`). Pure: bytes in, readings out.
"""

from __future__ import annotations

import json
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from hanport.model import Reading, new_reading
from hanport.store.extra import extra_from_json

__all__ = ["LEGACY_VERSIONS", "decode_legacy"]

LEGACY_VERSIONS = frozenset({1, 2})
_INT_EXPONENT = 1 << 40
_TIMES = ("meter_time", "received_at")
_TEXTS = ("meter_id", "meter_model")
_NUMBERS = (
    *(f"power_{d}_w" for d in ("import", "export")),
    *(f"reactive_power_{d}_var" for d in ("import", "export")),
    *(f"power_{d}_{p}_w" for d in ("import", "export") for p in ("l1", "l2", "l3")),
    *(f"reactive_power_{d}_{p}_var" for d in ("import", "export") for p in ("l1", "l2", "l3")),
    "voltage_l1_v",
    "voltage_l2_v",
    "voltage_l3_v",
    "current_l1_a",
    "current_l2_a",
    "current_l3_a",
    "energy_import_wh",
    "energy_export_wh",
    "energy_import_t1_wh",
    "energy_import_t2_wh",
    "energy_export_t1_wh",
    "energy_export_t2_wh",
    "reactive_energy_import_varh",
    "reactive_energy_export_varh",
    "power_factor",
    "frequency_hz",
)
"""The number columns of formats 1 and 2, in their order (frozen: the `Reading` fields then)."""
_DECIMAL_FIELDS = frozenset(
    (*(f"voltage_l{p}_v" for p in (1, 2, 3)), *(f"current_l{p}_a" for p in (1, 2, 3)))
) | {"power_factor", "frequency_hz"}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def decode_legacy(block: bytes) -> list[Reading]:
    """The readings of a format 1 or 2 block (ValueError, KeyError, zlib.error… if damaged)."""
    data = zlib.decompress(block[1:])
    size, pos = _read_varint(data, 0)
    header = json.loads(data[pos : pos + size])
    body = data[pos + size :]
    if header["pack"] == "q":
        words = array("q")
        words.frombytes(body)
        if sys.byteorder == "big":
            words.byteswap()
        deltas = words.tolist()
    else:
        deltas = list(_read_varints(body, 0))
    return _readings(header, _Cursor(deltas))


def _readings(header: dict[str, Any], values: _Cursor) -> list[Reading]:
    count = header["n"]
    states: list[dict[str, object]] = [{} for _ in range(count)]
    for name in _TIMES:
        _put(states, name, _decode_times(header["zones"][name], count, values))
    for name in _TEXTS:
        _put(states, name, _expand(header["texts"][name]))
    decimal = _DECIMAL_FIELDS | frozenset(header.get("dec", ()))
    for name in _NUMBERS:
        _put(states, name, _decode_numbers(name in decimal, count, values))
    for state, extra in zip(states, _expand(header["extra"]), strict=True):
        if extra is not None:
            state["extra"] = extra_from_json(extra)
    if "verified" in header:
        for state, verified in zip(states, _expand(header["verified"]), strict=True):
            if not verified:
                state["verified"] = False
    return [new_reading(state) for state in states]


def _put(states: list[dict[str, object]], name: str, values: Sequence[object]) -> None:
    for state, value in zip(states, values, strict=True):
        if value is not None:
            state[name] = value


def _decode_times(zones: list[list[Any]], count: int, values: _Cursor) -> list[datetime | None]:
    mask = values.take(count)
    present = sum(mask)
    micros, offsets = values.take(present), values.take(present)
    stamps = iter(zip(micros, offsets, _expand(zones), strict=True))
    out: list[datetime | None] = []
    for flag in mask:
        if not flag:
            out.append(None)
            continue
        micro, offset, zone = next(stamps)
        tz = ZoneInfo(zone) if zone is not None else timezone(timedelta(seconds=offset))
        out.append((_EPOCH + timedelta(microseconds=micro)).astimezone(tz))
    return out


def _decode_numbers(decimal: bool, count: int, values: _Cursor) -> list[object]:
    mask = values.take(count)
    present = sum(mask)
    numbers: list[object]
    if decimal:
        coefficients, exponents = values.take(present), values.take(present)
        numbers = [
            Decimal(f"{c}E{e}") if e != _INT_EXPONENT else c
            for c, e in zip(coefficients, exponents, strict=True)
        ]
    else:
        numbers = list(values.take(present))
    found = iter(numbers)
    return [next(found) if flag else None for flag in mask]


class _Cursor:
    """Reads the columns back in order: each is the running sum of its differences."""

    def __init__(self, deltas: list[int]) -> None:
        self._deltas = deltas
        self._pos = 0

    def take(self, count: int) -> list[int]:
        start, self._pos = self._pos, self._pos + count
        if self._pos > len(self._deltas):
            raise ValueError("the block holds fewer values than its header announces")
        return list(accumulate(self._deltas[start : self._pos]))


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _read_varints(data: bytes, pos: int) -> Iterator[int]:
    while pos < len(data):
        value, pos = _read_varint(data, pos)
        yield value >> 1 if not value & 1 else -((value + 1) >> 1)


def _expand(runs: list[list[Any]]) -> list[Any]:
    return [value for value, count in runs for _ in range(count)]
