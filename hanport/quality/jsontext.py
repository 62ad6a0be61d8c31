"""JSON text of plain values with exact numbers: Decimals digit for digit, never binary floats."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from hanport.output import value_json

__all__ = ["json_text"]


def json_text(value: object) -> str:
    """Mappings, lists and tuples of str, int, bool, None, Decimal and datetime (ISO 8601)."""
    if isinstance(value, Mapping):
        items = (
            f"{json.dumps(str(k), ensure_ascii=False)}:{json_text(v)}" for k, v in value.items()
        )
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(json_text(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal | int | datetime) or value is None:
        return value_json(value)
    raise TypeError(f"{type(value).__name__} has no exact JSON form")
