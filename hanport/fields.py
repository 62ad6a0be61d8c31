"""The one field table: OBIS code → `Reading` field, unit, Home Assistant classes, labels.

Decoding, storage, MQTT discovery and the web app all read this table. OBIS codes are written
in the reduced P1 form `A-B:C.D.E`; for electricity registers (A = 1) the channel B is a
wildcard, because Kamstrup and some Aidon lists send `1-1:…` where others send `1-0:…`.
"""

from __future__ import annotations

from dataclasses import dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: `import hanport` stays light
    from typing import Literal, TypeAlias

__all__ = ["FIELDS", "FIELD_BY_NAME", "FIELD_BY_OBIS", "Field", "Kind"]

Kind: TypeAlias = 'Literal["int", "decimal", "text", "time"]'


@dataclass(frozen=True)
class Field:
    """One `Reading` field and everything needed to decode, store, publish and show it.

    `unit` is the unit of the field's value (prefix-free: W, Wh, var, V, A, Hz); values that
    arrive with another prefix (kW, kWh, MWh) are converted exactly. `kind` says how the value
    is kept: `int` for power and energy (an exact int, or a `Decimal` when the meter sends
    fractions of the unit, e.g. `002124.86*W`: nothing is rounded), `decimal` for voltage,
    current, factor, frequency.
    """

    name: str
    obis: tuple[str, ...]
    unit: str | None
    kind: Kind
    ha_device_class: str | None
    ha_state_class: str | None
    label_en: str
    label_et: str

    def label(self, language: str = "en") -> str:
        return self.label_et if language == "et" else self.label_en


def _power(name: str, obis: str, en: str, et: str) -> Field:
    return Field(name, (obis,), "W", "int", "power", "measurement", en, et)


def _reactive(name: str, obis: str, en: str, et: str) -> Field:
    return Field(name, (obis,), "var", "int", "reactive_power", "measurement", en, et)


def _energy(name: str, obis: str, en: str, et: str) -> Field:
    return Field(name, (obis,), "Wh", "int", "energy", "total_increasing", en, et)


_IMP_EN, _EXP_EN = "Active power import", "Active power export"
_IMP_ET, _EXP_ET = "Aktiivvõimsus võrgust", "Aktiivvõimsus võrku"
_RIMP_EN, _REXP_EN = "Reactive power import", "Reactive power export"
_RIMP_ET, _REXP_ET = "Reaktiivvõimsus võrgust", "Reaktiivvõimsus võrku"

FIELDS: tuple[Field, ...] = (
    Field(
        "meter_id",
        ("0-0:96.1.0", "0-0:96.1.1", "1-0:0.0.5", "1-1:0.0.5", "1-1:0.0.1", "0-0:42.0.0"),
        None,
        "text",
        None,
        None,
        "Meter ID",
        "Arvesti ID",
    ),
    Field(
        "meter_model",
        ("0-0:96.1.7", "1-1:96.1.1"),
        None,
        "text",
        None,
        None,
        "Meter model",
        "Arvesti mudel",
    ),
    Field(
        "meter_time",
        ("0-0:1.0.0", "0-1:1.0.0"),
        None,
        "time",
        "timestamp",
        None,
        "Meter time",
        "Arvesti aeg",
    ),
    Field("received_at", (), None, "time", "timestamp", None, "Received", "Vastu võetud"),
    _power("power_import_w", "1-0:1.7.0", _IMP_EN, _IMP_ET),
    _power("power_export_w", "1-0:2.7.0", _EXP_EN, _EXP_ET),
    _reactive("reactive_power_import_var", "1-0:3.7.0", _RIMP_EN, _RIMP_ET),
    _reactive("reactive_power_export_var", "1-0:4.7.0", _REXP_EN, _REXP_ET),
    _power("power_import_l1_w", "1-0:21.7.0", f"{_IMP_EN} L1", f"{_IMP_ET} L1"),
    _power("power_import_l2_w", "1-0:41.7.0", f"{_IMP_EN} L2", f"{_IMP_ET} L2"),
    _power("power_import_l3_w", "1-0:61.7.0", f"{_IMP_EN} L3", f"{_IMP_ET} L3"),
    _power("power_export_l1_w", "1-0:22.7.0", f"{_EXP_EN} L1", f"{_EXP_ET} L1"),
    _power("power_export_l2_w", "1-0:42.7.0", f"{_EXP_EN} L2", f"{_EXP_ET} L2"),
    _power("power_export_l3_w", "1-0:62.7.0", f"{_EXP_EN} L3", f"{_EXP_ET} L3"),
    _reactive("reactive_power_import_l1_var", "1-0:23.7.0", f"{_RIMP_EN} L1", f"{_RIMP_ET} L1"),
    _reactive("reactive_power_import_l2_var", "1-0:43.7.0", f"{_RIMP_EN} L2", f"{_RIMP_ET} L2"),
    _reactive("reactive_power_import_l3_var", "1-0:63.7.0", f"{_RIMP_EN} L3", f"{_RIMP_ET} L3"),
    _reactive("reactive_power_export_l1_var", "1-0:24.7.0", f"{_REXP_EN} L1", f"{_REXP_ET} L1"),
    _reactive("reactive_power_export_l2_var", "1-0:44.7.0", f"{_REXP_EN} L2", f"{_REXP_ET} L2"),
    _reactive("reactive_power_export_l3_var", "1-0:64.7.0", f"{_REXP_EN} L3", f"{_REXP_ET} L3"),
    Field(
        "voltage_l1_v",
        ("1-0:32.7.0",),
        "V",
        "decimal",
        "voltage",
        "measurement",
        "Voltage L1",
        "Pinge L1",
    ),
    Field(
        "voltage_l2_v",
        ("1-0:52.7.0",),
        "V",
        "decimal",
        "voltage",
        "measurement",
        "Voltage L2",
        "Pinge L2",
    ),
    Field(
        "voltage_l3_v",
        ("1-0:72.7.0",),
        "V",
        "decimal",
        "voltage",
        "measurement",
        "Voltage L3",
        "Pinge L3",
    ),
    Field(
        "current_l1_a",
        ("1-0:31.7.0",),
        "A",
        "decimal",
        "current",
        "measurement",
        "Current L1",
        "Vool L1",
    ),
    Field(
        "current_l2_a",
        ("1-0:51.7.0",),
        "A",
        "decimal",
        "current",
        "measurement",
        "Current L2",
        "Vool L2",
    ),
    Field(
        "current_l3_a",
        ("1-0:71.7.0",),
        "A",
        "decimal",
        "current",
        "measurement",
        "Current L3",
        "Vool L3",
    ),
    _energy("energy_import_wh", "1-0:1.8.0", "Energy imported", "Võrgust võetud energia"),
    _energy("energy_export_wh", "1-0:2.8.0", "Energy exported", "Võrku antud energia"),
    _energy(
        "energy_import_t1_wh",
        "1-0:1.8.1",
        "Energy imported, tariff 1",
        "Võrgust võetud energia, tariif 1",
    ),
    _energy(
        "energy_import_t2_wh",
        "1-0:1.8.2",
        "Energy imported, tariff 2",
        "Võrgust võetud energia, tariif 2",
    ),
    _energy(
        "energy_export_t1_wh",
        "1-0:2.8.1",
        "Energy exported, tariff 1",
        "Võrku antud energia, tariif 1",
    ),
    _energy(
        "energy_export_t2_wh",
        "1-0:2.8.2",
        "Energy exported, tariff 2",
        "Võrku antud energia, tariif 2",
    ),
    Field(
        "reactive_energy_import_varh",
        ("1-0:3.8.0",),
        "varh",
        "int",
        "reactive_energy",
        "total_increasing",
        "Reactive energy imported",
        "Võrgust võetud reaktiivenergia",
    ),
    Field(
        "reactive_energy_export_varh",
        ("1-0:4.8.0",),
        "varh",
        "int",
        "reactive_energy",
        "total_increasing",
        "Reactive energy exported",
        "Võrku antud reaktiivenergia",
    ),
    Field(
        "power_factor",
        ("1-0:13.7.0",),
        None,
        "decimal",
        "power_factor",
        "measurement",
        "Power factor",
        "Võimsustegur",
    ),
    Field(
        "frequency_hz",
        ("1-0:14.7.0",),
        "Hz",
        "decimal",
        "frequency",
        "measurement",
        "Frequency",
        "Sagedus",
    ),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}


def _obis_index() -> dict[str, Field]:
    index: dict[str, Field] = {}
    for f in FIELDS:
        for code in f.obis:
            medium, rest = code.split("-", 1)
            if medium == "1":
                _, cde = rest.split(":", 1)
                for channel in range(10):
                    index.setdefault(f"1-{channel}:{cde}", f)
            else:
                index[code] = f
    return index


FIELD_BY_OBIS: dict[str, Field] = _obis_index()
"""Reduced OBIS code (`1-0:1.7.0`) → field. Electricity registers match on any channel 0–9."""
