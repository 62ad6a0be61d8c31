"""Exact JSON for stored data (subsystem records, the rollups' carried state). Pure.

The rule, so that what is stored comes back with the same types and values:

    int            a JSON number without fraction or exponent          7, -12
    Decimal        a JSON number with a fraction or an exponent, its exact text: 12.340,
                   1E+3; a whole Decimal gets an exponent (Decimal("5") → 5E0) so that it
                   does not come back as an int
    str, bool, None, lists, dicts with str keys    as JSON has them (tuples come back as lists)
    datetime       {"$t": "2026-01-14T12:00:00+02:00"}: ISO 8601 with its offset (aware only);
                   it comes back as the same instant with that fixed offset
    a dict key starting with "$"   written with one more "$" ("$x" → "$$x"), so that no dict
                   of yours is ever taken for a datetime

Binary floats, NaN and infinite Decimals, naive datetimes and other types are refused
(`ValueError`): they would not come back exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

__all__ = ["dumps", "loads"]

_string: Callable[[str], str] = json.encoder.encode_basestring_ascii


def dumps(value: object) -> str:
    """`value` as exact JSON text (see the module's rule)."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def loads(text: str | bytes) -> Any:
    """The value `dumps` wrote, with its types."""
    return _DECODER.decode(text if isinstance(text, str) else text.decode())


def _write(value: object, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_string(value))  # type: ignore[arg-type]
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is Decimal:
        out.append(_decimal(value))  # type: ignore[arg-type]
    elif value is None or kind is bool:
        out.append("null" if value is None else "true" if value else "false")
    elif isinstance(value, Mapping):
        _write_mapping(value, out)
    elif kind is list or kind is tuple:
        _write_sequence(value, out)  # type: ignore[arg-type]
    else:
        out.append(_other(value))


def _write_sequence(value: Sequence[object], out: list[str]) -> None:
    out.append("[")
    for index, item in enumerate(value):
        if index:
            out.append(",")
        _write(item, out)
    out.append("]")


def _write_mapping(value: Mapping[object, object], out: list[str]) -> None:
    out.append("{")
    for index, (key, item) in enumerate(value.items()):
        if type(key) is not str:
            raise ValueError(f"a key must be a text, not {key!r}")
        out.append(f"{',' if index else ''}{_string('$' + key if key[:1] == '$' else key)}:")
        _write(item, out)
    out.append("}")


def _other(value: object) -> str:
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError(f"a stored time needs its offset: {value.isoformat()} has none")
        return f'{{"$t":"{value.isoformat()}"}}'
    if isinstance(value, int) and not isinstance(value, bool):  # IntEnum, IntFlag
        return int.__repr__(int(value))
    if isinstance(value, str):  # StrEnum
        return str(_string(str.__str__(value)))
    if isinstance(value, float):
        raise ValueError(f"{value!r} is a binary float: give a Decimal or an int")
    raise ValueError(
        f"a {type(value).__name__} value ({value!r}) has no exact form: give an int, a Decimal, "
        "a text, a bool, a time, a list or a dict"
    )


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"{value} is not a number that can be stored")
    text = str(value)
    return text if "." in text or "E" in text else f"{text}E0"


def _object(pairs: list[tuple[str, Any]]) -> Any:
    if len(pairs) == 1 and pairs[0][0] == "$t":
        return datetime.fromisoformat(pairs[0][1])
    return {key[1:] if key[:1] == "$" else key: item for key, item in pairs}


_DECODER = json.JSONDecoder(parse_float=Decimal, object_pairs_hook=_object)
