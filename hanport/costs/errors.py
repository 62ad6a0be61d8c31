"""The errors of `hanport.costs`, each one plain sentence in English or Estonian.

Their codes are in the catalogues' `[costs]` table; `str(error)` is English, `error.text("et")`
Estonian.

CostError                 (HanError)
├── PriceDataError        a price file or response cannot be read as prices
├── PriceFetchError       a price provider could not be reached or refused the request
├── TariffError           a tariff component is not known for a moment
├── DsoFileError          a DSO consumption file cannot be read
└── CostSettingError      (also ConfigError) a [prices] or [tariff] setting cannot work
"""

from __future__ import annotations

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
    """Prices, tariffs or a bill that cannot be worked out."""


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
