"""Alerts through the MQTT sink's one connection (`MqttPublisher`), on the real wiring and the
suite's Mosquitto: Home Assistant discovery of each rule, the retained states, the events."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

from mqtt_broker import (  # noqa: F401
    Broker,
    Subscriber,
    broker_fixture,
    free_port,
    subscriber_fixture,
)

from hanport import plugins
from hanport.alerts.sink import AlertSink
from hanport.codec.decoder import Decoder
from hanport.runtime.wiring import run_runtime
from hanport.sim.home import serial_number
from hanport.sources.transport import parse_source

KETTLE = "sim://?start=2026-03-22T18:14&speed=20&count=12"
"""A Sunday at 18:14: the kettle on L2 (≈ 9.5 A) for a minute, then ≈ 3 A (0.5 s a reading)."""


def test_an_overload_on_mqtt_with_discovery(
    broker: Broker, subscriber: Subscriber, tmp_path: Path
) -> None:
    settings = plugins.load_settings(
        None,
        environ={
            "HANPORT_WEB_ENABLED": "no",
            "HANPORT_MQTT_URL": broker.url,
            "HANPORT_SITE_FUSE_A": "10",
            "HANPORT_ALERTS_OVERCURRENT_PCT": "80",
            "HANPORT_ALERTS_OVERCURRENT_S": "0",
            "HANPORT_ALERTS_CLEAR_S": "0",
            "HANPORT_ALERTS_LANGUAGE": "et",
        },
    )
    database = str(tmp_path / "hanport.db")
    sinks = plugins.build_sinks(settings, database)
    asyncio.run(
        run_runtime(parse_source(KETTLE), Decoder(), settings, database, sinks, lambda r: None)
    )
    meter = serial_number(1)
    base = f"hanport/{meter}/alert/overcurrent"
    states = [m.payload for m in subscriber.on(base)]
    assert states[-2:] == [b"ON", b"OFF"], states
    fired = subscriber.wait_for(f"{base}/event")
    assert json.loads(fired.payload)["event_type"] == "fired"
    assert json.loads(fired.payload)["subject"] == "L2"
    assert json.loads(fired.payload)["title"] == "L2 vool üle 80 % peakaitsest"
    events = [json.loads(m.payload)["event_type"] for m in subscriber.on(f"{base}/event")]
    assert events == ["fired", "cleared"]
    assert subscriber.on(f"hanport/{meter}/alert/phase_lost")[-1].payload == b"OFF"
    discovery = subscriber.wait_for(
        f"homeassistant/device/hanport_{meter}/config",
        lambda m: b"alert_overcurrent" in m.payload,
    )
    components = json.loads(discovery.payload)["cmps"]
    assert components["alert_overcurrent"]["device_class"] == "problem"
    assert components["alert_overcurrent"]["state_topic"] == base
    assert components["alert_overcurrent_event"]["p"] == "event"
    assert components["gateway"]["payload_off"] == "offline"
    assert subscriber.wait_for("hanport/status", lambda m: m.payload == b"offline")


def test_no_data_since_the_start_is_said_for_the_stored_meter(
    broker: Broker, subscriber: Subscriber, tmp_path: Path
) -> None:
    database = str(tmp_path / "hanport.db")
    filled = plugins.load_settings(None, environ={"HANPORT_WEB_ENABLED": "no"})
    asyncio.run(
        run_runtime(
            parse_source("sim://?start=2026-03-22T12:00&speed=max&count=3"),
            Decoder(),
            filled,
            database,
            [],
            lambda r: None,
        )
    )
    settings = plugins.load_settings(
        None,
        environ={
            "HANPORT_WEB_ENABLED": "no",
            "HANPORT_MQTT_URL": broker.url,
            "HANPORT_ALERTS_DATA_LOST_S": "1",
        },
    )
    sinks = plugins.build_sinks(settings, database)
    for sink in sinks:
        if isinstance(sink, AlertSink):
            sink.tick_s = 0.2
    dead = parse_source(f"tcp://127.0.0.1:{free_port()}")  # nothing listens there

    async def a_while() -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(4):
                await run_runtime(dead, Decoder(), settings, database, sinks, lambda r: None)

    asyncio.run(a_while())
    meter = serial_number(1)
    state = subscriber.wait_for(f"hanport/{meter}/alert/data_lost", lambda m: m.payload == b"ON")
    assert state.payload == b"ON"
    event = subscriber.wait_for(f"hanport/{meter}/alert/data_lost/event")
    assert json.loads(event.payload)["title"] == "No readings from the meter"
