"""Elering's day-ahead prices: the dashboard API's JSON and its CSV download.

JSON (`GET /api/nps/price?start=…&end=…`):

    {"success": true, "data": {"ee": [{"timestamp": 1759269600, "price": 85.12}, …], "fi": …}}

`timestamp` is the slot's start in Unix seconds (UTC); `price` is EUR/MWh excluding VAT.

CSV (`/api/nps/price/csv`, or the file a user downloads), semicolons and comma decimals:

    "Ajatempel (UTC)";"Kuupäev (Eesti aeg)";"NPS Läti";"NPS Leedu";"NPS Soome";"NPS Eesti"
    "1704060000";"01.01.2024 00:00";"40,01";"40,01";"40,01";"40,01"

Numbers become `Decimal` straight from the text, never through a binary float.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from hanport.costs.errors import PriceDataError
from hanport.costs.slots import PriceSlot, slots_from_starts
from hanport.i18n.catalogue import Message

__all__ = ["AREAS", "ELERING_URL", "parse_elering_csv", "parse_elering_json"]

ELERING_URL = "https://dashboard.elering.ee"

AREAS = {"ee": "Eesti", "lv": "Läti", "lt": "Leedu", "fi": "Soome"}
"""Elering's price areas: the JSON key → the CSV column's country name."""

_TIME_COLUMN = "Ajatempel (UTC)"


def parse_elering_json(
    body: bytes | str, area: str = "ee", source: str = "Elering"
) -> list[PriceSlot]:
    """The price slots of one area from an `/api/nps/price` answer."""
    try:
        document = json.loads(body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise PriceDataError("costs.price_json", source=source, detail=_short(error)) from None
    if isinstance(document, dict) and document.get("success") is False:
        detail = document.get("message") or document
        raise PriceDataError("costs.price_refused", source=source, detail=_short(detail))
    if not isinstance(document, dict) or "data" not in document:
        raise PriceDataError(
            "costs.price_json", source=source, detail=Message("costs.detail_no_data")
        )
    data = document["data"]
    records = data.get(area) if isinstance(data, dict) else None
    if records is None:
        records = []
    if not isinstance(records, list):
        raise PriceDataError(
            "costs.price_json",
            source=source,
            detail=Message("costs.detail_not_list", member=f"data.{area}"),
        )
    starts: list[tuple[datetime, Decimal]] = []
    for record in records:
        if not isinstance(record, dict):
            raise PriceDataError(
                "costs.price_json", source=source, detail=Message("costs.detail_not_object")
            )
        starts.append(
            (_moment(record.get("timestamp"), source), _price(record.get("price"), source))
        )
    return slots_from_starts(starts, source)


def parse_elering_csv(text: str, area: str = "ee", source: str | None = None) -> list[PriceSlot]:
    """The price slots of one area from Elering's CSV (a leading UTF-8 BOM is fine); `source`
    names the file in the sentences of its errors (by default "the price file")."""
    source = source or Message("costs.source_price_file")
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";", quotechar='"')
    header = next(rows, None)
    column = f"NPS {AREAS.get(area, area)}"
    names = [name.strip() for name in header or []]
    for wanted in (_TIME_COLUMN, column):
        if wanted not in names:
            raise PriceDataError("costs.price_csv", source=source, column=wanted)
    time_at, price_at = names.index(_TIME_COLUMN), names.index(column)
    starts: list[tuple[datetime, Decimal]] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            stamp, price = row[time_at].strip(), row[price_at].strip()
        except IndexError:
            raise PriceDataError(
                "costs.price_csv_row",
                source=source,
                line=line,
                detail=Message("costs.detail_few_columns"),
            ) from None
        if not price:
            continue  # a slot the area has no price for yet
        try:
            starts.append((_moment(int(stamp), source), _price(price.replace(",", "."), source)))
        except ValueError:
            raise PriceDataError(
                "costs.price_csv_row",
                source=source,
                line=line,
                detail=Message("costs.detail_timestamp", value=stamp),
            ) from None
    return slots_from_starts(starts, source)


def _moment(value: object, source: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PriceDataError(
            "costs.price_json", source=source, detail=Message("costs.detail_timestamp", value=value)
        )
    return datetime.fromtimestamp(value, UTC)


def _price(value: object, source: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise PriceDataError("costs.price_value", source=source, value=value)
    try:
        price = Decimal(value)
    except InvalidOperation:
        raise PriceDataError("costs.price_value", source=source, value=value) from None
    if not price.is_finite():
        raise PriceDataError("costs.price_value", source=source, value=value)
    return price


def _short(value: object) -> str:
    shown = str(value)
    return shown if len(shown) <= 120 else shown[:117] + "..."
