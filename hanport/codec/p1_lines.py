"""The common P1 number lines, `OBIS(digits.digits*unit)`, and how each maps to a field.

A "plan" says, for an OBIS code and a unit as printed, which field the value goes to and how to
make it exact: an integer times a power of ten (W, Wh, var, varh) or a Decimal (V, A, Hz).
"""

from __future__ import annotations

import re

from hanport.codec.units import normalize_unit
from hanport.fields import FIELD_BY_OBIS

__all__ = ["Plan", "number_plan", "object_line"]

_OBJECT_LINE = r"^([^\s(]+)\((?:(\d+)(?:\.(\d+))?\*([A-Za-z]+)\)(?=\r?\n|\Z)|([^\r\n]*))"


def object_line() -> re.Pattern[str]:
    """An object line: OBIS, then either a plain number (whole, fraction, unit) or the rest.

    Compiled on first use (re caches it), not at import: `import hanport` has a time budget.
    """
    if not _COMPILED:
        _COMPILED.append(re.compile(_OBJECT_LINE, re.MULTILINE | re.ASCII))
    return _COMPILED[0]


_COMPILED: list[re.Pattern[str]] = []


Plan = tuple[str, int]
"""(field name, multiplier) for integer fields; multiplier 0 marks a Decimal field."""

_SPELLINGS = (
    *("W", "kW", "Wh", "kWh", "V", "A", "Hz"),
    *("var", "kvar", "kVAr", "kVar", "varh", "kvarh", "kVArh", "kVarh"),
)


def _plans() -> dict[tuple[str, str], tuple[str, bool, int]]:
    plans: dict[tuple[str, str], tuple[str, bool, int]] = {}
    for obis, field in FIELD_BY_OBIS.items():
        if field.kind not in ("int", "decimal") or not obis.startswith(("1-0:", "1-1:")):
            continue
        for spelling in _SPELLINGS:
            base, exponent = normalize_unit(spelling)
            if base == field.unit and (field.kind == "int" or exponent == 0):
                plans[(obis, spelling)] = (field.name, field.kind == "int", exponent)
    return plans


_PLANS: dict[tuple[str, str], tuple[str, bool, int]] = {}
"""Built on first use, not at import: `import hanport` has a time budget."""


def number_plan(obis: str, unit: str, decimals: int) -> Plan | None:
    """How to read `whole.frac` (with `decimals` digits after the point) for this field.

    None when the line is not a plain number for a field, or when an integer field would need
    rounding (finer than 1 W); such lines take the general path.
    """
    if not _PLANS:
        _PLANS.update(_plans())
    plan = _PLANS.get((obis, unit))
    if plan is None:
        return None
    name, is_int, exponent = plan
    if not is_int:
        return name, 0
    shift = exponent - decimals
    return (name, 10**shift) if shift >= 0 else None
