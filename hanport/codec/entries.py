"""Entries (OBIS code, value, scaler/unit) of a DLMS list → fields of a `Reading`.

Values with a scaler are scaled exactly; lists that send none get the maker's documented fixed
scaling (e.g. Kamstrup: current in 0.01 A). Where the same list means different scales in
different countries (Kamstrup energy: Wh in Sweden, 10 Wh in Norway), the registers are left
to the decoder as ambiguous (`ReadingBuilder.ambiguous`), which learns each meter's multiplier
(`energy_scale`). Texts, clocks and every register without a field of its own are kept, so
nothing the meter sends is lost.
"""

from __future__ import annotations

from datetime import tzinfo

from hanport.codec.axdr import AxdrValue, DateTimeBytes
from hanport.codec.clock import cosem_datetime
from hanport.codec.normalize import ReadingBuilder, scaled_decimal, scaled_exact
from hanport.errors import UnknownLayoutError
from hanport.fields import FIELD_BY_NAME, FIELD_BY_OBIS

__all__ = [
    "Entry",
    "add_entries",
    "maker_from_list_id",
    "printable",
    "text_of",
    "unknown_layout",
]

Entry = tuple[str, AxdrValue, "tuple[int, str | None] | None"]
"""OBIS code, raw value, and (scaler, unit) when the meter sent them."""

_MAKER_SCALERS: dict[str, dict[str, int]] = {
    "kamstrup": {"A": -2, "pf": -2},
    "kaifa": {"A": -3, "V": -1},
    "landis+gyr": {"A": -2},
    "landis+gyr-at": {"A": -2},
}
_AMBIGUOUS: dict[str, frozenset[str]] = {"kamstrup": frozenset({"Wh", "varh"})}
"""Quantities whose scale a maker's scaler-less lists do not fix (see `energy_scale`)."""
_NONE: frozenset[str] = frozenset()
_EXPONENTS = {1: 0, 10: 1}
_MAX_PLANS = 4096


def add_entries(
    entries: list[Entry],
    builder: ReadingBuilder,
    zone: tzinfo,
    maker: str | None,
    energy_scale: int | None = None,
) -> None:
    """Add OBIS-tagged entries to `builder`. Raises UnknownLayoutError when none is known.

    `energy_scale` (1 or 10) is the multiplier of the registers whose scale the list does not
    say; without it they go to `builder.ambiguous` for the decoder to resolve.
    """
    maker = maker or maker_from_list_id(entries)
    profile = _PROFILES.get((maker, energy_scale)) or _profile(maker, energy_scale)
    scalers, ambiguous, plans = profile
    if energy_scale is not None and maker in _AMBIGUOUS:
        builder.energy_scale = energy_scale
    values = builder.values
    known = 0
    for obis, value, scaler_unit in entries:
        if type(value) is int:
            key = (obis, scaler_unit)
            plan = plans.get(key)
            if plan is None:
                if len(plans) >= _MAX_PLANS:
                    plans.clear()
                plan = plans[key] = _number_plan(obis, scaler_unit, scalers, ambiguous)
            name, multiplier, exponent, whole = plan
            if name is not None:
                known += 1
                if name in values:
                    continue
                if multiplier > 0:
                    values[name] = value * multiplier
                elif multiplier < 0:
                    builder.add_ambiguous(obis, value, FIELD_BY_NAME[name].unit or "")
                else:
                    values[name] = (
                        scaled_exact(value, exponent) if whole else scaled_decimal(value, exponent)
                    )
                continue
        known += _add_entry(builder, obis, value, scaler_unit, scalers, ambiguous, zone)
    if not known and "meter_time" not in builder.values:
        raise unknown_layout(None, [obis for obis, _, _ in entries])


NumberPlan = tuple["str | None", int, int, bool]
"""(field, multiplier, exponent, int field?) for an integer register going straight to its
field: a multiplier when the result is an exact int, 0 and the decimal exponent when it is a
Decimal, and -1 when the list does not say the register's scale (ambiguous)."""

Profile = tuple[dict[str, int], frozenset[str], dict[tuple[str, object], NumberPlan]]
"""A maker's fixed scalers, the quantities its lists leave ambiguous, and the plans of its
registers (OBIS code, scaler/unit → plan)."""


def _profile(maker: str | None, energy_scale: int | None) -> Profile:
    """The profile of a maker's lists read with `energy_scale` (None: ambiguous left so)."""
    scalers = dict(_MAKER_SCALERS.get(maker or "", {}))
    ambiguous = _AMBIGUOUS.get(maker or "", _NONE)
    if energy_scale is not None and ambiguous:
        scalers.update(dict.fromkeys(ambiguous, _EXPONENTS[energy_scale]))
        ambiguous = _NONE
    profile = _PROFILES[(maker, energy_scale)] = (scalers, ambiguous, {})
    return profile


_PROFILES: dict[tuple[str | None, int | None], Profile] = {}


def _number_plan(
    obis: str,
    scaler_unit: tuple[int, str | None] | None,
    scalers: dict[str, int],
    ambiguous: frozenset[str],
) -> NumberPlan:
    field = FIELD_BY_OBIS.get(obis)
    if field is None or field.kind not in ("int", "decimal"):
        return None, 0, 0, False
    scaler, unit = _scaling(obis, scaler_unit, scalers)
    if unit != field.unit:
        return None, 0, 0, False
    whole = field.kind == "int"
    if scaler_unit is None and unit in ambiguous:
        return field.name, -1, 0, whole
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
    ambiguous: frozenset[str],
    zone: tzinfo,
) -> int:
    field = FIELD_BY_OBIS.get(obis)
    if isinstance(value, bool) or not isinstance(value, int):
        return _add_other(builder, obis, value, zone)
    scaler, unit = _scaling(obis, scaler_unit, scalers)
    if field is not None and field.kind == "text":
        builder.add_value(field, str(value))
        return 1
    if scaler_unit is None and unit is not None and unit in ambiguous:
        builder.add_ambiguous(obis, value, unit)
        return int(field is not None)
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
        builder.add_value(field, text_of(value))
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
        return text_of(value)
    return repr(value)


def text_of(value: bytes | str) -> str:
    if isinstance(value, str):
        return value
    if printable(value):
        return value.decode("ascii")
    return value.hex().upper()


def printable(value: bytes | str) -> bool:
    text = value.encode("latin-1", "replace") if isinstance(value, str) else value
    return bool(text) and all(0x20 <= b < 0x7F for b in text)


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


def maker_from_list_id(entries: list[Entry]) -> str | None:
    for obis, value, _ in entries:
        if obis.endswith(":0.2.129") and isinstance(value, bytes | str):
            list_id = text_of(value).lower()
            for maker in ("kamstrup", "kfm", "aidon"):
                if list_id.startswith(maker):
                    return "kaifa" if maker == "kfm" else maker
    return None


def unknown_layout(body: AxdrValue, codes: list[str] | None = None) -> UnknownLayoutError:
    """The error for a list no layout fits, naming the first of its OBIS `codes` if it has any."""
    if codes:
        shown = ", ".join(codes[:12]) + (" …" if len(codes) > 12 else "")
        return UnknownLayoutError("decoder.unknown_layout_codes", codes=shown)
    return UnknownLayoutError("decoder.unknown_layout")
