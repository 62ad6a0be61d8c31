"""Telegrams from an MQTT broker: Tasmota's serial bridge and ESPHome's dsmr `telegram` sensor.

Every message on the one topic is turned into the meter's bytes (see `payloads`); other
messages on it (a Tasmota command result) are passed over. Retained messages are skipped: an old
telegram is not a new reading.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

from hanport.sources.errors import SourceError
from hanport.sources.payloads import p1_bytes, tasmota_chunk
from hanport.sources.urls import MqttTelegramSource

__all__ = ["mqtt_telegram_stream"]


async def mqtt_telegram_stream(source: MqttTelegramSource) -> AsyncIterator[bytes]:
    import aiomqtt

    client = aiomqtt.Client(
        hostname=source.host,
        port=source.port,
        username=source.username,
        password=source.password,
        identifier=None,
        tls_context=ssl.create_default_context() if source.tls else None,
        timeout=10,
    )
    try:
        async with client:
            granted = await client.subscribe(source.topic, qos=0)
            if any(getattr(code, "value", code) >= 0x80 for code in granted):  # SUBACK refused
                raise SourceError(
                    "sources.telegram_topic_refused",
                    host=source.host,
                    port=source.port,
                    topic=source.topic,
                )
            async for message in client.messages:
                if message.retain:
                    continue
                payload = message.payload
                raw = bytes(payload) if isinstance(payload, bytes | bytearray) else b""
                chunk = _chunk(source, raw)
                if chunk:
                    yield chunk
    except aiomqtt.MqttError as error:
        raise SourceError(
            "sources.telegram_broker_failed",
            host=source.host,
            port=source.port,
            kind=source.kind,
            detail=str(error),
        ) from None


def _chunk(source: MqttTelegramSource, payload: bytes) -> bytes | None:
    if source.kind == "tasmota":
        return tasmota_chunk(payload, source.format)
    return p1_bytes(payload) or None
