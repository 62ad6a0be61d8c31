"""`parse_reading` for the server's hot path: the same readings and the same errors, about
three times faster. Pure.

A payload is the state JSON of docs/mqtt.md, usually of a few known fields. This parser takes
such a payload in one pass with each field's kind looked up once and its value's exact type
compared (no `isinstance` against unions, no lookups of the field table per value); anything
else (`extra`, `verified`, a field it does not know, a value of another type, JSON it cannot
read) is left to `hanport.upstream.wire.parse_reading`, which says what is wrong in its own
sentence. tests/upstream/test_wire_fast.py checks both give the same on many payloads.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from hanport.fields import FIELD_BY_NAME
from hanport.model import READING_FIELDS, Reading, new_reading
from hanport.upstream.wire import parse_reading

__all__ = ["parse_reading_fast"]

_NO = object()
"""A value the fast path does not take (the general parser then decides)."""


def _int(value: object) -> object:
    found = type(value)
    return value if found is int or found is Decimal else _NO


def _decimal(value: object) -> object:
    found = type(value)
    if found is Decimal:
        return value
    return Decimal(value) if found is int else _NO  # type: ignore[arg-type]


def _text(value: object) -> object:
    return value if type(value) is str and len(value) <= 200 else _NO


def _moment(value: object) -> object:
    if type(value) is not str:
        return _NO
    try:
        moment = _FROM_ISO(value)
    except ValueError:
        return _NO
    return _NO if moment.utcoffset() is None else moment


_FROM_ISO = datetime.fromisoformat
_CHECKS = {"text": _text, "time": _moment, "int": _int, "decimal": _decimal}
_CHECK = {
    name: _CHECKS[FIELD_BY_NAME[name].kind]
    for name in READING_FIELDS
    if name in FIELD_BY_NAME and FIELD_BY_NAME[name].kind in _CHECKS
}
assert {n for n, c in _CHECK.items() if c is _text} == {"meter_id", "meter_model"}
assert {n for n, c in _CHECK.items() if c is _moment} == {"meter_time", "received_at"}


def _no_constant(name: str) -> object:
    raise ValueError(name)


_DECODE = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant).decode
_ENCODING = json.detect_encoding


def parse_reading_fast(payload: bytes, meter_id: str | None = None) -> Reading:
    """`parse_reading(payload, meter_id)`, faster for the usual payloads."""
    try:
        data = _DECODE(payload.decode(_ENCODING(payload), "surrogatepass"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return parse_reading(payload, meter_id)
    if type(data) is not dict:
        return parse_reading(payload, meter_id)
    values: dict[str, object] = {}
    check_of = _CHECK.get
    for name, value in data.items():
        check = check_of(name)
        if check is None:
            break
        taken = check(value)
        if taken is _NO:
            break  # not the usual: the general parser decides, and names what is wrong
        values[name] = taken
    else:
        if type(values.get("meter_time")) is datetime:
            if meter_id is not None:
                values["meter_id"] = meter_id
            return new_reading(values)
    return parse_reading(payload, meter_id)
