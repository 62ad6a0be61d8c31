"""The DSO's consumption export: Elektrilevi's CSV, other exports by mapping, reconciliation.

The Elektrilevi file here is synthetic, built from the public descriptions of the self-service
download (header rows EIC / Seerianumber / Periood, then Algusaeg;…;Tarbimine;…;Võrku andmine,
comma decimals, a UTF-8 BOM).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hanport.costs.dso import DsoColumns, dso_columns, parse_dso_csv
from hanport.costs.energy import SlotEnergy
from hanport.costs.errors import DsoFileError
from hanport.costs.reconcile import dso_slot_energies, hour_differences

TALLINN = ZoneInfo("Europe/Tallinn")
HEAD = "EIC;38ZEE-00012345-6\nSeerianumber;87654321\nPeriood;24.10.2026 - 26.10.2026\n"
COLUMNS = "Algusaeg;Lõppaeg;Tarbimine;Ühik;Võrku andmine;Ühik\n"


def autumn_file() -> bytes:
    """25 October 2026 (the clocks go back: 03:00–04:00 twice), one row per local hour."""
    rows = []
    moment = datetime(2026, 10, 25, tzinfo=TALLINN).astimezone(UTC)
    end = datetime(2026, 10, 26, tzinfo=TALLINN).astimezone(UTC)
    index = 0
    while moment < end:
        start = moment.astimezone(TALLINN).strftime("%d.%m.%Y %H:%M")
        finish = (moment + timedelta(hours=1)).astimezone(TALLINN).strftime("%d.%m.%Y %H:%M")
        rows.append(f"{start};{finish};0,{index:03d};kWh;0,000;kWh")
        moment += timedelta(hours=1)
        index += 1
    return ("\ufeff" + HEAD + COLUMNS + "\n".join(rows) + "\n").encode()


def test_elektrilevi_file_with_the_repeated_autumn_hour() -> None:
    parsed = parse_dso_csv(autumn_file())
    assert parsed.meta == {
        "EIC": "38ZEE-00012345-6",
        "Seerianumber": "87654321",
        "Periood": "24.10.2026 - 26.10.2026",
    }
    intervals = parsed.intervals
    assert len(intervals) == 25
    assert intervals[0].start == datetime(2026, 10, 24, 21, tzinfo=UTC)
    starts = [interval.start for interval in intervals]
    assert starts == sorted(set(starts))
    assert all(i.end - i.start == timedelta(hours=1) for i in intervals)
    assert intervals[4].start == datetime(2026, 10, 25, 1, tzinfo=UTC)  # the second 03:00
    assert intervals[3].import_wh == Decimal(3)
    assert intervals[24].import_wh == Decimal(24)
    assert intervals[0].export_wh == 0


def test_spring_day_skips_the_missing_hour() -> None:
    text = (
        HEAD
        + COLUMNS
        + (
            "29.03.2026 02:00;29.03.2026 03:00;1,5;kWh;0;kWh\n"
            "29.03.2026 04:00;29.03.2026 05:00;2,25;kWh;0,1;kWh\n"
        )
    )
    first, second = parse_dso_csv(text).intervals
    assert second.start - first.start == timedelta(hours=1)
    assert (first.import_wh, second.import_wh, second.export_wh) == (
        Decimal(1500),
        Decimal(2250),
        Decimal(100),
    )


def test_another_export_by_column_mapping() -> None:
    text = (
        "Periood algus,Kogus (Wh),Status\n"
        "2025-10-01T00:00:00+03:00,125.5,Mõõdetud\n"
        "2025-10-01T00:15:00+03:00,130,Prognoositud\n"
    )
    columns = dso_columns(
        "start=Periood algus,end=,import=Kogus,export=,status=Status,"
        "unit=Wh,decimal=point,delimiter=comma"
    )
    assert columns == DsoColumns("Periood algus", None, "Kogus", None, "Status", "Wh", ",", ".")
    parsed = parse_dso_csv(text, columns)
    first, second = parsed.intervals
    assert first.start == datetime(2025, 9, 30, 21, tzinfo=UTC)
    assert first.end - first.start == timedelta(minutes=15)
    assert (first.import_wh, first.export_wh, first.estimated) == (Decimal("125.5"), None, False)
    assert second.estimated


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Kuupäev;Kogus\n01.10.2025 00:00;1\n", "no header row with the column 'Algusaeg'"),
        ("Algusaeg;Kogus\n01.10.2025 00:00;1\n", "no column 'Tarbimine'"),
        (COLUMNS + "homme;;1;kWh;0;kWh\n", "Line 2"),
        (COLUMNS + "01.10.2025 00:00;;1,x;kWh;0;kWh\n", "is not a number"),
        (COLUMNS + "01.10.2025 00:00;;-1;kWh;0;kWh\n", "negative"),
        (COLUMNS + "29.03.2026 03:30;;1;kWh;0;kWh\n", "does not exist"),
        (COLUMNS + "01.10.2025 00:00;;1;kWh;0;kWh\n01.10.2025 00:00;;1;kWh;0;kWh\n", "overlaps"),
        (COLUMNS, "holds no consumption rows"),
    ],
)
def test_bad_files_say_where_in_one_sentence(text: str, fragment: str) -> None:
    with pytest.raises(DsoFileError) as caught:
        parse_dso_csv(text, source="tarbimine.csv")
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.text("et") != str(caught.value)


@pytest.mark.parametrize("text", ["start", "colour=red", "unit=GJ", "delimiter=;;", "start="])
def test_bad_mappings(text: str) -> None:
    with pytest.raises(DsoFileError, match="column mapping"):
        dso_columns(text)


def test_hourly_dso_data_becomes_four_equal_quarters() -> None:
    intervals = parse_dso_csv(autumn_file()).intervals
    slots = dso_slot_energies(intervals)
    assert len(slots) == 100
    assert [slot.import_wh for slot in slots[12:16]] == [Decimal("0.75")] * 4
    assert sum((Decimal(slot.import_wh) for slot in slots), Decimal(0)) == sum(
        (i.import_wh for i in intervals), Decimal(0)
    )


def test_reconciliation_shows_the_differences_per_hour() -> None:
    intervals = parse_dso_csv(autumn_file()).intervals
    start = intervals[0].start
    han = [SlotEnergy(start + timedelta(minutes=15) * i, 0) for i in range(8)]
    han[5] = SlotEnergy(han[5].start, 2)  # hour 1: hanport 2 Wh, the DSO 1 Wh
    han[9:] = []
    han.append(SlotEnergy(start + timedelta(hours=2), 1, gap=True))
    rows = hour_differences(intervals, han)
    assert len(rows) == 25
    assert rows[0].import_diff_wh == 0
    assert (rows[1].han_import_wh, rows[1].dso_import_wh, rows[1].import_diff_wh) == (
        Decimal(2),
        Decimal(1),
        Decimal(1),
    )
    assert rows[2].han_import_wh is None
    assert rows[2].import_diff_wh is None
    assert rows[3].han_import_wh is None
