"""The values the decoder produces: `Reading` for a verified frame, `Rejected` for anything else.

Units are in the field names. Power (W, var) and energy (Wh, varh) are exact integers, or
`Decimal` when the meter sends fractions of the unit (EasyMeter `002124.86*W`); voltage,
current, power factor and frequency are `Decimal`. Every value is exactly what the meter sent:
nothing is ever rounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: `import hanport` stays light
    from typing import TypeAlias

    from hanport.errors import HanError

__all__ = ["READING_FIELDS", "Reading", "Register", "Rejected", "Value", "new_reading"]

Value: TypeAlias = "Decimal | int | str | bytes | datetime | tuple[Register, ...] | None"
"""One register value: a number (exact), a text, raw bytes, a time, or several groups."""


@dataclass(frozen=True)
class Register:
    """A register the meter sent, with its unit (None for counts and texts).

    `time` is the capture time some registers carry (M-Bus values, event logs).
    A P1 line with several unrelated groups has a tuple of `Register` as its value.
    """

    value: Value
    unit: str | None = None
    time: datetime | None = None


_EMPTY: Mapping[str, Register] = MappingProxyType({})


@dataclass(frozen=True, kw_only=True)
class Reading:
    """One verified frame from a meter, normalised.

    Fields are None when the meter does not send them. `extra` keeps every other register,
    keyed by its OBIS code (`"0-0:96.14.0"`), so that nothing the meter sends is lost.

    `verified` is False when the frame carried nothing that checks its data: a P1 telegram
    sent without CRC (accepted only from meters that send none, see `hanport.codec.p1_crc`),
    a bare DLMS APDU, or an encrypted APDU without authentication tag outside any frame.
    """

    meter_id: str | None = None
    meter_model: str | None = None
    meter_time: datetime | None = None
    received_at: datetime | None = None
    power_import_w: int | Decimal | None = None
    power_export_w: int | Decimal | None = None
    reactive_power_import_var: int | Decimal | None = None
    reactive_power_export_var: int | Decimal | None = None
    power_import_l1_w: int | Decimal | None = None
    power_import_l2_w: int | Decimal | None = None
    power_import_l3_w: int | Decimal | None = None
    power_export_l1_w: int | Decimal | None = None
    power_export_l2_w: int | Decimal | None = None
    power_export_l3_w: int | Decimal | None = None
    reactive_power_import_l1_var: int | Decimal | None = None
    reactive_power_import_l2_var: int | Decimal | None = None
    reactive_power_import_l3_var: int | Decimal | None = None
    reactive_power_export_l1_var: int | Decimal | None = None
    reactive_power_export_l2_var: int | Decimal | None = None
    reactive_power_export_l3_var: int | Decimal | None = None
    voltage_l1_v: Decimal | None = None
    voltage_l2_v: Decimal | None = None
    voltage_l3_v: Decimal | None = None
    current_l1_a: Decimal | None = None
    current_l2_a: Decimal | None = None
    current_l3_a: Decimal | None = None
    energy_import_wh: int | Decimal | None = None
    energy_export_wh: int | Decimal | None = None
    energy_import_t1_wh: int | Decimal | None = None
    energy_import_t2_wh: int | Decimal | None = None
    energy_export_t1_wh: int | Decimal | None = None
    energy_export_t2_wh: int | Decimal | None = None
    reactive_energy_import_varh: int | Decimal | None = None
    reactive_energy_export_varh: int | Decimal | None = None
    power_factor: Decimal | None = None
    frequency_hz: Decimal | None = None
    extra: Mapping[str, Register] = field(default_factory=lambda: _EMPTY)
    verified: bool = True


READING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Reading) if f.name != "verified")
"""The value fields, in order (the field table's names and `extra`); `verified` is not one:
storage, exports and MQTT field topics handle it on their own."""
_DEFAULTS: dict[str, object] = dict.fromkeys(READING_FIELDS)
_DEFAULTS["extra"] = _EMPTY
_DEFAULTS["verified"] = True


def new_reading(values: dict[str, object]) -> Reading:
    """`Reading(**values)` for the decoder's hot path: the same object, five times faster.

    `values` must hold only `Reading` field names with values of the fields' types; the frozen
    dataclass `__init__` would set them one by one through `object.__setattr__`.
    """
    reading = object.__new__(Reading)
    state = _DEFAULTS.copy()
    state.update(values)
    object.__setattr__(reading, "__dict__", state)
    return reading


@dataclass(frozen=True)
class Rejected:
    """A frame (or stretch of line data) that did not yield a verified reading.

    `reason` is the English sentence for a person; `raw` is the bytes it was about; `code` and
    `params` say the same for the catalogues (`hanport.i18n`), to render it in any language.
    The decoder makes them with `Rejected.of(code, raw, **params)` or `Rejected.of_error`.
    """

    reason: str
    raw: bytes = b""
    code: str = ""
    params: Mapping[str, object] = field(default_factory=lambda: _EMPTY_PARAMS)

    @classmethod
    def of(cls, code: str, raw: bytes = b"", /, **params: object) -> Rejected:
        """The rejection `code` of the catalogue's `[decoder]` table, about `raw`."""
        from hanport.i18n.catalogue import Message

        return cls(Message(code, **params), raw, code, params)

    @classmethod
    def of_error(cls, error: HanError, raw: bytes) -> Rejected:
        """The rejection an error raised while decoding `raw` stands for."""
        from hanport.i18n.catalogue import Message

        return cls(Message(error.code, **error.params), raw, error.code, error.params)

    def text(self, language: str) -> str:
        """The reason in `language` (as it is when it was made without a code)."""
        if not self.code:
            return self.reason
        from hanport.i18n.catalogue import render

        return render(self.code, self.params, language)


_EMPTY_PARAMS: Mapping[str, object] = MappingProxyType({})
