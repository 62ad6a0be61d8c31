"""The errors of `hanport.costs`, each one plain sentence in English or Estonian.

CostError                 (HanError)  str(error) is English; error.in_language("et")
├── PriceDataError        a price file or response cannot be read as prices
├── PriceFetchError       a price provider could not be reached or refused the request
├── TariffError           a tariff component is not known for a moment
├── DsoFileError          a DSO consumption file cannot be read
└── CostSettingError      (also ConfigError) a [prices] or [tariff] setting cannot work
"""

from __future__ import annotations

from hanport.costs.texts import text
from hanport.errors import HanError
from hanport.settings.values import ConfigError

__all__ = [
    "CostError",
    "CostSettingError",
    "DsoFileError",
    "PriceDataError",
    "PriceFetchError",
    "TariffError",
]


class CostError(HanError):
    """An error whose sentence comes from the costs catalogue (`hanport.costs.texts`)."""

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(text(key, "en", **values))

    def in_language(self, language: str) -> str:
        return text(self.key, language, **self.values)


class PriceDataError(CostError):
    pass


class PriceFetchError(CostError):
    pass


class TariffError(CostError):
    pass


class DsoFileError(CostError):
    pass


class CostSettingError(ConfigError, CostError):
    pass
