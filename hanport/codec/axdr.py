"""A-XDR: the DLMS/COSEM data encoding of push notifications (IEC 62056-6-2).

Decoded values are plain Python: `list` for arrays, `tuple` for structures, `int` for integers,
`bytes` for octet strings, `str` for visible and UTF-8 strings. Enums are `DlmsEnum` and
date-times (tag 0x19) are `DateTimeBytes`, so that a `{scaler, unit}` pair and a clock can be
recognised from their type.
"""

from __future__ import annotations

import struct
from decimal import Decimal

from hanport.errors import DecodeError

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: `import hanport` stays light
    from typing import TypeAlias

__all__ = [
    "AxdrValue",
    "DateTimeBytes",
    "DlmsEnum",
    "TruncatedError",
    "decode_axdr",
    "read_length",
]


class TruncatedError(DecodeError):
    """The data ends before the value does: more bytes may complete it."""


class DlmsEnum(int):
    """An A-XDR `enum` (tag 0x16): the unit in a `{scaler, unit}` structure."""


class DateTimeBytes(bytes):
    """A 12-byte COSEM date-time sent with its own tag (0x19)."""


AxdrValue: TypeAlias = (
    "bool | int | Decimal | bytes | str | list[AxdrValue] | tuple[AxdrValue, ...] | None"
)

_FIXED_INT = {
    0x05: struct.Struct(">i"),
    0x06: struct.Struct(">I"),
    0x0F: struct.Struct(">b"),
    0x10: struct.Struct(">h"),
    0x11: struct.Struct(">B"),
    0x12: struct.Struct(">H"),
    0x14: struct.Struct(">q"),
    0x15: struct.Struct(">Q"),
}
_FLOATS = {0x17: struct.Struct(">f"), 0x18: struct.Struct(">d")}
_MAX_DEPTH = 16


def read_length(data: bytes, pos: int) -> tuple[int, int]:
    """A-XDR length: one byte below 0x80, else 0x8N followed by N big-endian bytes."""
    if pos >= len(data):
        raise TruncatedError("decoder.axdr_length_cut")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    if size == 0 or size > 4:
        raise DecodeError("decoder.axdr_bad_length")
    if pos + 1 + size > len(data):
        raise TruncatedError("decoder.axdr_length_cut")
    return int.from_bytes(data[pos + 1 : pos + 1 + size], "big"), pos + 1 + size


def decode_axdr(data: bytes, pos: int = 0) -> tuple[AxdrValue, int]:
    """Decode one A-XDR value at `pos`; return it and the position after it.

    Iterative (an explicit stack, not recursion): a meter list has a few hundred elements and
    this is the hot loop of DLMS decoding.
    """
    size = len(data)
    stack: list[tuple[list[AxdrValue], int, bool]] = []
    root: list[AxdrValue] = []
    items, remaining, structure = root, 1, False
    while True:
        if not remaining:
            if not stack:
                return root[0], pos
            done: AxdrValue = tuple(items) if structure else items
            items, remaining, structure = stack.pop()
            items.append(done)
            continue
        remaining -= 1
        if pos >= size:
            raise TruncatedError("decoder.axdr_value_missing")
        tag = data[pos]
        pos += 1
        fixed = _FIXED_INT.get(tag)
        if fixed is not None:
            end = pos + fixed.size
            if end > size:
                raise TruncatedError("decoder.axdr_value_cut")
            items.append(fixed.unpack_from(data, pos)[0])
            pos = end
        elif tag in {0x01, 0x02}:
            if len(stack) >= _MAX_DEPTH:
                raise DecodeError("decoder.axdr_nested")
            count, pos = read_length(data, pos)
            stack.append((items, remaining, structure))
            items, remaining, structure = [], count, tag == 0x02
        elif tag == 0x09:
            length, pos = read_length(data, pos)
            end = pos + length
            if end > size:
                raise TruncatedError("decoder.axdr_value_cut")
            items.append(data[pos:end])
            pos = end
        else:
            value, pos = _decode_small(data, pos, tag)
            items.append(value)


def _decode_small(data: bytes, pos: int, tag: int) -> tuple[AxdrValue, int]:
    if tag == 0x00:
        return None, pos
    if tag in (0x0A, 0x0C):
        length, pos = read_length(data, pos)
        end = pos + length
        _need(data, end)
        try:
            return data[pos:end].decode("utf-8" if tag == 0x0C else "latin-1"), end
        except UnicodeDecodeError:
            raise DecodeError("decoder.axdr_utf8") from None
    if tag in (0x03, 0x0D, 0x16):
        _need(data, pos + 1)
        byte = data[pos]
        value: AxdrValue = bool(byte) if tag == 0x03 else DlmsEnum(byte) if tag == 0x16 else byte
        return value, pos + 1
    if tag == 0x04:
        bits, pos = read_length(data, pos)
        end = pos + (bits + 7) // 8
        _need(data, end)
        return data[pos:end], end
    if tag == 0x19:
        _need(data, pos + 12)
        return DateTimeBytes(data[pos : pos + 12]), pos + 12
    floating = _FLOATS.get(tag)
    if floating is not None:
        end = pos + floating.size
        _need(data, end)
        return Decimal(repr(floating.unpack_from(data, pos)[0])), end
    raise DecodeError("decoder.axdr_type", tag=f"0x{tag:02X}")


def _need(data: bytes, end: int) -> None:
    if end > len(data):
        raise TruncatedError("decoder.axdr_value_cut")
