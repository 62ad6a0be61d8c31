"""The quality part in `hanport run`: `[quality]` and HANPORT_QUALITY_*, and its sink, which
catches up from the stored readings at the start, seals each hour once the storage has written
past it, and offers the latest figures (`QualityLive`) to the other parts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hanport import plugins
from hanport.model import Reading
from hanport.quality import plugin as quality_plugin
from hanport.quality.live import QualityLive
from hanport.quality.plugin import QUALITY
from hanport.quality.records import load_events, load_windows
from hanport.quality.sink import QualitySink
from hanport.runtime.hub import Hub
from hanport.runtime.view import Runtime
from hanport.settings.values import ConfigError
from hanport.sources.reader import ReaderState
from hanport.store import RecordStore, open_store
from hanport.store.sqlite import SqliteStore
from quality.voltage_readings import MONDAY, hours_of, voltage_readings

THURSDAY = MONDAY + timedelta(days=3)
ALL = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def test_the_section_is_read_from_the_environment() -> None:
    settings = plugins.load_settings(
        environ={"HANPORT_QUALITY_BAND_LOW_V": "210", "HANPORT_QUALITY_LANGUAGE": "et"}
    )
    quality = settings.get(QUALITY)
    assert str(quality.band_low_v) == "210"
    assert quality.language == "et"
    assert QUALITY in plugins.SECTIONS


def test_a_bad_value_is_one_sentence_naming_the_setting() -> None:
    with pytest.raises(ConfigError) as raised:
        plugins.load_settings(environ={"HANPORT_QUALITY_MIN_SAMPLES": "lots"})
    assert "HANPORT_QUALITY_MIN_SAMPLES" in str(raised.value)


def test_switched_off_it_builds_no_sink(tmp_path: Path) -> None:
    off = plugins.load_settings(environ={"HANPORT_QUALITY_ENABLED": "false"})
    on = plugins.load_settings(environ={})
    db = str(tmp_path / "q.db")
    assert quality_plugin in plugins.PARTS
    assert quality_plugin.sinks(off, db) == []
    assert [s.name for s in quality_plugin.sinks(on, db)] == ["quality"]


def test_the_sink_catches_up_then_seals_each_hour(tmp_path: Path) -> None:
    database = str(tmp_path / "hanport.db")
    zone = ZoneInfo("Europe/Tallinn")
    day = voltage_readings(THURSDAY, 24)
    hours = hours_of(day, THURSDAY)
    store = open_store(database, zone)
    store.write([r for hour in hours[:12] for r in hour])  # 00:00–12:00 stored before the start
    settings = plugins.load_settings(environ={})
    sink = QualitySink(database, settings, settings.get(QUALITY), check_every_s=0)
    hub = Hub()
    view = Runtime(settings, hub, ReaderState("sim://"), store)
    meter = day[0].meter_id or ""

    async def scenario() -> None:
        readings = hub.subscribe("quality", 100)
        running = asyncio.create_task(sink.run(readings, view))
        await _until(lambda: _sealed(view, meter) == THURSDAY + timedelta(hours=11))
        live = view.find(QualityLive)
        assert live is not None
        assert live.method.settings.band_high_v == 253
        for number in range(12, 17):  # 12:00–17:00 arrive live; the storage writes each
            store.write(hours[number])
            hub.publish(hours[number][-1])
            hour = THURSDAY + timedelta(hours=number)
            await _until(partial(_is_sealed, view, meter, hour))
        hub.close()
        await running

    asyncio.run(scenario())
    assert isinstance(store, RecordStore)
    windows = load_windows(store, meter, *ALL)
    assert len(windows) == 16 * 6  # 00:00–16:00: the hour being read (16:00) is not sealed yet
    (over,) = [e for e in load_events(store, meter, *ALL) if e.kind == "overvoltage"]
    assert over.start == THURSDAY + timedelta(hours=11)
    assert over.end == THURSDAY + timedelta(hours=15)  # ended at 15:00, L1 back to 249 V
    assert not over.ongoing
    found = view.find(QualityLive)
    assert found is not None
    state = found.get(meter)
    assert sink.check_every_s == 0  # the running hanport asks the store at most once a second
    assert state is not None
    assert state.window is not None
    assert state.window.start == THURSDAY + timedelta(hours=15, minutes=50)
    assert state.week is not None
    assert state.week.phases[0].within_band < state.week.phases[0].complete
    store.close()


def _is_sealed(view: Runtime, meter: str, hour: datetime) -> bool:
    return _sealed(view, meter) == hour


def _sealed(view: Runtime, meter: str) -> datetime | None:
    live = view.find(QualityLive)
    state = None if live is None else live.get(meter)
    return None if state is None else state.sealed_until


async def _until(check: Callable[[], bool], timeout_s: float = 20.0) -> None:
    async with asyncio.timeout(timeout_s):
        while not check():
            await asyncio.sleep(0.02)


def test_the_store_is_asked_at_most_once_a_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replay at full speed: thousands of readings a second wait for the storage's commit;
    the sink asks the store whether it wrote past the hour once a second, not per reading."""
    database = str(tmp_path / "hanport.db")
    store = open_store(database, ZoneInfo("Europe/Tallinn"))
    day = voltage_readings(THURSDAY, 3)
    settings = plugins.load_settings(environ={})
    sink = QualitySink(database, settings, settings.get(QUALITY))
    hub = Hub()
    view = Runtime(settings, hub, ReaderState("sim://"), store)
    asked: list[str] = []
    latest = SqliteStore.latest

    def counted(self: SqliteStore, meter: str) -> Reading | None:
        asked.append(meter)
        return latest(self, meter)

    async def scenario() -> None:
        readings = hub.subscribe("quality", 2000)
        running = asyncio.create_task(sink.run(readings, view))
        await _until(lambda: view.find(QualityLive) is not None)
        monkeypatch.setattr(SqliteStore, "latest", counted)
        for reading in day[360:1440]:  # hours 1 and 2 come, none of them stored yet
            hub.publish(reading)
        await asyncio.sleep(0.3)
        hub.close()
        await running

    asyncio.run(scenario())
    assert 1 <= len(asked) <= 2
    store.close()
