"""The `[quality]` section: the limits the voltage figures are judged by, and the report.

    [quality]
    enabled = true                 # HANPORT_QUALITY_ENABLED: compute the figures as hours seal
    band_low_v = 207               # HANPORT_QUALITY_BAND_LOW_V: 95 % of 10-min means ≥ this …
    band_high_v = 253              # HANPORT_QUALITY_BAND_HIGH_V: … and ≤ this (also the 100 % top)
    wide_low_v = 195.5             # HANPORT_QUALITY_WIDE_LOW_V: 100 % of 10-min means ≥ this
    pv_trip_v = 253                # HANPORT_QUALITY_PV_TRIP_V: time at or above it is counted
    unbalance_pct = 2              # HANPORT_QUALITY_UNBALANCE_PCT: max |Vi − Vavg| / Vavg
    phase_loss_v = 11.5            # HANPORT_QUALITY_PHASE_LOSS_V: a phase below this is lost
    neutral_high_v = 260           # HANPORT_QUALITY_NEUTRAL_HIGH_V: broken neutral: one phase ≥ …
    neutral_low_v = 200            # HANPORT_QUALITY_NEUTRAL_LOW_V: … while another is ≤ this
    min_samples = 50               # HANPORT_QUALITY_MIN_SAMPLES: of 60 per 10 min (10-s meter)
    min_coverage_pct = 90          # HANPORT_QUALITY_MIN_COVERAGE_PCT: a week with fewer complete
                                   #   10-min means than this share has too little data to pass
    week_start = "monday"          # HANPORT_QUALITY_WEEK_START: first day of the weekly figures
    language = "et"                # HANPORT_QUALITY_LANGUAGE: en or et, for reports
    site_name = "Talu 3, Kose"     # HANPORT_QUALITY_SITE_NAME: printed on the report
    metering_point = "38ZEE-…"     # HANPORT_QUALITY_METERING_POINT: the EIC code on the bill

The defaults are EVS-EN 50160's: a report made with other limits says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from hanport.grid import BAND_V, PV_TRIP_V, WIDE_BAND_V
from hanport.settings.values import ConfigError, Raw, boolean

__all__ = [
    "QUALITY_KEYS",
    "WEEKDAYS",
    "QualitySettings",
    "SettingProblem",
    "decimal_setting",
    "language_setting",
    "quality_settings",
    "whole_setting",
]

QUALITY_KEYS = (
    "enabled",
    "band_low_v",
    "band_high_v",
    "wide_low_v",
    "pv_trip_v",
    "unbalance_pct",
    "phase_loss_v",
    "neutral_high_v",
    "neutral_low_v",
    "min_samples",
    "min_coverage_pct",
    "week_start",
    "language",
    "site_name",
    "metering_point",
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EN50160 = (BAND_V[0], BAND_V[1], WIDE_BAND_V[0])


class SettingProblem(ConfigError):
    """A `[quality]` setting that cannot work (a code of the catalogues' `[quality]` table)."""


@dataclass(frozen=True)
class QualitySettings:
    enabled: bool = True
    band_low_v: Decimal = BAND_V[0]
    band_high_v: Decimal = BAND_V[1]
    wide_low_v: Decimal = WIDE_BAND_V[0]
    pv_trip_v: Decimal = PV_TRIP_V
    unbalance_pct: Decimal = Decimal(2)
    phase_loss_v: Decimal = Decimal("11.5")
    neutral_high_v: Decimal = Decimal(260)
    neutral_low_v: Decimal = Decimal(200)
    min_samples: int = 50
    min_coverage_pct: Decimal = Decimal(90)
    week_start: int = 0
    """0 = Monday (ISO weeks) … 6 = Sunday."""
    language: str = "en"
    site_name: str = ""
    metering_point: str = ""

    @property
    def is_en50160(self) -> bool:
        """True when the bands are EN 50160's own (the report says so when they are not)."""
        return (self.band_low_v, self.band_high_v, self.wide_low_v) == _EN50160


def quality_settings(raw: Raw) -> QualitySettings:
    """`[quality]` from its raw values; `SettingProblem` (a `ConfigError`) names a bad one."""
    low = decimal_setting(raw.get("band_low_v"), BAND_V[0], Decimal(100), Decimal(300))
    high = decimal_setting(raw.get("band_high_v"), BAND_V[1], Decimal(100), Decimal(300))
    wide = decimal_setting(raw.get("wide_low_v"), WIDE_BAND_V[0], Decimal(100), Decimal(300))
    if not wide <= low < high:
        raise SettingProblem("quality.setting_band_order", low=low, high=high, wide=wide)
    neutral_high = decimal_setting(raw.get("neutral_high_v"), Decimal(260), high, Decimal(500))
    neutral_low = decimal_setting(raw.get("neutral_low_v"), Decimal(200), Decimal(0), low)
    return QualitySettings(
        enabled=boolean(raw.get("enabled"), True),
        band_low_v=low,
        band_high_v=high,
        wide_low_v=wide,
        pv_trip_v=decimal_setting(raw.get("pv_trip_v"), PV_TRIP_V, Decimal(200), Decimal(300)),
        unbalance_pct=decimal_setting(
            raw.get("unbalance_pct"), Decimal(2), Decimal("0.1"), Decimal(50)
        ),
        phase_loss_v=decimal_setting(raw.get("phase_loss_v"), Decimal("11.5"), Decimal(0), low),
        neutral_high_v=neutral_high,
        neutral_low_v=neutral_low,
        min_samples=whole_setting(raw.get("min_samples"), 50, 1, 6000),
        min_coverage_pct=decimal_setting(
            raw.get("min_coverage_pct"), Decimal(90), Decimal(0), Decimal(100)
        ),
        week_start=_weekday(raw.get("week_start")),
        language=language_setting(raw.get("language")),
        site_name=_label(raw.get("site_name")),
        metering_point=_label(raw.get("metering_point")),
    )


def decimal_setting(
    item: tuple[object, str] | None, default: Decimal, low: Decimal, high: Decimal
) -> Decimal:
    """An exact number from `low` to `high` (TOML floats are read through their text: 195.5)."""
    if item is None:
        return default
    value, where = item
    if isinstance(value, bool):
        raise SettingProblem("quality.setting_number", where=where, low=low, high=high, value=value)
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise SettingProblem(
            "quality.setting_number", where=where, low=low, high=high, value=value
        ) from None
    if not result.is_finite() or not low <= result <= high:
        raise SettingProblem("quality.setting_number", where=where, low=low, high=high, value=value)
    return result


def whole_setting(item: tuple[object, str] | None, default: int, low: int, high: int) -> int:
    if item is None:
        return default
    value, where = item
    text_value = str(value).strip()
    if isinstance(value, bool) or not text_value.isdigit() or not low <= int(text_value) <= high:
        raise SettingProblem("quality.setting_whole", where=where, low=low, high=high, value=value)
    return int(text_value)


def language_setting(item: tuple[object, str] | None) -> str:
    if item is None:
        return "en"
    value = str(item[0]).strip().lower()
    if value not in ("en", "et"):
        raise SettingProblem("quality.setting_language", where=item[1], value=item[0])
    return value


def _weekday(item: tuple[object, str] | None) -> int:
    if item is None:
        return 0
    value = str(item[0]).strip().lower()
    if value not in WEEKDAYS:
        raise SettingProblem("quality.setting_weekday", where=item[1], value=item[0])
    return WEEKDAYS.index(value)


def _label(item: tuple[object, str] | None) -> str:
    if item is None:
        return ""
    value = str(item[0]).strip()
    if len(value) > 120 or any(ord(c) < 32 for c in value):
        raise SettingProblem("quality.setting_label", where=item[1])
    return value
