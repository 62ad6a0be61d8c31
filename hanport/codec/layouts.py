"""How meter makers lay out the values of a DLMS push list, and how to read each layout.

* OBIS-tagged (Aidon, Kamstrup, Kaifa SE, Austrian Kaifa/Sagemcom): an OBIS octet string
  followed by its value, and sometimes a `{scaler, unit}` structure. Nesting varies; we walk it.
* Described (Landis+Gyr E450 CH): the first element is the push object list
  `{class, OBIS, attribute, index}`; the values follow in the same order.
* Positional (Kaifa `KFM_001` in Norway, Landis+Gyr in Austria): bare values whose meaning is
  given by the list's identity and length.

Lists without scalers get the maker's documented fixed scaling (e.g. Kamstrup: current in
0.01 A, energy in 10 Wh).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import tzinfo

from hanport.codec.axdr import AxdrValue, DateTimeBytes, DlmsEnum
from hanport.codec.clock import cosem_datetime
from hanport.codec.normalize import ReadingBuilder, scaled_decimal, scaled_int
from hanport.codec.obis import obis_text
from hanport.codec.units import DLMS_UNITS
from hanport.errors import UnknownLayoutError
from hanport.fields import FIELD_BY_OBIS

__all__ = ["Entry", "add_entries", "read_list"]

Entry = tuple[str, AxdrValue, "tuple[int, str | None] | None"]
"""OBIS code, raw value, and (scaler, unit) when the meter sent them."""

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
_MAKER_SCALERS: dict[str, dict[str, int]] = {
    "kamstrup": {"A": -2, "Wh": 1, "varh": 1, "pf": -2},
    "kaifa": {"A": -3, "V": -1},
    "landis+gyr": {"A": -2},
    "landis+gyr-at": {"A": -2},
}


def read_list(
    body: AxdrValue, builder: ReadingBuilder, zone: tzinfo, maker: str | None = None
) -> None:
    """Add the values of a notification body to `builder`. Raises UnknownLayoutError."""
    entries, maker = _entries(body, maker)
    if not entries:
        raise UnknownLayoutError(_unknown(body))
    add_entries(entries, builder, zone, maker)


def add_entries(
    entries: list[Entry], builder: ReadingBuilder, zone: tzinfo, maker: str | None
) -> None:
    """Add OBIS-tagged entries to `builder`. Raises UnknownLayoutError when none is known."""
    maker = maker or _maker_from_list_id(entries)
    scalers = _MAKER_SCALERS.get(maker or "", {})
    values = builder.values
    known = 0
    for obis, value, scaler_unit in entries:
        if type(value) is int:
            key = (obis, scaler_unit, maker)
            plan = _PLANS.get(key)
            if plan is None:
                plan = _PLANS[key] = _number_plan(obis, scaler_unit, scalers)
            name, multiplier, exponent, whole = plan
            if name is not None:
                known += 1
                if name not in values:
                    values[name] = (
                        value * multiplier
                        if multiplier
                        else scaled_int(value, exponent)
                        if whole
                        else scaled_decimal(value, exponent)
                    )
                continue
        known += _add_entry(builder, obis, value, scaler_unit, scalers, zone)
    if not known and "meter_time" not in builder.values:
        raise UnknownLayoutError(_unknown(None, [obis for obis, _, _ in entries]))


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
            return tagged, maker or _maker_from_list_id(tagged)
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
    if index == count - 1 and isinstance(item, str | bytes) and _printable(item):
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
        and _text(first).startswith("KFM_")
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


NumberPlan = tuple["str | None", int, int, bool]
"""(field, multiplier, exponent, int field?) for an integer register going straight to its
field: a multiplier when the result is an exact int, else 0 and the decimal exponent."""

_PLANS: dict[tuple[str, object, str | None], NumberPlan] = {}


def _number_plan(
    obis: str, scaler_unit: tuple[int, str | None] | None, scalers: dict[str, int]
) -> NumberPlan:
    field = FIELD_BY_OBIS.get(obis)
    if field is None or field.kind not in ("int", "decimal"):
        return None, 0, 0, False
    scaler, unit = _scaling(obis, scaler_unit, scalers)
    if unit != field.unit:
        return None, 0, 0, False
    whole = field.kind == "int"
    return field.name, 10**scaler if whole and scaler >= 0 else 0, scaler, whole


def _scaling(
    obis: str, scaler_unit: tuple[int, str | None] | None, scalers: dict[str, int]
) -> tuple[int, str | None]:
    if scaler_unit is not None:
        return scaler_unit
    field = FIELD_BY_OBIS.get(obis)
    unit = field.unit if field is not None else _quantity(obis)[1]
    return scalers.get(_quantity(obis)[0] if unit is None else unit, 0), unit


def _add_entry(
    builder: ReadingBuilder,
    obis: str,
    value: AxdrValue,
    scaler_unit: tuple[int, str | None] | None,
    scalers: dict[str, int],
    zone: tzinfo,
) -> int:
    field = FIELD_BY_OBIS.get(obis)
    if isinstance(value, bool) or not isinstance(value, int):
        return _add_other(builder, obis, value, zone)
    scaler, unit = _scaling(obis, scaler_unit, scalers)
    if field is not None and field.kind == "text":
        builder.add_value(field, str(value))
        return 1
    builder.add_scaled(obis, value, scaler, unit)
    return int(field is not None)


def _add_other(builder: ReadingBuilder, obis: str, value: AxdrValue, zone: tzinfo) -> int:
    field = FIELD_BY_OBIS.get(obis)
    if field is not None and field.kind == "time" and isinstance(value, bytes):
        time = cosem_datetime(value, zone)
        if time is not None:
            builder.add_value(field, time)
            return 1
    if field is not None and field.kind == "text" and isinstance(value, bytes | str):
        builder.add_value(field, _text(value))
        return 1
    if isinstance(value, DateTimeBytes) or (isinstance(value, bytes) and len(value) == 12):
        time = cosem_datetime(value, zone)
        if time is not None:
            builder.add_extra(obis, None, None, time)
            return 0
    builder.add_extra(obis, _plain(value))
    return 0


def _plain(value: AxdrValue) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, bytes | str):
        return _text(value)
    return repr(value)


def _text(value: bytes | str) -> str:
    if isinstance(value, str):
        return value
    if _printable(value):
        return value.decode("ascii")
    return value.hex().upper()


def _printable(value: bytes | str) -> bool:
    text = value.encode("latin-1", "replace") if isinstance(value, str) else value
    return bool(text) and all(0x20 <= b < 0x7F for b in text)


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


def _quantity(obis: str) -> tuple[str, str | None]:
    """Electricity OBIS → (scaling key, implied unit) for lists that send no unit."""
    medium, _, cde = obis.partition(":")
    if not medium.startswith("1-"):
        return "", None
    parts = cde.split(".")
    if len(parts) < 2 or not parts[0].isdigit():
        return "", None
    c, d = int(parts[0]), parts[1]
    q = c if c <= 20 else (c - 1) % 20 + 1
    energy = d == "8"
    if q in (1, 2, 15, 16):
        return ("Wh", "Wh") if energy else ("W", "W")
    if 3 <= q <= 8:
        return ("varh", "varh") if energy else ("var", "var")
    return {11: ("A", "A"), 12: ("V", "V"), 13: ("pf", None), 14: ("Hz", "Hz")}.get(q, ("", None))


def _maker_from_list_id(entries: list[Entry]) -> str | None:
    for obis, value, _ in entries:
        if obis.endswith(":0.2.129") and isinstance(value, bytes | str):
            list_id = _text(value).lower()
            for maker in ("kamstrup", "kfm", "aidon"):
                if list_id.startswith(maker):
                    return "kaifa" if maker == "kfm" else maker
    return None


def _unknown(body: AxdrValue, codes: list[str] | None = None) -> str:
    if codes:
        shown = ", ".join(codes[:12]) + (" …" if len(codes) > 12 else "")
        return (
            f"Unknown list layout: the frame holds no register hanport knows (OBIS codes {shown})."
        )
    return (
        "Unknown list layout: the frame holds no OBIS codes and matches no known meter list; "
        "please send a capture (hanport capture) so that it can be added."
    )
