"""The [quality] settings: defaults are EN 50160's, every bad value is named in one sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanport.quality import QUALITY_KEYS, QualitySettings, quality_settings
from hanport.quality.settings import SettingProblem
from hanport.settings.values import ConfigError, Raw

D = Decimal


def raw(**values: object) -> Raw:
    return {name: (value, f"quality.{name} in hanport.toml") for name, value in values.items()}


def test_the_defaults_are_en_50160() -> None:
    settings = quality_settings({})
    assert settings == QualitySettings()
    assert (settings.band_low_v, settings.band_high_v, settings.wide_low_v) == (
        D(207),
        D(253),
        D("195.5"),
    )
    assert settings.is_en50160
    assert set(QUALITY_KEYS) == set(QualitySettings.__dataclass_fields__)


def test_values_are_read_exactly() -> None:
    settings = quality_settings(
        raw(wide_low_v=195.5, unbalance_pct="1.5", week_start="Sunday", language="ET",
            site_name=" Talu 3, Kose ", metering_point="38ZEE-00123456-7", min_samples=45)
    )  # fmt: skip
    assert settings.wide_low_v == D("195.5")  # the TOML float through its text, not 195.49999…
    assert settings.unbalance_pct == D("1.5")
    assert (settings.week_start, settings.language) == (6, "et")
    assert (settings.site_name, settings.metering_point) == ("Talu 3, Kose", "38ZEE-00123456-7")
    assert settings.min_samples == 45
    assert not quality_settings(raw(band_low_v=210)).is_en50160


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ({"band_low_v": "low"}, "quality.band_low_v in hanport.toml must be a number from 100"),
        ({"band_high_v": True}, "quality.band_high_v in hanport.toml must be a number"),
        ({"unbalance_pct": "nan"}, "quality.unbalance_pct in hanport.toml must be a number"),
        ({"min_samples": 0}, "must be a whole number from 1 to 6000"),
        ({"week_start": "mon"}, "must be a weekday in English"),
        ({"language": "fi"}, "must be en or et, not 'fi'"),
        ({"band_low_v": 254}, "quality.wide_low_v (195.5 V) ≤ quality.band_low_v (254 V)"),
        ({"site_name": "a\nb"}, "quality.site_name in hanport.toml must be at most 120"),
        ({"neutral_low_v": 210}, "quality.neutral_low_v in hanport.toml must be a number from 0"),
    ],
)
def test_a_bad_value_is_one_sentence_naming_the_setting(
    values: dict[str, object], sentence: str
) -> None:
    with pytest.raises(ConfigError, match=r"^The ") as caught:
        quality_settings(raw(**values))
    assert sentence in str(caught.value)
    assert str(caught.value).endswith(".")
    assert ". " not in str(caught.value)  # one sentence
    problem = caught.value
    assert isinstance(problem, SettingProblem)
    assert problem.text("et") != str(problem)  # the same problem in Estonian
