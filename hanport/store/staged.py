"""The open hour's readings as they wait to be sealed into a block: a cheap, exact form. Pure.

A block (`hanport.store.blocks`) is compact but costs about 100 µs to encode and 70 µs to
decode again, which a store that writes one reading of each meter per write would pay for
every reading. A staged row is plain JSON instead, written and read at C speed, and the hour's
block is encoded once, when the hour is sealed:

    ["s1", reading, …]          reading: one value per field of `_SLOTS` (the value fields,
                                then `verified`), in that order
    int                         an int field's or number field's int
    "230.1"                     a Decimal, as its text (exponent kept: "1E+3", "0.50")
    [µs, offset s, zone]        a time: µs since the epoch, the UTC offset, the zone's key
                                (null for a fixed offset), rebuilt as a block rebuilds it
    text                        meter_id and meter_model as they are; `extra` as the blocks'
                                JSON text of it (`hanport.store.extra`), null for none
    true / false                `verified`

A row of more than 1 kB (a write of many readings of one meter) is zlib-compressed and marked
with a `Z` before it (the table keeps its values as they are: blocks are compressed already).
A staged row starts with `[` or `Z`, which no block format does (their first byte is their
format, 1 to 3), so `readings_of` reads either. Everything a block cannot store (a time without a
zone, a Decimal that is not finite) is refused here, when it is written, as `encode_block`
refuses it, never at the seal.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hanport.model import READING_FIELDS, Reading
from hanport.store.block_reader import decode_block
from hanport.store.connection import BlockError
from hanport.store.extra import extra_from_json, extra_json

__all__ = ["is_staged", "readings_of", "stage", "unstage"]

_TAG = "s1"
_PLAIN_MAX = 1024
_SLOTS = (*READING_FIELDS, "verified")
_TIMES = frozenset({"meter_time", "received_at"})
_TEXTS = frozenset({"meter_id", "meter_model"})
_TIME_AT = tuple(i for i, name in enumerate(_SLOTS) if name in _TIMES)
_NUMBER_AT = tuple(
    i
    for i, name in enumerate(_SLOTS)
    if name not in _TIMES and name not in _TEXTS and name not in ("extra", "verified")
)
_EXTRA_AT = _SLOTS.index("extra")
_TEXT_AT = tuple(i for i, name in enumerate(_SLOTS) if name in _TEXTS)
_TEXT_TYPES = (str, type(None))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)
_NO_EXTRA = Reading().extra
_DUMPS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def is_staged(data: bytes) -> bool:
    return data[:1] in (b"[", b"Z")


def stage(readings: Sequence[Reading]) -> bytes:
    """Readings (their order kept) → one staged row; ValueError or TypeError for a value a
    block could not hold."""
    rows: list[Any] = [_TAG]
    for reading in readings:
        row = list(map(reading.__dict__.__getitem__, _SLOTS))
        for index in _TIME_AT:
            moment = row[index]
            if moment is not None:
                offset = moment.utcoffset()
                if offset is None:
                    raise TypeError(f"a time without a zone: {moment.isoformat()}")
                key = getattr(moment.tzinfo, "key", None)
                row[index] = [(moment - _EPOCH) // _US, offset // _SECOND, key]
        for index in _NUMBER_AT:
            value = row[index]
            if value is not None and type(value) is not int:
                if type(value) is not Decimal or not value.is_finite():
                    raise ValueError(f"{value} is not a number that can be stored")
                row[index] = str(value)
        extra = row[_EXTRA_AT]
        row[_EXTRA_AT] = extra_json(extra) if extra else None
        rows.append(row)
    text = _DUMPS(rows).encode()
    return b"Z" + zlib.compress(text, 1) if len(text) > _PLAIN_MAX else text


def unstage(data: bytes) -> list[Reading]:
    """The readings of a staged row, in the order written, equal to a block's of them."""
    try:
        rows = json.loads(zlib.decompress(data[1:]) if data[:1] == b"Z" else data)
        if not isinstance(rows, list) or rows[:1] != [_TAG]:
            raise ValueError("not a staged row")
        readings = []
        new, setter = object.__new__, object.__setattr__
        for row in rows[1:]:
            if len(row) != len(_SLOTS):
                raise ValueError("a staged reading of another length")
            for index in _TIME_AT:
                if row[index] is not None:
                    row[index] = _time(*row[index])
            for index in _NUMBER_AT:
                kind = type(row[index])
                if kind is str:
                    row[index] = Decimal(row[index])
                elif kind is not int and row[index] is not None:
                    raise ValueError("a staged number of another type")
            if not all(type(row[i]) in _TEXT_TYPES for i in _TEXT_AT) or type(row[-1]) is not bool:
                raise ValueError("a staged text or flag of another type")
            extra = row[_EXTRA_AT]
            row[_EXTRA_AT] = extra_from_json(extra) if extra is not None else _NO_EXTRA
            reading = new(Reading)
            setter(reading, "__dict__", dict(zip(_SLOTS, row, strict=True)))
            readings.append(reading)
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError, zlib.error) as error:
        raise BlockError("store.block_damaged", error=error) from None
    return readings


def readings_of(data: bytes) -> list[Reading]:
    """The readings of a pending row: staged, or a block (as earlier versions wrote them)."""
    return unstage(data) if is_staged(data) else decode_block(data)


_ZONES: dict[tuple[str | None, int], Any] = {}


def _time(micros: int, offset: int, key: str | None) -> datetime:
    """As `hanport.store.block_reader` rebuilds a time: in its zone, else its fixed offset."""
    zone = _ZONES.get((key, offset))
    if zone is None:
        zone = ZoneInfo(key) if key is not None else timezone(timedelta(seconds=offset))
        if len(_ZONES) < 1024:
            _ZONES[key, offset] = zone
    seconds, rest = divmod(micros, 1_000_000)
    moment = datetime.fromtimestamp(seconds, zone)
    return moment.replace(microsecond=rest) if rest else moment
