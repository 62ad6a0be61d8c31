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

Formats 1 and 2 (hanport 0.1.0 and issue 9) are read by `hanport.store.blocks_v1`; every block
ever written can be read. A block of a later format raises `BlockError`.
"""

from __future__ import annotations

import json
import sys
import zlib
from array import array
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from itertools import accumulate, repeat
from operator import sub
from typing import Any
from zoneinfo import ZoneInfo

from hanport.model import READING_FIELDS, Reading
from hanport.store.blocks_v1 import LEGACY_VERSIONS, decode_legacy
from hanport.store.connection import StoreError
from hanport.store.extra import extra_from_json, extra_json

__all__ = [
    "VERSION",
    "BlockError",
    "block_header",
    "decode_block",
    "decode_columns",
    "encode_block",
]

VERSION = 3
_INT_EXPONENT = 1 << 40
"""The exponent written for an int in a column of Decimals: no Decimal has it."""
_TIMES = ("meter_time", "received_at")
_TEXTS = ("meter_id", "meter_model")
_NUMBERS = tuple(name for name in READING_FIELDS if name not in (*_TIMES, *_TEXTS, "extra"))
_KNOWN = frozenset((*_TIMES, *_NUMBERS))
_SLOTS = (*READING_FIELDS, "verified")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_WIDTHS = (("b", 1 << 7), ("h", 1 << 15), ("i", 1 << 31), ("q", 1 << 63))
_SWAP = sys.byteorder == "big"
assert array("i").itemsize == 4
assert array("q").itemsize == 8


class BlockError(StoreError):
    """A stored block of readings cannot be read back (damaged, or written by a newer hanport)."""


# --- encoding -------------------------------------------------------------------------------


def encode_block(readings: Sequence[Reading]) -> bytes:
    """Readings (their order is kept) → one block of format 3."""
    count = len(readings)
    states = [reading.__dict__ for reading in readings]
    segments: list[bytes] = []
    fields: list[list[Any]] = []
    for name in _TIMES:
        values = [state[name] for state in states]
        if values.count(None) < count:
            fields.append(_encode_times(name, values, segments))
    for name in _NUMBERS:
        values = [state[name] for state in states]
        if values.count(None) < count:
            fields.append(_encode_numbers(name, values, segments))
    header: dict[str, Any] = {
        "n": count,
        "f": fields,
        "s": {name: _runs([state[name] for state in states]) for name in _TEXTS},
    }
    extras = [extra_json(state["extra"]) for state in states]
    if extras.count(None) < count:
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
    if all(type(value) is int for value in present):
        return [name, "i", mask, [_column(present, segments)]]
    coefficients, exponents = _decimal_parts(present)
    columns = [_column(coefficients, segments), _column(exponents, segments)]
    return [name, "d", mask, columns]


def _mask(values: list[Any]) -> tuple[list[list[int]] | None, list[Any]]:
    if None not in values:
        return None, values
    return _runs([int(value is not None) for value in values]), [v for v in values if v is not None]


def _decimal_parts(values: list[Any]) -> tuple[list[int], list[int]]:
    """Coefficients and exponents; each distinct value is taken apart once (a voltage column
    holds a few dozen distinct values)."""
    texts = [str(value) if type(value) is Decimal else value for value in values]
    parts = {text: _parts(text) for text in set(texts)}
    return [parts[text][0] for text in texts], [parts[text][1] for text in texts]


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


# --- decoding -------------------------------------------------------------------------------


def decode_block(block: bytes) -> list[Reading]:
    """Every reading of a block of any format, in the order written."""
    if block[:1] and block[0] in LEGACY_VERSIONS:
        try:
            return decode_legacy(block)
        except (zlib.error, ValueError, KeyError, IndexError, TypeError) as error:
            raise BlockError("store.block_damaged", error=error) from None
    try:
        block_view = _Block(block)
        count = block_view.count
        columns: dict[str, list[Any]] = {name: block_view.values(name) for name in block_view.names}
        for name, runs in block_view.header["s"].items():
            columns[name] = _expand(runs, count)
        if "x" in block_view.header:
            columns["extra"] = [
                extra_from_json(text) if text is not None else _NO_EXTRA
                for text in _expand(block_view.header["x"], count)
            ]
        if "ok" in block_view.header:
            columns["verified"] = _expand(block_view.header["ok"], count)
    except (zlib.error, ValueError, KeyError, IndexError, TypeError) as error:
        raise BlockError("store.block_damaged", error=error) from None
    return _readings(columns, count)


def decode_columns(block: bytes, names: Sequence[str]) -> tuple[list[int], list[list[Any]]]:
    """The moments (µs since the epoch: meter_time, else received_at) and the values of the
    named fields (None where a reading has none), decoding only those columns."""
    if block[:1] and block[0] in LEGACY_VERSIONS:
        readings = decode_block(block)
        moments = [_moment_us(reading) for reading in readings]
        return moments, [[getattr(reading, name) for reading in readings] for name in names]
    try:
        found = _Block(block)
        meter = found.micros("meter_time")
        if meter is None or None in meter:
            received = found.micros("received_at") or [None] * found.count
            meter = [
                m if m is not None else r for m, r in zip(meter or received, received, strict=True)
            ]
        if None in meter:
            raise ValueError("a reading without meter time or reception time")
        return meter, [found.values(name) for name in names]  # type: ignore[return-value]
    except (zlib.error, ValueError, KeyError, IndexError, TypeError) as error:
        raise BlockError("store.block_damaged", error=error) from None


def block_header(block: bytes) -> dict[str, Any]:
    """A format 3 block's header (to look at a block; `decode_block` reads them all)."""
    try:
        return _Block(block).header
    except (zlib.error, ValueError, KeyError, IndexError, TypeError) as error:
        raise BlockError("store.block_damaged", error=error) from None


class _Block:
    """A format 3 block's header, and its columns decoded on demand."""

    def __init__(self, block: bytes) -> None:
        if not block:
            raise ValueError("an empty block")
        if block[0] > VERSION:
            raise BlockError("store.block_newer", version=block[0])
        if block[0] != VERSION:
            raise ValueError(f"no block format {block[0]}")
        size = shift = 0
        pos = 1
        while True:
            byte = block[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
        self.header: dict[str, Any] = json.loads(zlib.decompress(block[pos : pos + size]))
        self.count: int = self.header["n"]
        self._fields: dict[str, tuple[list[Any], list[int]]] = {}
        offset = pos + size
        for entry in self.header["f"]:
            if entry[0] not in _KNOWN:
                raise BlockError("store.block_unknown_field", field=entry[0])
            starts = []
            for column in entry[3]:
                starts.append(offset)
                if column[0] not in ("c", "a"):
                    offset += column[2]
            self._fields[entry[0]] = (entry, starts)
        if offset != len(block):
            raise ValueError("the block's length does not match its header")
        self._data = memoryview(block)

    @property
    def names(self) -> list[str]:
        return list(self._fields)

    def values(self, name: str) -> list[Any]:
        """The field's value in every reading (None where it has none)."""
        found = self._fields.get(name)
        if found is None:
            return [None] * self.count
        entry, starts = found
        present = self._present(entry)
        columns = [self._column(c, s, present) for c, s in zip(entry[3], starts, strict=True)]
        kind = entry[1]
        if kind == "i":
            values: list[Any] = columns[0]
        elif kind == "d":
            values = _decimals(columns[0], columns[1], entry[3][1])
        else:
            values = _times(columns[0], columns[1], _expand(entry[4], present))
        return _spread(values, entry[2], self.count)

    def micros(self, name: str) -> list[int | None] | None:
        found = self._fields.get(name)
        if found is None:
            return None
        entry, starts = found
        micros = self._column(entry[3][0], starts[0], self._present(entry))
        return _spread(micros, entry[2], self.count)

    def _present(self, entry: list[Any]) -> int:
        mask = entry[2]
        return self.count if mask is None else sum(count for flag, count in mask if flag)

    def _column(self, column: list[Any], start: int, count: int) -> list[int]:
        code, first = column[0], column[1]
        if code == "c":
            return [first] * count
        if code == "a":
            return list(range(first, first + column[2] * count, column[2]))
        raw = zlib.decompress(self._data[start : start + column[2]])
        if code == "v":
            deltas: Any = _read_varints(raw)
        else:
            deltas = array(code)
            deltas.frombytes(raw)
            if _SWAP:
                deltas.byteswap()
        values = list(accumulate(deltas, initial=first))
        if len(values) != count:
            raise ValueError("a column holds fewer values than its header announces")
        return values


def _spread(values: list[Any], mask: list[list[int]] | None, count: int) -> list[Any]:
    if mask is None:
        return values
    out: list[Any] = []
    at = 0
    for flag, length in mask:
        if flag:
            out += values[at : at + length]
            at += length
        else:
            out += repeat(None, length)
    if len(out) != count:
        raise ValueError("a mask does not cover the block")
    return out


def _decimals(coefficients: list[int], exponents: list[int], column: list[Any]) -> list[Any]:
    if column[0] == "c":
        if column[1] == _INT_EXPONENT:
            return coefficients
        cache = _DECIMALS.get(column[1])
        if cache is None or len(cache) > 4096:
            cache = _DECIMALS[column[1]] = _Decimals(column[1])
        return list(map(cache.__getitem__, coefficients))
    return [
        Decimal(f"{c}E{e}") if e != _INT_EXPONENT else c
        for c, e in zip(coefficients, exponents, strict=True)
    ]


class _Decimals(dict[int, Decimal]):
    """Coefficient → Decimal for one exponent: a voltage column repeats a few dozen values."""

    def __init__(self, exponent: int) -> None:
        super().__init__()
        self._exponent = exponent

    def __missing__(self, coefficient: int) -> Decimal:
        value = self[coefficient] = Decimal(f"{coefficient}E{self._exponent}")
        return value


_DECIMALS: dict[int, _Decimals] = {}


def _times(micros: list[int], offsets: list[int], zones: list[str | None]) -> list[datetime]:
    if zones and zones[0] is not None and zones.count(zones[0]) == len(zones):
        zone: Any = repeat(ZoneInfo(zones[0]))
    else:
        zone = [_zone(key, offset) for key, offset in zip(zones, offsets, strict=True)]
    seconds, rest = (
        zip(*(divmod(m, 1_000_000) for m in micros), strict=True) if micros else ((), ())
    )
    moments = list(map(datetime.fromtimestamp, seconds, zone))
    if any(rest):
        moments = [m.replace(microsecond=r) for m, r in zip(moments, rest, strict=True)]
    return moments


def _zone(key: str | None, offset: int) -> Any:
    return ZoneInfo(key) if key is not None else timezone(timedelta(seconds=offset))


def _read_varints(data: bytes) -> list[int]:
    values = []
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            values.append(value >> 1 if not value & 1 else -((value + 1) >> 1))
            value = shift = 0
        else:
            shift += 7
    return values


def _expand(runs: list[list[Any]], count: int) -> list[Any]:
    out: list[Any] = []
    for value, length in runs:
        out += repeat(value, length)
    if len(out) != count:
        raise ValueError("runs do not cover the block")
    return out


_NO_EXTRA = Reading().extra


def _moment_us(reading: Reading) -> int:
    moment = reading.meter_time or reading.received_at
    if moment is None:
        raise BlockError("store.block_damaged", error="a reading without a time")
    return (moment - _EPOCH) // _US


def _readings(columns: dict[str, list[Any]], count: int) -> list[Reading]:
    """Readings from full columns, each `__dict__` built in one go (no defaults to copy)."""
    every: list[Any] = [
        columns.get(name) or repeat(_NO_EXTRA if name == "extra" else None, count)
        for name in READING_FIELDS
    ]
    every.append(columns.get("verified") or repeat(True, count))
    readings = []
    new, setter = object.__new__, object.__setattr__
    for row in zip(*every, strict=True):
        reading = new(Reading)
        setter(reading, "__dict__", dict(zip(_SLOTS, row, strict=True)))
        readings.append(reading)
    return readings
