"""Registers (OBIS code, value, unit) → one `Reading`, driven by the field table.

Both the P1 parser and the DLMS list layouts feed a `ReadingBuilder`; it converts each value to
its field's unit exactly, keeps every other register in `extra`, and fills totals the meter left
out (energy from the tariff registers, power from the phases).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import MappingProxyType

from hanport.codec.units import to_decimal, to_exact
from hanport.fields import FIELD_BY_OBIS, Field
from hanport.model import Reading, Register, Value, new_reading

__all__ = ["ReadingBuilder", "scaled_decimal", "scaled_exact"]

_PHASES = {
    "power_import_w": ("power_import_l1_w", "power_import_l2_w", "power_import_l3_w"),
    "power_export_w": ("power_export_l1_w", "power_export_l2_w", "power_export_l3_w"),
    "reactive_power_import_var": (
        "reactive_power_import_l1_var",
        "reactive_power_import_l2_var",
        "reactive_power_import_l3_var",
    ),
    "reactive_power_export_var": (
        "reactive_power_export_l1_var",
        "reactive_power_export_l2_var",
        "reactive_power_export_l3_var",
    ),
}
_TARIFF_TOTALS = {"1.8": "energy_import_wh", "2.8": "energy_export_wh"}


def scaled_exact(raw: int, exponent: int) -> int | Decimal:
    """raw × 10^exponent exactly: an int for exponents ≥ 0, else a Decimal (never rounded)."""
    if exponent >= 0:
        return raw * int(10**exponent)
    return Decimal(raw).scaleb(exponent)


def scaled_decimal(raw: int, exponent: int) -> Decimal:
    return Decimal(raw).scaleb(exponent) if exponent else Decimal(raw)


class ReadingBuilder:
    """Collects the registers of one frame; `build()` makes the `Reading`."""

    __slots__ = ("ambiguous", "energy_scale", "extra", "tariff_sums", "values")

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.extra: dict[str, Register] = {}
        self.tariff_sums: dict[str, int | Decimal] = {}
        self.ambiguous: dict[str, tuple[int, str]] | None = None
        """Registers whose scale the list does not say (OBIS → raw value, unit): the decoder
        scales them once it knows the meter's multiplier (`energy_scale`)."""
        self.energy_scale: int | None = None
        """The multiplier such registers were read with, when the decoder gave one."""

    def add_text_number(self, field: Field, digits: str, base: str | None, exp: int) -> bool:
        """A number printed as text (P1). False when the unit does not fit the field."""
        if base != field.unit:
            return False
        if field.kind == "int":
            self._set(field, to_exact(digits, exp))
        else:
            self._set(field, to_decimal(digits, exp))
        return True

    def add_scaled(self, obis: str, raw: int, exponent: int, unit: str | None) -> None:
        """An integer with a decimal scaler (DLMS); goes to its field when the unit fits."""
        field = FIELD_BY_OBIS.get(obis)
        if field is not None and field.kind in ("int", "decimal") and unit == field.unit:
            whole = field.kind == "int"
            value = scaled_exact(raw, exponent) if whole else scaled_decimal(raw, exponent)
            self._set(field, value)
            return
        self.add_extra(obis, scaled_decimal(raw, exponent) if exponent else raw, unit)
        if unit == "Wh":
            self.count_tariff(obis, scaled_exact(raw, exponent))

    def add_ambiguous(self, obis: str, raw: int, unit: str) -> None:
        if self.ambiguous is None:
            self.ambiguous = {}
        self.ambiguous.setdefault(obis, (raw, unit))

    def add_value(self, field: Field, value: object) -> None:
        self._set(field, value)

    def add_extra(
        self, obis: str, value: Value, unit: str | None = None, time: datetime | None = None
    ) -> None:
        self.extra[obis] = Register(value, unit, time)

    def _set(self, field: Field, value: object) -> None:
        self.values.setdefault(field.name, value)

    def count_tariff(self, obis: str, wh: int | Decimal) -> None:
        """Remember tariff registers beyond T1/T2 (1.8.3, 2.8.4 …) for the energy totals."""
        cde = obis.partition(":")[2]
        total = _TARIFF_TOTALS.get(cde[:3])
        if total is not None and obis[0] == "1" and cde[4:].isdigit() and cde[4:] != "0":
            self.tariff_sums[total] = self.tariff_sums.get(total, 0) + wh

    def build(self, received_at: datetime | None = None) -> Reading:
        values = self.values
        self._fill_totals(values)
        if received_at is not None:
            values["received_at"] = received_at
        if self.extra:
            values["extra"] = MappingProxyType(self.extra)
        return new_reading(values)

    def _fill_totals(self, values: dict[str, object]) -> None:
        for total, phases in _PHASES.items():
            if total not in values:
                present = [values[p] for p in phases if p in values]
                if present:
                    values[total] = sum(present)  # type: ignore[arg-type]
        for total, tariffs in (
            ("energy_import_wh", ("energy_import_t1_wh", "energy_import_t2_wh")),
            ("energy_export_wh", ("energy_export_t1_wh", "energy_export_t2_wh")),
        ):
            if total not in values:
                present = [values[t] for t in tariffs if t in values]
                if present:
                    values[total] = sum(present) + self.tariff_sums.get(total, 0)  # type: ignore[arg-type]
