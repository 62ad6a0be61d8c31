"""Sources for HAN devices that publish whole telegrams instead of serving the raw bytes over TCP
(those are read by `tcp://host:port`):

    homewizard://192.168.1.20                           HomeWizard Wi-Fi P1 meter, local API v1
    mqtt+tasmota://user:pass@broker:1883/tele/p1/RESULT Tasmota serial bridge (SerialReceived)
    mqtt+esphome://broker/p1reader/text_sensor/telegram/state   ESPHome dsmr `telegram` sensor
    mqtts+tasmota://…, mqtts+esphome://…                the same over TLS (port 8883)

`parse_telegram_source(url)` parses one (pure); `open_telegram_stream(source)` is an async
generator of raw bytes with the contract of `hanport.sources.transport.open_stream`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from hanport.sources.urls import (
    SCHEMES,
    HomeWizardSource,
    MqttTelegramSource,
    TelegramSource,
    parse_telegram_source,
)

__all__ = [
    "SCHEMES",
    "HomeWizardSource",
    "MqttTelegramSource",
    "TelegramSource",
    "open_telegram_stream",
    "parse_telegram_source",
]


async def open_telegram_stream(source: TelegramSource) -> AsyncGenerator[bytes, None]:
    """Yield the source's bytes until it ends; consume it inside `contextlib.aclosing`."""
    if isinstance(source, HomeWizardSource):
        from hanport.sources.homewizard import homewizard_stream

        async for chunk in homewizard_stream(source):
            yield chunk
    else:
        from hanport.sources.mqtt_telegrams import mqtt_telegram_stream

        async for chunk in mqtt_telegram_stream(source):
            yield chunk
