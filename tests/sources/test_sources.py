"""Telegram sources: the HomeWizard P1 meter's HTTP API against a local fake server, Tasmota and
ESPHome telegrams through a private Mosquitto, and the pure parts (URLs, payloads)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from mqtt_broker import Broker, Subscriber, broker_fixture, free_port  # noqa: F401
from nats_cluster import SoloNats

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator
from hanport.sources.payloads import homewizard_telegram, p1_bytes, tasmota_chunk
from hanport.sources.telegrams import (
    HomeWizardSource,
    MqttTelegramSource,
    open_telegram_stream,
    parse_telegram_source,
)
from hanport.sources.transport import SourceError


def _telegrams(count: int) -> list[bytes]:
    sim = HomeSimulator(seed=4)
    return [sim.next_telegram() for _ in range(count)]


def _readings(chunks: list[bytes]) -> list[Reading]:
    decoder = hanport.Decoder()
    items = [item for chunk in chunks for item in decoder.feed(chunk)]
    return [item for item in items if isinstance(item, Reading)]


def test_source_urls() -> None:
    assert parse_telegram_source("homewizard://192.0.2.20") == HomeWizardSource("192.0.2.20")
    assert parse_telegram_source("homewizard://p1.local:8080?interval=5") == HomeWizardSource(
        "p1.local", 8080, 5.0
    )
    tasmota = parse_telegram_source("mqtt+tasmota://me:p%40ss@192.0.2.2/tele/p1/RESULT?format=hex")
    assert tasmota == MqttTelegramSource(
        "tasmota", "192.0.2.2", "tele/p1/RESULT", 1883, False, "me", "p@ss", "hex"
    )
    assert "p@ss" not in str(tasmota)
    esphome = parse_telegram_source("mqtts+esphome://broker/p1/text_sensor/telegram/state")
    assert esphome == MqttTelegramSource(
        "esphome", "broker", "p1/text_sensor/telegram/state", 8883, True
    )
    for url, message in (
        ("homewizard://", "needs the P1 meter's address"),
        ("homewizard://h?interval=0.1", "interval='0.1' must be seconds"),
        ("mqtt+tasmota://broker", "needs the broker and the topic"),
        ("mqtt+tasmota://broker/tele/#", "without # or +"),
        ("mqtt+tasmota://broker:x/t", "is not a number"),
        ("mqtt+esphome://broker/t?format=hex", "Tasmota only"),
        ("mqtt+shelly://broker/t", "Unknown source"),
    ):
        with pytest.raises(SourceError, match=message):
            parse_telegram_source(url)


def test_p1_bytes_gives_back_the_meters_line_ends() -> None:
    telegram = _telegrams(1)[0]
    assert p1_bytes(telegram) == telegram
    mangled = telegram.replace(b"\r\n", b"\n").strip()  # as a device may pass it on
    assert p1_bytes(mangled) == telegram
    assert len(hanport.decode(p1_bytes(mangled))) == 1  # the CRC holds again
    assert p1_bytes(b"\r\n") == b""


def test_homewizard_answers() -> None:
    telegram = _telegrams(1)[0]
    assert homewizard_telegram(200, telegram, "h") == telegram
    assert homewizard_telegram(503, b"telegram:no-telegram-received", "h") is None
    with pytest.raises(SourceError, match="switch on 'Local API'"):
        homewizard_telegram(403, b"", "192.0.2.20")
    with pytest.raises(SourceError, match="is not a HomeWizard P1 meter"):
        homewizard_telegram(404, b"", "192.0.2.20")
    with pytest.raises(SourceError, match="answered HTTP 500"):
        homewizard_telegram(500, b"", "192.0.2.20")


def test_tasmota_messages() -> None:
    assert tasmota_chunk(b'{"SerialReceived":"/LGF5E360\\r\\n"}') == b"/LGF5E360\r\n"
    assert tasmota_chunk(b'{"SSerialReceived":"2F4C47463545333630"}') == b"/LGF5E360"
    assert tasmota_chunk(b'{"SerialReceived":"2F4C4746"}', "text") == b"2F4C4746"
    assert tasmota_chunk(b'{"SerialReceived":"7EA0"}', "hex") == b"\x7e\xa0"
    assert tasmota_chunk(b'{"Command":"Unknown"}') is None
    assert tasmota_chunk(b"not json") is None
    assert tasmota_chunk(b'{"SerialReceived":{"a":1}}') is None


class _FakeP1Meter(BaseHTTPRequestHandler):
    answers: ClassVar[list[tuple[int, bytes]]] = []
    hits = 0

    def do_GET(self) -> None:
        assert self.path == "/api/v1/telegram"
        cls = type(self)
        status, body = cls.answers[min(cls.hits, len(cls.answers) - 1)]
        cls.hits += 1
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _fake_p1_meter(answers: list[tuple[int, bytes]]) -> Iterator[int]:
    _FakeP1Meter.answers = answers
    _FakeP1Meter.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeP1Meter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


async def _take(source: HomeWizardSource | MqttTelegramSource, count: int) -> list[bytes]:
    chunks: list[bytes] = []
    async with contextlib.aclosing(open_telegram_stream(source)) as stream:
        async for chunk in stream:
            chunks.append(chunk)
            if len(chunks) == count:
                break
    return chunks


def test_homewizard_yields_each_new_telegram_once() -> None:
    first, second = _telegrams(2)
    answers = [
        (503, b"telegram:no-telegram-received"),
        (200, first.replace(b"\r\n", b"\n")),
        (200, first.replace(b"\r\n", b"\n")),  # not read again by the meter yet
        (200, second),
    ]
    with _fake_p1_meter(answers) as port:
        source = HomeWizardSource("127.0.0.1", port, interval_s=0.01)
        chunks = asyncio.run(asyncio.wait_for(_take(source, 2), 20))
        assert _FakeP1Meter.hits == 4
    assert chunks == [first, second]
    readings = _readings(chunks)
    assert [r.meter_time for r in readings] == [
        hanport.decode(t)[0].meter_time for t in (first, second)
    ]


def test_homewizard_problems_are_one_sentence() -> None:
    with _fake_p1_meter([(403, b"")]) as port, pytest.raises(SourceError, match="'Local API'"):
        asyncio.run(_take(HomeWizardSource("127.0.0.1", port, 0.01), 1))
    with pytest.raises(SourceError, match=r"Cannot reach the HomeWizard P1 meter at 127\.0\.0\.1"):
        asyncio.run(_take(HomeWizardSource("127.0.0.1", free_port(), 0.01), 1))


def _collect(broker: Broker, source: MqttTelegramSource, messages: list[bytes]) -> list[Reading]:
    async def scenario() -> list[Reading]:
        chunks: list[bytes] = []
        subscriber = Subscriber(broker, topics="unused/#")
        try:
            async with contextlib.aclosing(open_telegram_stream(source)) as stream:
                reader = asyncio.ensure_future(_gather(stream, chunks))
                for _ in range(50):
                    for message in messages:
                        await asyncio.to_thread(subscriber.publish, source.topic, message.decode())
                    await asyncio.sleep(0.1)
                    if len(_readings(chunks)) >= 2:
                        break
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
        finally:
            subscriber.close()
        return _readings(chunks)

    return asyncio.run(asyncio.wait_for(scenario(), 60))


async def _gather(stream: object, chunks: list[bytes]) -> None:
    async for chunk in stream:  # type: ignore[attr-defined]
        chunks.append(chunk)


def _split(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def test_tasmota_serial_bridge_text_and_hex(broker: Broker) -> None:
    telegram = _telegrams(1)[0]
    source = MqttTelegramSource("tasmota", "127.0.0.1", "tele/p1/RESULT", broker.port)
    text = [
        json.dumps({"SerialReceived": part.decode()}).encode() for part in _split(telegram, 256)
    ]
    noise = [b'{"Command":"Unknown"}']
    readings = _collect(broker, source, [*noise, *text])
    assert len(readings) >= 2
    assert readings[0].energy_import_wh == hanport.decode(telegram)[0].energy_import_wh

    hexed = [
        json.dumps({"SSerialReceived": part.hex().upper()}).encode()
        for part in _split(telegram, 100)
    ]
    readings = _collect(broker, source, hexed)
    assert len(readings) >= 2
    assert readings[0].power_import_w == hanport.decode(telegram)[0].power_import_w


def test_esphome_telegram_sensor(broker: Broker) -> None:
    telegram = _telegrams(1)[0]
    topic = "p1reader/text_sensor/telegram/state"
    source = MqttTelegramSource("esphome", "127.0.0.1", topic, broker.port)
    readings = _collect(broker, source, [telegram.replace(b"\r\n", b"\n")])
    assert len(readings) >= 2
    assert readings[0].voltage_l1_v == hanport.decode(telegram)[0].voltage_l1_v


def test_mqtt_source_broker_down_is_one_sentence() -> None:
    source = MqttTelegramSource("tasmota", "127.0.0.1", "tele/p1/RESULT", free_port())
    with pytest.raises(
        SourceError, match=r"MQTT broker 127\.0\.0\.1:\d+ for the tasmota telegrams failed"
    ):
        asyncio.run(_take(source, 1))


def test_mqtt_source_topic_refused_is_one_sentence(tmp_path: Path) -> None:
    node = SoloNats(tmp_path / "nats", deny="tele.p1.RESULT")
    try:
        source = MqttTelegramSource("tasmota", "127.0.0.1", "tele/p1/RESULT", node.node.mqtt_port)
        with pytest.raises(
            SourceError, match=r"127\.0\.0\.1:\d+ refused the subscription to tele/p1/RESULT;"
        ):
            asyncio.run(asyncio.wait_for(_take(source, 1), 30))
    finally:
        node.stop()
