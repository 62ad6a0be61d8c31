"""What it costs: day-ahead prices, network packages, national fees and VAT, per 15 minutes.

Pure modules (values in, values out):

    slots            PriceSlot, quarter_prices
    prices_elering   parse_elering_json, parse_elering_csv
    prices_entsoe    parse_entsoe_xml
    dso              parse_dso_csv, dso_columns        the DSO's consumption export
    reconcile        dso_slot_energies, hour_differences
    schedule         due_fetches, next_publication, prices_known_until
    presets          network_packages, national_fees   (data in presets/*.toml)
    windows          window, is_rest_day
    settings         prices_settings, tariff_settings, PRICES_KEYS, TARIFF_KEYS
    tariff           build_tariff, Tariff
    ledger           slot_ledger, SlotCost
    bill             month_bill, MonthBill
    aggregate        cost_rows, CostRow
    forecast         month_forecast
    peaks            PeakRule, month_peak, peak_warning
    plan             all_in_prices, cheapest_window, cheapest_slots, parse_duration
    boundary         slot_energies, quarter_energies   (the rollups' slot energy rule)

The I/O edge is `hanport.costs.fetch` (httpx), imported only where prices are fetched.
Every sentence for a person is in `hanport.costs.texts`, in English and Estonian.
"""

from hanport.costs.aggregate import CostRow, cost_rows
from hanport.costs.bill import MonthBill, month_bill
from hanport.costs.boundary import quarter_energies, slot_energies
from hanport.costs.energy import SlotEnergy
from hanport.costs.errors import (
    CostError,
    CostSettingError,
    DsoFileError,
    PriceDataError,
    PriceFetchError,
    TariffError,
)
from hanport.costs.forecast import MonthForecast, month_forecast
from hanport.costs.ledger import SlotCost, slot_ledger
from hanport.costs.plan import all_in_prices, cheapest_slots, cheapest_window, parse_duration
from hanport.costs.slots import PriceSlot, quarter_prices
from hanport.costs.tariff import Tariff, build_tariff

__all__ = [
    "CostError",
    "CostRow",
    "CostSettingError",
    "DsoFileError",
    "MonthBill",
    "MonthForecast",
    "PriceDataError",
    "PriceFetchError",
    "PriceSlot",
    "SlotCost",
    "SlotEnergy",
    "Tariff",
    "TariffError",
    "all_in_prices",
    "build_tariff",
    "cheapest_slots",
    "cheapest_window",
    "cost_rows",
    "month_bill",
    "month_forecast",
    "parse_duration",
    "quarter_energies",
    "quarter_prices",
    "slot_energies",
    "slot_ledger",
]
