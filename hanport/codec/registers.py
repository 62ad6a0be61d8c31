"""A fast path for the two most common DLMS push lists, read straight from the bytes.

    array/structure of  {OBIS, value[, {scaler, unit}]}      Aidon, Kaifa SE
    structure of        [list id,] OBIS, value[, {scaler, unit}], OBIS, value, …   Kamstrup, AT

The result is the same list of (OBIS, value, scaler/unit) entries that walking the decoded A-XDR
tree gives (`layouts`), without building the tree first. Any other shape, or anything
unexpected, returns None and the general path decodes the frame.
"""

from __future__ import annotations

from hanport.codec.axdr import _FIXED_INT, read_length
from hanport.codec.entries import Entry
from hanport.codec.obis import obis_text
from hanport.codec.units import DLMS_UNITS

__all__ = ["scan_registers"]

_SCALER_UNIT = b"\x02\x02\x0f"
_LIST_ID = "1-1:0.2.129"


def scan_registers(apdu: bytes, pos: int) -> list[Entry] | None:
    """The entries of the body at `pos`, or None when it is not one of the two shapes."""
    try:
        return _scan(apdu, pos)
    except (IndexError, ValueError):
        return None


def _scan(apdu: bytes, pos: int) -> list[Entry] | None:
    if apdu[pos] not in (0x01, 0x02):
        return None
    count, pos = read_length(apdu, pos + 1)
    entries: list[Entry] = []
    index = 0
    while index < count:
        tag = apdu[pos]
        if tag == 0x02:
            size = apdu[pos + 1]
            if size not in (2, 3) or apdu[pos + 2 : pos + 4] != b"\x09\x06":
                return None
            found = _register(apdu, pos + 4, size == 3)
            index += 1
        elif tag == 0x09 and apdu[pos + 1] == 6:
            found = _register(apdu, pos + 2, None)
            index += 2
            if found is not None and found[0][2] is not None:
                index += 1
        elif index == 0 and tag == 0x0A:
            length, start = read_length(apdu, pos + 1)
            entries.append((_LIST_ID, apdu[start : start + length].decode("latin-1"), None))
            pos = start + length
            index += 1
            continue
        else:
            return None
        if found is None:
            return None
        entry, pos = found
        entries.append(entry)
    return entries if index == count and entries else None


def _register(apdu: bytes, pos: int, scaled: bool | None) -> tuple[Entry, int] | None:
    """OBIS at `pos`, its value, and a {scaler, unit} (required, forbidden or optional: None)."""
    obis = apdu[pos : pos + 6]
    pos += 6
    tag = apdu[pos]
    fixed = _FIXED_INT.get(tag)
    value: int | bytes | str
    if fixed is not None:
        value = fixed.unpack_from(apdu, pos + 1)[0]
        pos += 1 + fixed.size
    elif tag == 0x09:
        length, start = read_length(apdu, pos + 1)
        if length == 6:
            return None  # an OBIS-shaped value: leave the pairing to the general path
        value = apdu[start : start + length]
        pos = start + length
        if len(value) != length:
            return None
    elif tag == 0x0A:
        length, start = read_length(apdu, pos + 1)
        if start + length > len(apdu):
            return None
        value = apdu[start : start + length].decode("latin-1")
        pos = start + length
    else:
        return None
    scaler_unit = None
    if scaled is not False and apdu[pos : pos + 3] == _SCALER_UNIT and apdu[pos + 4] == 0x16:
        scaler = apdu[pos + 3]
        scaler_unit = (scaler - 256 if scaler > 127 else scaler, DLMS_UNITS.get(apdu[pos + 5]))
        pos += 6
    elif scaled:
        return None
    return (obis_text(obis), value, scaler_unit), pos
