"""The outbox keeps every reading until the server's watermark passes it, across restarts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from upstream_gateway import START, ZONE, meter_readings

from hanport.store import RecordStore, open_store
from hanport.upstream.outbox import Outbox
from hanport.upstream.wire import parse_reading


def _outbox(path: Path, limit: int = 1000) -> tuple[Outbox, object]:
    store = open_store(str(path), ZONE)
    assert isinstance(store, RecordStore)
    return Outbox(store, limit), store


def test_entries_go_only_up_to_the_watermark_and_survive_a_restart(tmp_path: Path) -> None:
    outbox, store = _outbox(tmp_path / "gw.db")
    sent = meter_readings(10)
    assert outbox.add(sent) == 0
    assert len(outbox) == 10
    outbox.published = outbox.next_number
    assert outbox.confirm({"other": START + timedelta(days=1)}) == 0
    assert outbox.confirm({"LGF5E360-1": START + timedelta(seconds=40)}) == 5
    pages = list(outbox.page(0))
    assert [parse_reading(p.encode()) for _, p in pages] == sent[5:]
    store.close()  # type: ignore[attr-defined]
    again, store = _outbox(tmp_path / "gw.db")
    assert len(again) == 5
    assert again.confirm({"LGF5E360-1": START + timedelta(seconds=90)}) == 0  # not sent yet
    again.published = again.next_number
    assert again.confirm({"LGF5E360-1": START + timedelta(seconds=90)}) == 5
    assert len(again) == 0
    store.close()  # type: ignore[attr-defined]


def test_a_meter_without_a_watermark_keeps_everyone_s_entries(tmp_path: Path) -> None:
    outbox, store = _outbox(tmp_path / "gw.db")
    outbox.add(meter_readings(4, "A") + meter_readings(4, "B"))
    outbox.published = outbox.next_number
    assert outbox.confirm({"A": START + timedelta(hours=1)}) == 0
    assert [e.meter for e, _ in outbox.page(0)] == ["B"] * 4  # A's are not sent again
    assert outbox.confirm({"B": START + timedelta(seconds=10)}) == 4
    store.close()  # type: ignore[attr-defined]


def test_a_full_outbox_drops_the_oldest(tmp_path: Path) -> None:
    outbox, store = _outbox(tmp_path / "gw.db", limit=100)
    sent = meter_readings(150)
    assert outbox.add(sent[:100]) == 0
    assert outbox.add(sent[100:]) == 50
    kept = [parse_reading(p.encode()) for _, p in outbox.page(0)]
    assert kept[0] == sent[50]
    store.close()  # type: ignore[attr-defined]


def test_pages_follow_the_numbers_across_gaps(tmp_path: Path) -> None:
    """A reading older than one kept before it (a meter's clock set back) leaves gaps when
    entries go; paging by number still sends every entry once."""
    outbox, store = _outbox(tmp_path / "gw.db")
    late = meter_readings(3, start=START - timedelta(hours=1))
    outbox.add(meter_readings(600))
    outbox.published = outbox.next_number
    outbox.add(late)
    watermark = START - timedelta(minutes=59, seconds=55)
    assert outbox.confirm({"LGF5E360-1": watermark}) == 0  # the late ones are not sent yet
    assert len(list(outbox.page(outbox.first_number))) == 500  # so they are not confirmed
    outbox.published = outbox.next_number
    assert outbox.confirm({"LGF5E360-1": watermark}) == 1
    seen = []
    number = outbox.first_number
    while number < outbox.next_number:
        seen += [entry.number for entry, _ in outbox.page(number)]
        number = outbox.last_number_of_page(number)
    assert len(seen) == len(set(seen)) == 602
    store.close()  # type: ignore[attr-defined]
