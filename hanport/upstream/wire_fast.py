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

_TEXT, _TIME, _INT, _DECIMAL = 1, 2, 3, 4
_KINDS = {"text": _TEXT, "time": _TIME, "int": _INT, "decimal": _DECIMAL}
_KIND = {
    name: _KINDS[FIELD_BY_NAME[name].kind]
    for name in READING_FIELDS
    if name in FIELD_BY_NAME and FIELD_BY_NAME[name].kind in _KINDS
}
assert {n for n, k in _KIND.items() if k == _TEXT} == {"meter_id", "meter_model"}
assert {n for n, k in _KIND.items() if k == _TIME} == {"meter_time", "received_at"}


def _no_constant(name: str) -> object:
    raise ValueError(name)


_DECODE = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant).decode
_ENCODING = json.detect_encoding
_FROM_ISO = datetime.fromisoformat


def parse_reading_fast(payload: bytes, meter_id: str | None = None) -> Reading:
    """`parse_reading(payload, meter_id)`, faster for the usual payloads."""
    try:
        data = _DECODE(payload.decode(_ENCODING(payload), "surrogatepass"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return parse_reading(payload, meter_id)
    if type(data) is not dict:
        return parse_reading(payload, meter_id)
    values: dict[str, object] = {}
    kind_of = _KIND.get
    for name, value in data.items():
        kind = kind_of(name)
        found = type(value)
        if kind == _INT:
            if found is int or found is Decimal:
                values[name] = value
                continue
        elif kind == _DECIMAL:
            if found is Decimal:
                values[name] = value
                continue
            if found is int:
                values[name] = Decimal(value)
                continue
        elif kind == _TIME:
            if found is str:
                try:
                    moment = _FROM_ISO(value)
                except ValueError:
                    break
                if moment.utcoffset() is None:
                    break
                values[name] = moment
                continue
        elif kind == _TEXT and found is str and len(value) <= 200:
            values[name] = value
            continue
        break  # not the usual: the general parser decides, and names what is wrong
    else:
        if type(values.get("meter_time")) is datetime:
            if meter_id is not None:
                values["meter_id"] = meter_id
            return new_reading(values)
    return parse_reading(payload, meter_id)
