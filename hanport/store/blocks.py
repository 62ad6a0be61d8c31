"""Compact storage of readings: one block per meter and hour, columnar, delta-coded, compressed.

A meter-year at 10-s resolution is 3.15 M readings; one SQLite row per reading with a column per
field costs about 640 MB. A block stores each field as a column of differences between
consecutive readings, so slowly moving registers become runs of zeros that compress to nothing.
Everything round-trips exactly: integers, Decimals with their exponent, times with their zone,
texts, every `extra` register and `verified`. Pure: bytes in, readings out.

Format 3 (this one) is self-describing, so that a reader can take only the columns it needs
(`decode_columns`: the voltages of a year without building a `Reading`):

    byte 0        3
    varint        length of the compressed header
    zlib          the header, JSON:
                    "n"   readings in the block
                    "f"   [[field, kind, mask, [column, …], zones?], …] one entry per field
                          that has a value in any reading, in the order of the segments;
                          kind "i" ints, "d" Decimals (coefficient and exponent columns; the
                          exponent 2^40 marks an int among them), "t" times (microseconds
                          since the epoch and UTC offsets in seconds, then the runs of zone
                          names); mask null when every reading has the field, else runs of
                          [present, count]
                    "s"   {"meter_id": runs, "meter_model": runs}   runs: [[value, count], …]
                    "x"   runs of the `extra` JSON texts (absent when no reading has any)
                    "ok"  runs of `verified` (absent when every reading is verified)
    segments      one per column that needs one, each zlib of the differences after the
                  first value, little-endian int8/16/32/64 ("b", "h", "i", "q") or zig-zag
                  varints ("v"). A column is ["c", value] (all equal), ["a", first, step]
                  (evenly spaced, like a meter's clock), or [code, first, segment bytes].

Reading is `hanport.store.block_reader` (formats 1 and 2, of hanport 0.1.0 and issue 9, by
`hanport.store.blocks_v1`): every block ever written can be read. A block of a later format
raises `BlockError`.
"""

from __future__ import annotations

import json
import sys
import zlib
from array import array
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter, sub
from typing import Any

from hanport.model import READING_FIELDS, Reading
from hanport.store.block_reader import VERSION, block_header, decode_block, decode_columns
from hanport.store.connection import BlockError
from hanport.store.extra import extra_json
from hanport.store.nones import any_value, has_none

__all__ = [
    "VERSION",
    "BlockError",
    "block_header",
    "decode_block",
    "decode_columns",
    "encode_block",
]

_INT_EXPONENT = 1 << 40
"""The exponent written for an int in a column of Decimals: no Decimal has it."""
_TIMES = ("meter_time", "received_at")
_TEXTS = ("meter_id", "meter_model")
_NUMBERS = tuple(name for name in READING_FIELDS if name not in (*_TIMES, *_TEXTS, "extra"))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_WIDTHS = (("b", 1 << 7), ("h", 1 << 15), ("i", 1 << 31), ("q", 1 << 63))
_SWAP = sys.byteorder == "big"
assert array("i").itemsize == 4
assert array("q").itemsize == 8


# --- encoding -------------------------------------------------------------------------------


def encode_block(readings: Sequence[Reading]) -> bytes:
    """Readings (their order is kept) → one block of format 3."""
    count = len(readings)
    states = [reading.__dict__ for reading in readings]
    segments: list[bytes] = []
    fields: list[list[Any]] = []
    for name in _TIMES:
        values = list(map(itemgetter(name), states))
        if any_value(values):
            fields.append(_encode_times(name, values, segments))
    for name in _NUMBERS:
        values = list(map(itemgetter(name), states))
        if any_value(values):
            fields.append(_encode_numbers(name, values, segments))
    header: dict[str, Any] = {
        "n": count,
        "f": fields,
        "s": {name: _runs([state[name] for state in states]) for name in _TEXTS},
    }
    extras = [extra_json(state["extra"]) for state in states]
    if any_value(extras):
        header["x"] = _runs(extras)
    verified = [state["verified"] for state in states]
    if False in verified:
        header["ok"] = _runs(verified)
    head = zlib.compress(json.dumps(header, separators=(",", ":")).encode(), 6)
    prefix = bytearray([VERSION])
    _varint(len(head), prefix)
    return b"".join((prefix, head, *segments))


def _encode_times(name: str, values: list[Any], segments: list[bytes]) -> list[Any]:
    mask, present = _mask(values)
    micros = [(moment - _EPOCH) // _US for moment in present]
    offsets = [moment.utcoffset() // timedelta(seconds=1) for moment in present]
    zones = _runs([getattr(moment.tzinfo, "key", None) for moment in present])
    columns = [_column(micros, segments), _column(offsets, segments)]
    return [name, "t", mask, columns, zones]


def _encode_numbers(name: str, values: list[Any], segments: list[bytes]) -> list[Any]:
    mask, present = _mask(values)
    if set(map(type, present)) == {int}:
        return [name, "i", mask, [_column(present, segments)]]
    coefficients, exponents = _decimal_parts(present)
    columns = [_column(coefficients, segments), _column(exponents, segments)]
    return [name, "d", mask, columns]


def _mask(values: list[Any]) -> tuple[list[list[int]] | None, list[Any]]:
    if not has_none(values):
        return None, values
    return _runs([int(value is not None) for value in values]), [v for v in values if v is not None]


def _decimal_parts(values: list[Any]) -> tuple[list[int], list[int]]:
    """Coefficients and exponents; each distinct value is taken apart once (a voltage column
    holds a few dozen distinct values)."""
    if set(map(type, values)) == {Decimal}:
        texts: list[Any] = list(map(str, values))
    else:
        texts = [str(value) if type(value) is Decimal else value for value in values]
    parts = {text: _parts(text) for text in set(texts)}
    return [parts[text][0] for text in texts], [parts[text][1] for text in texts]


@lru_cache(maxsize=4096, typed=True)
def _parts(text: str | int) -> tuple[int, int]:
    if type(text) is int:
        return text, _INT_EXPONENT
    assert isinstance(text, str)
    sign, digits, exponent = Decimal(text).as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"{text} is not a number that can be stored")
    coefficient = int("".join(map(str, digits)) or "0")
    return -coefficient if sign else coefficient, exponent


def _column(values: list[int], segments: list[bytes]) -> list[Any]:
    first = values[0]
    if len(values) == 1:
        return ["c", first]
    deltas = list(map(sub, values[1:], values[:-1]))
    low, high = min(deltas), max(deltas)
    if low == high:
        return ["c", first] if low == 0 else ["a", first, low]
    code = next((code for code, limit in _WIDTHS if -limit <= low and high < limit), "v")
    if code == "v":
        raw = bytearray()
        for delta in deltas:
            _varint(delta * 2 if delta >= 0 else -delta * 2 - 1, raw)
        data = bytes(raw)
    else:
        words = array(code, deltas)
        if _SWAP:
            words.byteswap()
        data = words.tobytes()
    packed = zlib.compress(data, 6)
    segments.append(packed)
    return [code, first, len(packed)]


def _runs(values: list[Any]) -> list[list[Any]]:
    runs: list[list[Any]] = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1][1] += 1
        else:
            runs.append([value, 1])
    return runs


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
