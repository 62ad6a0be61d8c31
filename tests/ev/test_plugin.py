"""EV control as a part: the `[ev]` section through the loader (file, `[[ev.chargers]]`,
`HANPORT_EV_*`), its sink only when there is something to control, the limits kept as
`ev_limit` records, and what it publishes on MQTT."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import hanport
from hanport import plugins
from hanport.ev.limits_log import LimitRecord
from hanport.ev.model import Reason
from hanport.ev.part import EvSink
from hanport.ev.publishing import components, reading_messages, state_messages
from hanport.ev.records import KIND, LimitWriter, read_limits
from hanport.ev.settings import EV
from hanport.mqtt.settings import MqttSettings
from hanport.settings.values import ConfigError
from hanport.sim.home import HomeSimulator
from hanport.store import Store

D = Decimal
T0 = datetime(2026, 1, 15, 18, 0, tzinfo=UTC)


def _ev_sinks(settings: object) -> list[object]:
    built = plugins.build_sinks(settings, ":memory:")  # type: ignore[arg-type]
    for sink in built:
        close = getattr(sink, "close", None)
        if callable(close):
            close()
    return [sink for sink in built if isinstance(sink, EvSink)]


def test_the_ev_section_is_read_from_the_file_and_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "hanport.toml"
    config.write_text(
        '[ev]\nmode = "surplus"\n\n[[ev.chargers]]\nid = "garage"\nkind = "ocpp"\nmax_a = 13\n'
    )
    environ = {"HANPORT_EV_OCPP_LISTEN": "127.0.0.1:9000", "HANPORT_WEB_ENABLED": "no"}
    settings = plugins.load_settings(config, environ=environ)
    ev = settings.get(EV)
    assert (ev.ocpp_host, ev.ocpp_port, ev.mode) == ("127.0.0.1", 9000, "surplus")
    assert [c.id for c in ev.chargers] == ["garage"]
    (sink,) = _ev_sinks(settings)
    assert isinstance(sink, EvSink)
    assert sink.control.controller.spec("garage").max_a == 13
    unlisted = sink.control.controller.spec("visitor")  # the site's defaults, fuse guard on
    assert (unlisted.max_a, unlisted.min_a) == (D(16), D(6))
    assert "ws://127.0.0.1:9000/<charge point id>" in sink.announcement("en")
    assert "laadija ID" in sink.announcement("et")


def test_without_anything_to_control_there_is_no_ev_sink() -> None:
    settings = plugins.load_settings(None, environ={"HANPORT_WEB_ENABLED": "no"})
    assert _ev_sinks(settings) == []


def test_a_bad_ev_setting_is_one_sentence_naming_it() -> None:
    with pytest.raises(ConfigError) as raised:
        plugins.load_settings(None, environ={"HANPORT_EV_OCPP_LISTEN": "port nine thousand"})
    assert "HANPORT_EV_OCPP_LISTEN" in str(raised.value)
    with pytest.raises(ConfigError) as prefix:
        plugins.load_settings(None, environ={"HANPORT_EV_SMARTEVSE_PREFIX": "SmartEVSE/#"})
    assert "SmartEVSE/#" in str(prefix.value)


def test_an_mqtt_charger_needs_a_broker(tmp_path: Path) -> None:
    config = tmp_path / "hanport.toml"
    config.write_text('[[ev.chargers]]\nid = "shed"\nkind = "mqtt"\n')
    settings = plugins.load_settings(config, environ={"HANPORT_WEB_ENABLED": "no"})
    with pytest.raises(ConfigError, match="no broker"):
        plugins.build_sinks(settings, ":memory:")


def test_every_limit_is_logged_and_kept_with_its_reason(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    writer = LimitWriter(store)
    reason = Reason("phase_limit", {"phase": 1, "current_a": D("23"), "base_a": D("7.4")})
    reason = Reason(reason.code, {**reason.params, "fuse_a": D(25), "margin_a": D(1)})
    with caplog.at_level(logging.INFO):
        writer.add(LimitRecord(T0, "garage", D("16.5"), 3, reason))
        writer.add(LimitRecord(T0 + timedelta(seconds=10), "drive", D(0), 1, _paused()))
    assert "EV limit for garage: 16.5 A on 3 phase(s). L1 at 23 A" in caplog.text
    assert asyncio.run(writer.flush()) == 2
    assert asyncio.run(writer.flush()) == 0
    kept = read_limits(store, T0, T0 + timedelta(minutes=1))
    assert [(r.charger_id, r.limit_a, r.phases) for r in kept] == [
        ("garage", D("16.5"), 3),
        ("drive", D(0), 1),
    ]
    assert kept[0].reason == reason
    assert str(kept[0].as_dict("et")["reason"]).find("Faasil L1 on 23 A") > 0
    assert [r.charger_id for r in read_limits(store, T0, T0 + timedelta(hours=1), "drive")] == [
        "drive"
    ]
    assert store.records(KIND, T0, T0 + timedelta(hours=1))[0].key == "garage"  # type: ignore[attr-defined]


def _paused() -> Reason:
    return Reason("no_room", {"phase": 2, "room_a": D("4.2"), "min_a": D(6)})


def _reading(at: datetime) -> hanport.Reading:
    simulator = HomeSimulator(seed=1, start=T0)
    (reading,) = hanport.decode(simulator.next_telegram())
    return replace(reading, received_at=at)


def test_mqtt_gets_signed_currents_the_smartevse_feed_state_and_components() -> None:
    mqtt = MqttSettings("localhost")
    reading = _reading(T0)
    messages = reading_messages(mqtt, reading, T0 + timedelta(seconds=1), 10, "SmartEVSE/1")
    topics = [m.topic for m in messages]
    assert topics[0].endswith("/grid")
    assert topics[1] == "SmartEVSE/1/Set/MainsMeter"
    assert len(messages[1].payload.split(":")) == 3
    stale = reading_messages(mqtt, reading, T0 + timedelta(seconds=11), 10, "SmartEVSE/1")
    assert [m.topic for m in stale] == topics[:1]  # an old value is never fed to SmartEVSE
    status = {
        "mode": "guard",
        "departure": "07:00",
        "failsafe": {"active": True, "since": T0.isoformat(), "limit_a": "0", "age_s": 30},
        "chargers": [{"id": "garage", "limit_a": "0", "reason": {"code": "meter_stale"}}],
    }
    state, garage = state_messages(mqtt, status)
    assert (state.topic, state.retain) == ("hanport/ev/state", True)
    assert json.loads(state.payload)["failsafe"] == {
        "active": True,
        "since": T0.isoformat(),
        "limit_a": "0",
    }
    assert garage.topic == "hanport/ev/garage/state"
    assert json.loads(garage.payload)["reason"] == "meter_stale"
    found = components(mqtt, reading, ["garage"])
    assert found["ev_failsafe"]["device_class"] == "problem"
    assert found["ev_limit_garage"]["state_topic"] == "hanport/ev/garage/state"
    assert str(found["grid_current_l1_a"]["state_topic"]).endswith("/grid")


class _LockedStore:
    """A store whose writes fail as a locked SQLite database's do."""

    def __init__(self) -> None:
        self.tries = 0

    def put_records(self, kind: str, records: object) -> None:
        self.tries += 1
        raise sqlite3.OperationalError("database is locked")

    def records(self, *args: object, **kwargs: object) -> list[object]:
        return []

    def delete_records(self, kind: str, before: datetime) -> int:
        return 0


def test_a_failing_store_is_said_once_and_the_limits_wait(
    caplog: pytest.LogCaptureFixture,
) -> None:
    locked = _LockedStore()
    writer = LimitWriter(locked)  # type: ignore[arg-type]
    writer.add(LimitRecord(T0, "garage", D(0), 3, _paused()))
    with caplog.at_level(logging.ERROR):
        assert asyncio.run(writer.flush()) == 0
        assert asyncio.run(writer.flush()) == 0
    assert locked.tries == 2
    assert caplog.text.count("could not be kept in the database") == 1
    assert len(writer.waiting) == 1


def test_the_price_now_comes_from_the_stored_day_ahead_slots(store: Store) -> None:
    from hanport.ev.part import price_source
    from hanport.store.base import Record

    slot = timedelta(minutes=15)
    store.put_records(  # type: ignore[attr-defined]
        "prices",
        [
            Record("prices", "", T0, "ee", {"end": T0 + slot, "eur_mwh": D("120.5")}),
            Record("prices", "", T0 + slot, "ee", {"end": T0 + 2 * slot, "eur_mwh": D(80)}),
        ],
    )
    price_at = price_source(store)
    assert price_at is not None
    assert price_at(T0 + timedelta(minutes=5)) == D("12.05")
    assert price_source(store)(T0 + timedelta(minutes=20)) == D(8)  # type: ignore[misc]
    assert price_source(store)(T0 + timedelta(hours=3)) is None  # type: ignore[misc]
