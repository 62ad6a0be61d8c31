"""`hanport prices fetch|import` and `hanport import dso` through the real command line, with a
fake Elering and a database of simulated readings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from webapp import simulated

from costs.fake_servers import FakeState, fake_server, quarter_hours
from hanport.cli.main import main
from hanport.costs.book import han_energies, stored_energies
from hanport.costs.price_store import stored_prices
from hanport.store import open_store

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)  # 08:00 Tallinn


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "hanport.db"
    store = open_store(str(path), TALLINN)
    store.write(simulated(3 * 360, start=START))  # 08:00–11:00 Tallinn
    store.close()
    return path


def test_prices_fetch_stores_the_days_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path)
    day = datetime(2026, 1, 10, tzinfo=TALLINN).astimezone(UTC)
    state = FakeState(quarter_hours(day - timedelta(days=1), day + timedelta(days=3), "12.5"))
    with fake_server(state) as url:
        monkeypatch.setenv("HANPORT_PRICES_SOURCE", "elering")
        monkeypatch.setenv("HANPORT_PRICES_URL", url)
        argv = ["prices", "fetch", "--from", "2026-01-10", "--to", "2026-01-11"]
        assert main([*argv, "--database", str(path)]) == 0
    said = capsys.readouterr().out
    assert "Stored 192 prices from 2026-01-10 00:00 to 2026-01-12 00:00" in said
    store = open_store(str(path), TALLINN)
    kept = stored_prices(store, day - timedelta(days=1), day + timedelta(days=3))
    store.close()
    assert len(kept) == 192
    assert kept[0].start == day
    assert {slot.eur_mwh for slot in kept} == {Decimal("12.5")}


def test_prices_fetch_with_a_bad_day_or_no_provider_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(_database(tmp_path))
    assert main(["prices", "fetch", "--from", "10.01.2026", "--to", "x", "--database", path]) == 2
    assert capsys.readouterr().err.strip().endswith("not '10.01.2026'.")
    argv = ["--lang", "et", "prices", "fetch", "--from", "2026-01-10", "--to", "2026-01-10"]
    assert main([*argv, "--database", path]) == 2  # the suite sets source = "none"
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "hanport prices import" in err


def test_prices_import_reads_elerings_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path)
    csv = tmp_path / "nps.csv"
    first = int(START.timestamp())
    rows = [
        f'"{first + 900 * index}";"10.01.2026 08:{15 * index:02d}";"1,0";"2,0";"3,0";"-4,25"'
        for index in range(4)
    ]
    header = (
        '"Ajatempel (UTC)";"Kuupäev (Eesti aeg)";"NPS Läti";"NPS Leedu";"NPS Soome";"NPS Eesti"'
    )
    csv.write_text("\ufeff" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["prices", "import", str(csv), "--database", str(path)]) == 0
    assert "Stored 4 prices from 2026-01-10 08:00 to 2026-01-10 09:00" in capsys.readouterr().out
    store = open_store(str(path), TALLINN)
    kept = stored_prices(store, START, START + timedelta(hours=1))
    store.close()
    assert [slot.eur_mwh for slot in kept] == [Decimal("-4.25")] * 4


def _dso_file(tmp_path: Path, han_hours: dict[datetime, tuple[Decimal, Decimal]]) -> Path:
    """Elektrilevi's export for 10 Jan 2026 05:00–11:00 Tallinn: the hours before hanport at
    0,5 kWh, hanport's hours as hanport measured them, one of them 7 Wh more."""
    rows = []
    moment = datetime(2026, 1, 10, 5, tzinfo=TALLINN).astimezone(UTC)
    for index in range(6):
        kwh, sold = han_hours.get(moment, (Decimal("0.5"), Decimal(0)))
        if index == 4:
            kwh += Decimal("0.007")
        local = moment.astimezone(TALLINN)
        rows.append(
            f"{local:%d.%m.%Y %H:%M};{local + timedelta(hours=1):%d.%m.%Y %H:%M};"
            f"{str(kwh).replace('.', ',')};kWh;{str(sold).replace('.', ',')};kWh"
        )
        moment += timedelta(hours=1)
    head = "EIC;38ZEE-00012345-6\nSeerianumber;87654321\nPeriood;10.01.2026 - 10.01.2026\n"
    columns = "Algusaeg;Lõppaeg;Tarbimine;Ühik;Võrku andmine;Ühik\n"
    path = tmp_path / "tarbimine.csv"
    path.write_bytes(("\ufeff" + head + columns + "\n".join(rows) + "\n").encode())
    return path


def test_import_dso_fills_the_time_before_hanport_and_reconciles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path)
    store = open_store(str(path), TALLINN)
    meter = store.meters()[0].id
    own = han_energies(store, meter, START - timedelta(hours=3), START + timedelta(hours=3))
    store.close()
    hours: dict[datetime, tuple[Decimal, Decimal]] = {}
    for slot in own:
        bought, sold = hours.get(slot.start.replace(minute=0), (Decimal(0), Decimal(0)))
        hours[slot.start.replace(minute=0)] = (
            bought + Decimal(slot.import_wh) / 1000,
            sold + Decimal(slot.export_wh) / 1000,
        )
    whole = [slot.start.replace(minute=0) for slot in own if not slot.gap]
    complete = {hour for hour in hours if whole.count(hour) == 4}
    assert len(complete) >= 2
    csv = _dso_file(tmp_path, {hour: hours[hour] for hour in complete})
    assert main(["import", "dso", str(csv), "--database", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Read 6 intervals from" in out
    assert (
        f"{len(complete)} hours have data from both; 1 differ, by -7 Wh bought and +0 Wh sold"
        in out
    )
    store = open_store(str(path), TALLINN)
    slots = stored_energies(store, meter, START - timedelta(hours=3), START)
    store.close()
    assert len(slots) == 12  # 05:00–08:00 Tallinn, from the DSO in four equal parts
    assert {Decimal(slot.import_wh) for slot in slots} == {Decimal(125)}
    assert not any(slot.gap for slot in slots)


def test_import_dso_with_a_bad_mapping_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(_database(tmp_path))
    csv = tmp_path / "x.csv"
    csv.write_text("Kuupäev;Kogus\n01.10.2025 00:00;1\n", encoding="utf-8")
    assert main(["import", "dso", str(csv), "--database", path]) == 2
    err = capsys.readouterr().err
    assert "no header row with the column 'Algusaeg'" in err
    assert err.count("\n") == 1
    assert main(["import", "dso", str(csv), "--columns", "colour=red", "--database", path]) == 2
    assert "column mapping" in capsys.readouterr().err
