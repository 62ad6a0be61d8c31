"""Units as meters print them (`kWh`, `kvarh`, `kVAr`, `MWh`) → base unit and power of ten."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["DLMS_UNITS", "normalize_unit", "to_decimal", "to_exact"]

_BASES = {
    "w": "W",
    "wh": "Wh",
    "var": "var",
    "varh": "varh",
    "va": "VA",
    "vah": "VAh",
    "v": "V",
    "a": "A",
    "hz": "Hz",
}
_PREFIXES = {"k": 3, "m": 6, "g": 9}


def _unit_table() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for key, base in _BASES.items():
        table[key] = (base, 0)
        for prefix, exponent in _PREFIXES.items():
            table[prefix + key] = (base, exponent)
    table["mv"] = ("V", -3)
    table["ma"] = ("A", -3)
    return table


_UNITS = _unit_table()


def normalize_unit(unit: str) -> tuple[str, int]:
    """`"kWh"` → `("Wh", 3)`; case-insensitive. Unknown units come back unchanged with 0."""
    return _UNITS.get(unit.lower(), (unit, 0))


def to_exact(digits: str, exponent: int) -> int | Decimal:
    """The decimal text `digits` × 10^exponent, exactly; nothing is ever rounded.

    An int when the text is no finer than the unit, ("0001.011", 3) → 1011; a Decimal when the
    meter sends fractions of the unit, ("002124.86", 0) → Decimal("2124.86"). The type follows
    the resolution the meter prints, not the value: ("1.2340", 3) → Decimal("1234.0").
    No binary float is ever involved.
    """
    whole, _, frac = digits.partition(".")
    shift = exponent - len(frac)
    if shift >= 0:
        return int(whole + frac) * int(10**shift)
    return Decimal(digits).scaleb(exponent)


def to_decimal(digits: str, exponent: int) -> Decimal:
    value = Decimal(digits)
    return value.scaleb(exponent) if exponent else value


DLMS_UNITS: dict[int, str] = {
    1: "a",
    2: "mo",
    3: "wk",
    4: "d",
    5: "h",
    6: "min",
    7: "s",
    8: "°",
    9: "°C",
    10: "currency",
    11: "m",
    12: "m/s",
    13: "m3",
    14: "m3",
    15: "m3/h",
    16: "m3/h",
    17: "m3/d",
    18: "m3/d",
    19: "l",
    20: "kg",
    21: "N",
    22: "Nm",
    23: "Pa",
    24: "bar",
    25: "J",
    26: "J/h",
    27: "W",
    28: "VA",
    29: "var",
    30: "Wh",
    31: "VAh",
    32: "varh",
    33: "A",
    34: "C",
    35: "V",
    36: "V/m",
    37: "F",
    38: "Ω",
    39: "Ωm2/m",
    40: "Wb",
    41: "T",
    42: "A/m",
    43: "H",
    44: "Hz",
    45: "1/(Wh)",
    46: "1/(varh)",
    47: "1/(VAh)",
    48: "V2h",
    49: "A2h",
    50: "kg/s",
    51: "S",
    52: "K",
    53: "1/(V2h)",
    54: "1/(A2h)",
    56: "%",
    57: "Ah",
}
"""DLMS Blue Book unit enumeration → unit text (255 and unknown codes: no unit)."""
