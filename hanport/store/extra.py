"""A reading's `extra` registers as JSON text in a block, and back (every block format). Pure.

{"0-0:96.14.0": [value, unit, time], …}    value and time: null, an int, or a tagged list
["d", "12.5"] Decimal · ["s", "text"] · ["b", "hex"] bytes · ["t", iso, zone] time ·
["r", [register, …]] several groups
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from hanport.model import Register, Value

__all__ = ["extra_from_json", "extra_json"]


def extra_json(extra: Mapping[str, Register]) -> str | None:
    if not extra:
        return None
    items = {obis: _register_json(register) for obis, register in extra.items()}
    return json.dumps(items, separators=(",", ":"))


def extra_from_json(text: str) -> Mapping[str, Register]:
    return MappingProxyType({obis: _register(item) for obis, item in json.loads(text).items()})


def _register_json(register: Register) -> list[Any]:
    return [_value_json(register.value), register.unit, _value_json(register.time)]


def _value_json(value: Value) -> Any:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, Decimal):
        return ["d", str(value)]
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, bytes):
        return ["b", value.hex()]
    if isinstance(value, datetime):
        zone = getattr(value.tzinfo, "key", None)
        return ["t", value.isoformat(), zone]
    assert isinstance(value, tuple)
    return ["r", [_register_json(item) for item in value]]


def _register(item: list[Any]) -> Register:
    value, unit, time = item
    parsed_time = _value(time)
    assert parsed_time is None or isinstance(parsed_time, datetime)
    return Register(_value(value), unit, parsed_time)


def _value(item: Any) -> Value:
    if item is None or isinstance(item, int):
        return item
    tag, content = item[0], item[1]
    if tag == "d":
        return Decimal(content)
    if tag == "s":
        return str(content)
    if tag == "b":
        return bytes.fromhex(content)
    if tag == "t":
        moment = datetime.fromisoformat(content)
        if item[2] is not None:
            from zoneinfo import ZoneInfo

            moment = moment.astimezone(ZoneInfo(item[2]))
        return moment
    return tuple(_register(register) for register in content)
