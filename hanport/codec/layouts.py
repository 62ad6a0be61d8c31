"""How meter makers lay out the values of a DLMS push list, and how to read each layout.

* OBIS-tagged (Aidon, Kamstrup, Kaifa SE, Austrian Kaifa/Sagemcom): an OBIS octet string
  followed by its value, and sometimes a `{scaler, unit}` structure. Nesting varies; we walk it.
* Described (Landis+Gyr E450 CH): the first element is the push object list
  `{class, OBIS, attribute, index}`; the values follow in the same order.
* Positional (Kaifa `KFM_001` in Norway, Landis+Gyr in Austria): bare values whose meaning is
  given by the list's identity and length.

The entries found are turned into fields by `entries.add_entries`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import tzinfo

from hanport.codec.axdr import AxdrValue, DlmsEnum
from hanport.codec.entries import (
    Entry,
    add_entries,
    maker_from_list_id,
    printable,
    text_of,
    unknown_layout,
)
from hanport.codec.normalize import ReadingBuilder
from hanport.codec.obis import obis_text
from hanport.codec.units import DLMS_UNITS

__all__ = ["read_list"]


_KAIFA_3P = (
    "1-1:0.2.129",
    "0-0:96.1.0",
    "0-0:96.1.7",
    "1-0:1.7.0",
    "1-0:2.7.0",
    "1-0:3.7.0",
    "1-0:4.7.0",
    "1-0:31.7.0",
    "1-0:51.7.0",
    "1-0:71.7.0",
    "1-0:32.7.0",
    "1-0:52.7.0",
    "1-0:72.7.0",
)
_KAIFA_1P = (*_KAIFA_3P[:8], "1-0:32.7.0")
_HOURLY = ("0-0:1.0.0", "1-0:1.8.0", "1-0:2.8.0", "1-0:3.8.0", "1-0:4.8.0")
_KAIFA_LISTS = {
    len(_KAIFA_3P): _KAIFA_3P,
    len(_KAIFA_3P) + 5: _KAIFA_3P + _HOURLY,
    len(_KAIFA_1P): _KAIFA_1P,
    len(_KAIFA_1P) + 5: _KAIFA_1P + _HOURLY,
}
_LANDIS_GYR_AT = (
    "1-0:32.7.0",
    "1-0:52.7.0",
    "1-0:72.7.0",
    "1-0:31.7.0",
    "1-0:51.7.0",
    "1-0:71.7.0",
    "1-0:1.7.0",
    "1-0:2.7.0",
    "1-0:1.8.0",
    "1-0:2.8.0",
    "position-11",
    "position-12",
    "position-13",
    "0-0:96.1.0",
)
"""Netz Burgenland E450 list; positions 11–13 are not documented and are kept as they come."""


# Fixed scalers by maker, per quantity (see `_quantity`), for lists that carry none.
def read_list(
    body: AxdrValue,
    builder: ReadingBuilder,
    zone: tzinfo,
    maker: str | None = None,
    energy_scale: int | None = None,
) -> None:
    """Add the values of a notification body to `builder`. Raises UnknownLayoutError."""
    entries, maker = _entries(body, maker)
    if not entries:
        raise unknown_layout(body)
    add_entries(entries, builder, zone, maker, energy_scale)


def _entries(body: AxdrValue, maker: str | None) -> tuple[list[Entry], str | None]:
    if isinstance(body, tuple | list):
        described = _described(body)
        if described is not None:
            return described, maker or "landis+gyr"
        positional = _positional(body, maker)
        if positional is not None:
            return positional
        tagged = list(_tagged(body))
        if tagged:
            return tagged, maker or maker_from_list_id(tagged)
    return [], maker


def _tagged(items: Sequence[AxdrValue]) -> Iterator[Entry]:
    """Walk a nested list, pairing every OBIS octet string with the value after it."""
    index = 0
    while index < len(items):
        item = items[index]
        if _is_obis(item) and index + 1 < len(items) and not _is_obis(items[index + 1]):
            assert isinstance(item, bytes)
            value = items[index + 1]
            scaler_unit = _scaler_unit(items[index + 2]) if index + 2 < len(items) else None
            yield obis_text(item), value, scaler_unit
            index += 3 if scaler_unit is not None else 2
            continue
        if isinstance(item, tuple | list):
            yield from _tagged(item)
        elif len(items) > 2:
            unpaired = _unpaired(item, index, len(items))
            if unpaired is not None:
                yield unpaired, item, None
        index += 1


def _unpaired(item: AxdrValue, index: int, count: int) -> str | None:
    """Values some makers send without OBIS code, known by their place in a flat list.

    Kamstrup opens with the list version, Austrian Kaifa and Sagemcom open with the clock and
    close with the meter serial.
    """
    if index == 0 and isinstance(item, bytes) and len(item) == 12:
        return "0-0:1.0.0"
    if index == 0 and isinstance(item, str | bytes):
        return "1-1:0.2.129"
    if index == count - 1 and isinstance(item, str | bytes) and printable(item):
        return "0-0:96.1.0"
    return None


def _described(body: Sequence[AxdrValue]) -> list[Entry] | None:
    header = body[0] if body else None
    if not isinstance(header, list) or len(header) != len(body) or not header:
        return None
    entries: list[Entry] = []
    for descriptor, value in zip(header[1:], body[1:], strict=True):
        if not (isinstance(descriptor, tuple) and len(descriptor) == 4 and _is_obis(descriptor[1])):
            return None
        obis = descriptor[1]
        assert isinstance(obis, bytes)
        entries.append((obis_text(obis), value, None))
    return entries


def _positional(body: Sequence[AxdrValue], maker: str | None) -> tuple[list[Entry], str] | None:
    if len(body) == 1 and isinstance(body[0], int):
        return [("1-0:1.7.0", body[0], (0, "W"))], maker or "kaifa"
    first = body[0] if body else None
    if (
        isinstance(first, bytes | str)
        and text_of(first).startswith("KFM_")
        and not any(_is_obis(item) for item in body)
    ):
        layout = _KAIFA_LISTS.get(len(body))
        if layout is not None:
            return [(obis, value, None) for obis, value in zip(layout, body, strict=True)], "kaifa"
    if (
        maker == "landis+gyr"
        and len(body) == len(_LANDIS_GYR_AT)
        and not any(_is_obis(item) for item in body)
    ):
        return [(o, v, None) for o, v in zip(_LANDIS_GYR_AT, body, strict=True)], "landis+gyr-at"
    return None


def _is_obis(item: AxdrValue) -> bool:
    return type(item) is bytes and len(item) == 6


def _scaler_unit(item: AxdrValue) -> tuple[int, str | None] | None:
    if (
        isinstance(item, tuple)
        and len(item) == 2
        and type(item[0]) is int
        and isinstance(item[1], DlmsEnum)
    ):
        return item[0], DLMS_UNITS.get(item[1])
    return None
