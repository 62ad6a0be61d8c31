"""ENTSO-E Transparency Platform day-ahead prices (document type A44) as price slots.

    Publication_MarketDocument
      TimeSeries                      (several may cover one interval: the lowest
        classificationSequence_AttributeInstanceComponent.position wins, as evcc does)
        currency_Unit.name = EUR, price_Measure_Unit.name = MWH, curveType A01 | A03
        Period
          timeInterval/start, end     (UTC, "2025-09-30T22:00Z")
          resolution                  PT15M | PT30M | PT60M
          Point/position, price.amount

Curve type A03 omits a point whose price repeats the one before it: each missing position takes
the previous position's price, up to the end of the period. An `Acknowledgement_MarketDocument`
answering "no matching data" means no prices yet (an empty list); any other reason is an error.

The document comes from the internet, so it is parsed with care: a DTD or entity declaration is
refused before parsing (a price document never needs one; this is what defusedxml forbids),
and the size is capped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from hanport.costs.errors import PriceDataError
from hanport.costs.slots import PriceSlot
from hanport.i18n.catalogue import Message

__all__ = ["EE_DOMAIN", "ENTSOE_URL", "MAX_DOCUMENT_BYTES", "parse_entsoe_xml"]

ENTSOE_URL = "https://web-api.tp.entsoe.eu/api"

EE_DOMAIN = "10Y1001A1001A39I"
"""The EIC code of the Estonian bidding zone."""
MAX_DOCUMENT_BYTES = 20_000_000

_RESOLUTIONS = {
    "PT15M": timedelta(minutes=15),
    "PT30M": timedelta(minutes=30),
    "PT60M": timedelta(hours=1),
}
_NO_DATA = "999"
_UNSAFE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_entsoe_xml(body: bytes, source: str = "ENTSO-E") -> list[PriceSlot]:
    root = _safe_root(body, source)
    name = _local(root.tag)
    if name == "Acknowledgement_MarketDocument":
        code = _find_text(root, "Reason/code")
        if code == _NO_DATA:
            return []
        raise PriceDataError(
            "costs.price_refused", source=source, detail=_find_text(root, "Reason/text") or code
        )
    if name != "Publication_MarketDocument":
        raise PriceDataError(
            "costs.xml_bad", source=source, detail=Message("costs.detail_root", name=name)
        )
    best: dict[datetime, tuple[int, PriceSlot]] = {}
    for series in _children(root, "TimeSeries"):
        rank = _whole(
            _find_text(series, "classificationSequence_AttributeInstanceComponent.position") or "1",
            source,
        )
        _check_units(series)
        for period in _children(series, "Period"):
            for slot in _period_slots(period, source):
                kept = best.get(slot.start)
                if kept is None or rank < kept[0]:
                    best[slot.start] = (rank, slot)
    return [best[start][1] for start in sorted(best)]


def _safe_root(body: bytes, source: str) -> ET.Element:
    if len(body) > MAX_DOCUMENT_BYTES:
        raise PriceDataError(
            "costs.xml_size", source=source, limit_mb=MAX_DOCUMENT_BYTES // 1_000_000
        )
    if _UNSAFE.search(body):
        raise PriceDataError("costs.xml_unsafe", source=source)
    try:
        return ET.fromstring(body)
    except ET.ParseError as error:
        raise PriceDataError("costs.xml_bad", source=source, detail=str(error)) from None


def _period_slots(period: ET.Element, source: str) -> list[PriceSlot]:
    resolution = _find_text(period, "resolution")
    step = _RESOLUTIONS.get(resolution or "")
    if step is None:
        raise PriceDataError("costs.entsoe_resolution", resolution=resolution)
    start = _utc(_find_text(period, "timeInterval/start"), source)
    end = _utc(_find_text(period, "timeInterval/end"), source)
    count = int((end - start) / step)
    prices: dict[int, Decimal] = {}
    for point in _children(period, "Point"):
        position = _whole(_find_text(point, "position") or "", source)
        if not 1 <= position <= count:
            raise PriceDataError("costs.entsoe_position", position=position, count=count)
        prices[position] = _amount(_find_text(point, "price.amount"), source)
    slots: list[PriceSlot] = []
    price: Decimal | None = None
    for position in range(1, count + 1):
        price = prices.get(position, price)  # A03: a missing point repeats the previous one
        if price is not None:
            begin = start + step * (position - 1)
            slots.append(PriceSlot(begin, begin + step, price))
    return slots


def _check_units(series: ET.Element) -> None:
    currency = _find_text(series, "currency_Unit.name") or "EUR"
    unit = _find_text(series, "price_Measure_Unit.name") or "MWH"
    if currency != "EUR" or unit != "MWH":
        raise PriceDataError("costs.entsoe_unit", currency=currency, unit=unit)


def _utc(value: str | None, source: str) -> datetime:
    try:
        moment = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        raise PriceDataError(
            "costs.xml_bad", source=source, detail=Message("costs.detail_time", value=value)
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _amount(value: str | None, source: str) -> Decimal:
    try:
        amount = Decimal((value or "").strip())
    except InvalidOperation:
        raise PriceDataError("costs.price_value", source=source, value=value) from None
    if not amount.is_finite():
        raise PriceDataError("costs.price_value", source=source, value=value)
    return amount


def _whole(value: str, source: str) -> int:
    if not value.isdigit():
        raise PriceDataError(
            "costs.xml_bad", source=source, detail=Message("costs.detail_position", value=value)
        )
    return int(value)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _find_text(element: ET.Element, path: str) -> str | None:
    current: ET.Element | None = element
    for name in path.split("/"):
        found = _children(current, name) if current is not None else []
        current = found[0] if found else None
    if current is None or current.text is None:
        return None
    return current.text.strip()
