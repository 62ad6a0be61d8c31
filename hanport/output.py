"""Readings as text for people (a table) and for programs (one JSON object per line).

JSON uses exactly the `Reading` field names, omits None, writes times as ISO 8601 with their
offset, and writes decimals as JSON numbers digit for digit (never through a binary float).
A reading from a frame that carried no checksum ends with `"verified":false`; verified
readings have no such key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from hanport.fields import FIELD_BY_NAME
from hanport.i18n import number, text
from hanport.model import READING_FIELDS, Reading, Register, Value

__all__ = ["columns", "reading_json", "reading_table", "value_json"]


def reading_json(reading: Reading) -> str:
    parts = []
    for name in READING_FIELDS:
        value = getattr(reading, name)
        if name == "extra":
            if value:
                extra = ",".join(f"{json.dumps(k)}:{_register_json(r)}" for k, r in value.items())
                parts.append(f'"extra":{{{extra}}}')
        elif value is not None:
            parts.append(f"{json.dumps(name)}:{value_json(value)}")
    if not reading.verified:
        parts.append('"verified":false')
    return "{" + ",".join(parts) + "}"


def _register_json(register: Register) -> str:
    parts = [f'"value":{value_json(register.value)}']
    if register.unit is not None:
        parts.append(f'"unit":{json.dumps(register.unit)}')
    if register.time is not None:
        parts.append(f'"time":{value_json(register.time)}')
    return "{" + ",".join(parts) + "}"


def value_json(value: Value | object) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal):
        return _decimal_json(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return json.dumps(value.isoformat())
    if isinstance(value, bytes):
        return json.dumps(value.hex().upper())
    if isinstance(value, tuple):
        return "[" + ",".join(_register_json(r) for r in value if isinstance(r, Register)) + "]"
    return json.dumps(str(value))


def _decimal_json(value: Decimal) -> str:
    if not value.is_finite():
        return "null"
    text = str(value)
    return text if "E" not in text else format(value, "f")


def reading_table(reading: Reading, language: str = "en") -> str:
    """Aligned `label  value unit` rows: the named fields, then every other register."""
    rows: list[tuple[str, str]] = []
    for name in READING_FIELDS:
        value = getattr(reading, name)
        if name == "extra" or value is None:
            continue
        field = FIELD_BY_NAME[name]
        rows.append((field.label(language), _value_text(value, field.unit, language)))
    for obis, register in reading.extra.items():
        rows.append((obis, _register_text(register, language)))
    if not reading.verified:
        rows.append((text("cli.unverified_label", language), text("cli.unverified", language)))
    width = max((len(label) for label, _ in rows), default=0)
    return "\n".join(f"  {label:<{width}}  {shown}" for label, shown in rows)


def _register_text(register: Register, language: str) -> str:
    if isinstance(register.value, tuple):
        parts = register.value
        return "; ".join(_register_text(r, language) for r in parts if isinstance(r, Register))
    text = _value_text(register.value, register.unit, language)
    return f"{text} @ {register.time.isoformat()}" if register.time is not None else text


def _value_text(value: Value | object, unit: str | None, language: str) -> str:
    if isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, bytes):
        text = value.hex().upper()
    elif value is None:
        text = "—"
    else:
        text = number(value, language)  # 230,10 V and 4 215 300 Wh in Estonian
    return f"{text} {unit}" if unit else text


def columns(rows: list[Sequence[str]]) -> list[str]:
    """Rows of texts as lines of left-aligned columns two spaces apart (a console table)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
