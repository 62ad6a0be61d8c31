"""A gateway against a plain MQTT broker: QoS 1 messages in the documented format, and a
PUBACK is not proof: only the server's watermark empties the outbox."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from mqtt_broker import Broker, Subscriber
from nats_cluster import SoloNats
from upstream_gateway import START, Gateway, meter_readings

from hanport.upstream.wire import ack_payload, parse_reading


def test_pubacks_do_not_empty_the_outbox_the_watermark_does(broker: Broker, tmp_path: Path) -> None:
    watcher = Subscriber(broker, "hanport/v1/#")
    gateway = Gateway(tmp_path / "gw.db", broker.url, "home-1")
    try:
        sent = meter_readings(20)
        gateway.send(sent)
        topic = "hanport/v1/home-1/LGF5E360-1/reading"
        for reading in sent:
            watcher.wait_for(topic, lambda m, r=reading: parse_reading(m.payload) == r)  # type: ignore[misc]
        time.sleep(1.0)
        assert gateway.outbox_size() == 20  # every message was PUBACKed: nothing goes
        watcher.publish("hanport/v1/home-1/ack", "not json")
        watcher.publish("hanport/v1/home-2/ack", ack_payload({"LGF5E360-1": START}).decode())
        watermark = START + timedelta(seconds=10 * 11)
        watcher.publish("hanport/v1/home-1/ack", ack_payload({"LGF5E360-1": watermark}).decode())
        deadline = time.monotonic() + 20
        while gateway.outbox_size() != 8 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert gateway.outbox_size() == 8
    finally:
        gateway.stop()
        watcher.close()


def test_unconfirmed_readings_are_sent_again(broker: Broker, tmp_path: Path) -> None:
    watcher = Subscriber(broker, "hanport/v1/#")
    gateway = Gateway(tmp_path / "gw.db", broker.url, "home-1", resend_s=1)
    try:
        gateway.send(meter_readings(3))
        topic = "hanport/v1/home-1/LGF5E360-1/reading"
        watcher.wait_for(topic)
        deadline = time.monotonic() + 20
        while len(watcher.on(topic)) < 6 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(watcher.on(topic)) >= 6
    finally:
        gateway.stop()
        watcher.close()


def test_the_gateway_speaks_tls(tls_broker: Broker, tmp_path: Path) -> None:
    assert tls_broker.tls is not None
    watcher = Subscriber(tls_broker, "hanport/v1/#")
    gateway = Gateway(tmp_path / "gw.db", tls_broker.url, "home-t", ca_file=tls_broker.tls.ca_file)
    try:
        sent = meter_readings(3)
        gateway.send(sent)
        got = watcher.wait_for("hanport/v1/home-t/LGF5E360-1/reading")
        assert parse_reading(got.payload) == sent[0]
    finally:
        gateway.stop()
        watcher.close()


def test_the_gateway_logs_in(auth_broker: Broker, tmp_path: Path) -> None:
    watcher = Subscriber(auth_broker, "hanport/v1/#")
    gateway = Gateway(tmp_path / "gw.db", auth_broker.url, "home-u")
    try:
        gateway.send(meter_readings(1))
        watcher.wait_for("hanport/v1/home-u/LGF5E360-1/reading")
    finally:
        gateway.stop()
        watcher.close()


def test_a_refused_subscription_is_one_sentence_and_tried_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """NATS' MQTT listener refuses a subscription its permissions deny in the SUBACK (0x80)
    instead of closing: a gateway that took that for a subscription would never hear a
    watermark, and its outbox would never empty. It says so once and tries again."""
    node = SoloNats(tmp_path / "nats", deny="hanport.v1.home-r.ack")
    caplog.set_level(logging.INFO, "hanport.upstream")
    gateway = None
    try:
        gateway = Gateway(tmp_path / "gw.db", node.mqtt_url, "home-r")
        gateway.send(meter_readings(3))
        refused = "refused the subscription to hanport/v1/home-r/ack"
        _wait(lambda: any(refused in m for m in caplog.messages), 30)
        time.sleep(3)  # tried again meanwhile, not said again
        assert sum(refused in m for m in caplog.messages) == 1
        assert gateway.outbox_size() == 3
        node.allow_everything()
        ack = ack_payload({"LGF5E360-1": START + timedelta(days=1)})

        def confirmed() -> bool:
            node.publish("hanport.v1.home-r.ack", ack)
            return gateway.outbox_size() == 0

        _wait(confirmed, 90)
        assert sum(refused in m for m in caplog.messages) == 1
    finally:
        if gateway is not None:
            gateway.stop()
        node.stop()


def _wait(check: Callable[[], bool], deadline_s: float) -> None:
    end = time.monotonic() + deadline_s
    while not check():
        assert time.monotonic() < end
        time.sleep(0.5)
