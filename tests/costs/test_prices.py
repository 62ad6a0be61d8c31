"""Elering JSON and CSV, ENTSO-E A44 XML: slot lengths from the data, exact decimals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from costs.fake_servers import elering_json, entsoe_document, hours, quarter_hours
from hanport.costs.errors import PriceDataError
from hanport.costs.prices_elering import parse_elering_csv, parse_elering_json
from hanport.costs.prices_entsoe import parse_entsoe_xml
from hanport.costs.slots import PriceSlot, quarter_prices

SPRING_DAY = (datetime(2026, 3, 28, 22, tzinfo=UTC), datetime(2026, 3, 29, 21, tzinfo=UTC))
AUTUMN_DAY = (datetime(2026, 10, 24, 21, tzinfo=UTC), datetime(2026, 10, 25, 22, tzinfo=UTC))


def test_elering_json_reads_exact_decimals_and_negative_prices() -> None:
    body = (
        b'{"success":true,"data":{"ee":[{"timestamp":1759269600,"price":85.12},'
        b'{"timestamp":1759270500,"price":-0.01},{"timestamp":1759271400,"price":0.1}],'
        b'"fi":[]}}'
    )
    slots = parse_elering_json(body)
    assert [slot.eur_mwh for slot in slots] == [Decimal("85.12"), Decimal("-0.01"), Decimal("0.1")]
    assert slots[0] == PriceSlot(
        datetime(2025, 9, 30, 22, tzinfo=UTC),
        datetime(2025, 9, 30, 22, 15, tzinfo=UTC),
        Decimal("85.12"),
    )
    assert all(type(slot.eur_mwh) is Decimal for slot in slots)


@pytest.mark.parametrize(("day", "count"), [(SPRING_DAY, 92), (AUTUMN_DAY, 100)])
def test_elering_json_dst_days_have_92_and_100_quarters(
    day: tuple[datetime, datetime], count: int
) -> None:
    slots = parse_elering_json(elering_json(quarter_hours(*day, 50)))
    assert len(slots) == count
    assert all(slot.end - slot.start == timedelta(minutes=15) for slot in slots)
    assert slots[-1].end == day[1]


def test_elering_json_hourly_history_before_october_2025() -> None:
    day = (datetime(2025, 9, 28, 21, tzinfo=UTC), datetime(2025, 9, 29, 21, tzinfo=UTC))
    slots = parse_elering_json(elering_json(hours(*day, 40)))
    assert len(slots) == 24
    assert {slot.end - slot.start for slot in slots} == {timedelta(hours=1)}
    assert len(quarter_prices(slots)) == 96


def test_elering_json_reads_each_side_of_the_15_minute_switch_with_its_own_step() -> None:
    before = hours(datetime(2025, 9, 30, 20, tzinfo=UTC), datetime(2025, 9, 30, 22, tzinfo=UTC), 1)
    after = quarter_hours(
        datetime(2025, 9, 30, 22, tzinfo=UTC), datetime(2025, 9, 30, 23, tzinfo=UTC), 2
    )
    slots = parse_elering_json(elering_json({**before, **after}))
    assert [slot.end - slot.start for slot in slots] == [timedelta(hours=1)] * 2 + [
        timedelta(minutes=15)
    ] * 4


def test_elering_json_a_missing_slot_leaves_a_hole() -> None:
    prices = quarter_hours(*AUTUMN_DAY, 7)
    del prices[AUTUMN_DAY[0] + timedelta(hours=2)]
    slots = parse_elering_json(elering_json(prices))
    assert len(slots) == 99
    assert all(slot.end - slot.start == timedelta(minutes=15) for slot in slots)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"<html>502</html>", "not the JSON"),
        (b'{"success":false,"message":"Maximum period is 1 year"}', "request failed"),
        (b'{"success":true,"data":{"ee":[{"timestamp":"x","price":1}]}}', "timestamp"),
        (b'{"success":true,"data":{"ee":[{"timestamp":1759269600,"price":"abc"}]}}', "abc"),
        (
            b'{"success":true,"data":{"ee":[{"timestamp":1759269600,"price":1},'
            b'{"timestamp":1759269600,"price":2}]}}',
            "twice",
        ),
        (b'{"success":true,"data":{"ee":[{"timestamp":1759269700,"price":1}]}}', "grid"),
    ],
)
def test_elering_json_bad_answers_are_one_sentence(body: bytes, fragment: str) -> None:
    with pytest.raises(PriceDataError) as caught:
        parse_elering_json(body, source="Elering (test)")
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.text("et") != str(caught.value)


def test_elering_csv_with_bom_comma_decimals_and_empty_cells() -> None:
    text = (
        '\ufeff"Ajatempel (UTC)";"Kuupäev (Eesti aeg)";"NPS Läti";"NPS Leedu";"NPS Soome";'
        '"NPS Eesti"\n'
        '"1704060000";"01.01.2024 00:00";"40,01";"40,01";"40,01";"40,01"\n'
        '"1704063600";"01.01.2024 01:00";"1,5";"1,5";"1,5";"-2,37"\n'
        '"1704067200";"01.01.2024 02:00";"3";"3";"3";""\n'
    )
    slots = parse_elering_csv(text)
    assert [slot.eur_mwh for slot in slots] == [Decimal("40.01"), Decimal("-2.37")]
    assert slots[0].start == datetime(2023, 12, 31, 22, tzinfo=UTC)
    assert slots[0].end - slots[0].start == timedelta(hours=1)
    assert parse_elering_csv(text, area="fi")[1].eur_mwh == Decimal("1.5")


def test_elering_csv_without_its_columns_is_refused() -> None:
    with pytest.raises(PriceDataError, match="NPS Eesti"):
        parse_elering_csv('"Ajatempel (UTC)";"NPS Soome"\n"1704060000";"1,0"\n')
    with pytest.raises(PriceDataError, match="Line 2"):
        parse_elering_csv('"Ajatempel (UTC)";"NPS Eesti"\n"soon";"1,0"\n')


def test_entsoe_a03_fills_left_out_points_and_keeps_the_lowest_classification() -> None:
    prices = quarter_hours(
        datetime(2025, 10, 1, 22, tzinfo=UTC),
        datetime(2025, 10, 2, 22, tzinfo=UTC),
        lambda moment: 10 if moment.hour < 5 else -3 if moment.hour < 7 else 70,
    )
    document = entsoe_document(sorted(prices.items()))
    assert document.count("<Point>") < 2 * 96  # points were left out (A03)
    slots = parse_entsoe_xml(document.encode())
    assert len(slots) == 96
    assert [slot.eur_mwh for slot in slots] == [
        price for _, price in (prices[key] for key in sorted(prices))
    ]


def test_entsoe_hourly_resolution() -> None:
    prices = hours(datetime(2025, 9, 1, 21, tzinfo=UTC), datetime(2025, 9, 2, 21, tzinfo=UTC), 5)
    slots = parse_entsoe_xml(entsoe_document(sorted(prices.items())).encode())
    assert len(slots) == 24
    assert slots[0].end - slots[0].start == timedelta(hours=1)


def test_entsoe_acknowledgement_without_data_is_no_prices() -> None:
    ack = (
        b'<?xml version="1.0"?><Acknowledgement_MarketDocument xmlns="urn:x"><Reason>'
        b"<code>999</code><text>No matching data found</text></Reason>"
        b"</Acknowledgement_MarketDocument>"
    )
    assert parse_entsoe_xml(ack) == []
    refused = ack.replace(b"<code>999</code>", b"<code>Z0</code>")
    with pytest.raises(PriceDataError, match="No matching data"):
        parse_entsoe_xml(refused)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaa">]>'
            b"<Publication_MarketDocument>&a;</Publication_MarketDocument>",
            "DTD",
        ),
        (b"<Publication_MarketDocument><TimeSeries>", "not a readable"),
        (b"<Something/>", "root element"),
        (
            b"<Publication_MarketDocument><TimeSeries><currency_Unit.name>USD"
            b"</currency_Unit.name></TimeSeries></Publication_MarketDocument>",
            "USD",
        ),
        (
            b"<Publication_MarketDocument><TimeSeries><Period><timeInterval><start>"
            b"2025-10-01T22:00Z</start><end>2025-10-02T22:00Z</end></timeInterval>"
            b"<resolution>P1D</resolution></Period></TimeSeries></Publication_MarketDocument>",
            "P1D",
        ),
        (
            b"<Publication_MarketDocument><TimeSeries><Period><timeInterval><start>"
            b"2025-10-01T22:00Z</start><end>2025-10-01T23:00Z</end></timeInterval>"
            b"<resolution>PT15M</resolution><Point><position>5</position><price.amount>1"
            b"</price.amount></Point></Period></TimeSeries></Publication_MarketDocument>",
            "position 5",
        ),
    ],
)
def test_entsoe_bad_or_hostile_documents_are_refused(body: bytes, fragment: str) -> None:
    with pytest.raises(PriceDataError) as caught:
        parse_entsoe_xml(body)
    assert fragment in str(caught.value)
