"""Costs as a part of `hanport run`: the `[prices]` and `[tariff]` sections, the price
fetcher (`hanport.costs.sink`) for a real meter when a provider is set, and the costs over
MQTT (`hanport.costs.publish`) when a broker is set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hanport.costs.settings import (
    PRICES_KEYS,
    TARIFF_KEYS,
    PricesSettings,
    TariffSettings,
    prices_settings,
    tariff_settings,
)
from hanport.grid.site import Site
from hanport.mqtt.settings import MQTT
from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings
from hanport.settings.section import Section
from hanport.settings.values import Raw

__all__ = ["PRICES", "SECTIONS", "TARIFF", "sinks"]


def _tariff(raw: Raw, before: Mapping[str, object]) -> TariffSettings:
    site = before.get("site")
    if isinstance(site, Site):
        return tariff_settings(raw, site.fuse_a, site.phases)
    return tariff_settings(raw)


PRICES: Section[PricesSettings] = Section(
    "prices", PRICES_KEYS, lambda raw, before: prices_settings(raw)
)
TARIFF: Section[TariffSettings] = Section("tariff", TARIFF_KEYS, _tariff)
SECTIONS = (PRICES, TARIFF)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    """The price fetcher, for a real meter's database (the simulator's gets prices only from
    `hanport prices fetch` and `hanport prices import`), and the costs over MQTT when a broker
    is set."""
    built: list[Sink] = []
    prices = settings.get(PRICES)
    if prices.source != "none" and settings.source:
        from hanport.costs.sink import PriceSink  # httpx only when prices are fetched

        built.append(PriceSink(database, prices, settings.timezone))
    mqtt = settings.get(MQTT)
    if mqtt is not None:
        from hanport.costs.publish import CostMqttSink

        built.append(CostMqttSink(settings.get(TARIFF), mqtt))
    return built
