"""Reading blocks of readings (the format is described in `hanport.store.blocks`): whole
readings, or only some columns, from every format ever written. Pure: bytes in, values out.
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
from typing import Any
from zoneinfo import ZoneInfo

from hanport.model import READING_FIELDS, Reading
from hanport.store.blocks_v1 import LEGACY_VERSIONS, decode_legacy
from hanport.store.connection import BlockError
from hanport.store.extra import extra_from_json

__all__ = ["VERSION", "block_header", "decode_block", "decode_columns"]

VERSION = 3
"""The block format written now (`hanport.store.blocks`)."""
_INT_EXPONENT = 1 << 40
_TIMES = ("meter_time", "received_at")
_TEXTS = ("meter_id", "meter_model")
_NUMBERS = tuple(name for name in READING_FIELDS if name not in (*_TIMES, *_TEXTS, "extra"))
_KNOWN = frozenset((*_TIMES, *_NUMBERS))
_SLOTS = (*READING_FIELDS, "verified")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_SWAP = sys.byteorder == "big"


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
