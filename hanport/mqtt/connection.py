"""An `aiomqtt.Client` for the configured broker: credentials, TLS and the last will."""

from __future__ import annotations

import logging
import ssl

import aiomqtt
from paho.mqtt.reasoncodes import ReasonCode

from hanport.mqtt.payloads import availability_topic
from hanport.mqtt.problems import MqttProblem, SetupProblem
from hanport.mqtt.settings import MqttSettings

__all__ = ["OFFLINE", "ONLINE", "make_client", "subscribe", "tls_context"]

ONLINE, OFFLINE = "online", "offline"
KEEPALIVE_S = 30
"""A silently vanished broker is noticed within 1.5 of these."""
CONNECT_TIMEOUT_S = 10.0

_paho_log = logging.getLogger("hanport.mqtt.client")
_paho_log.setLevel(logging.WARNING)  # paho's per-packet debug lines are not for users


def make_client(
    settings: MqttSettings, *, client_id: str | None = None, will: bool = True
) -> aiomqtt.Client:
    """A client that is not connected yet; `async with` it to connect.

    With `will`, the broker publishes `offline` (retained) to `<prefix>/status` when hanport
    disappears without saying goodbye. Raises `SetupProblem` if the TLS files cannot be loaded.
    """
    last_will = None
    if will:
        last_will = aiomqtt.Will(
            availability_topic(settings), OFFLINE, qos=settings.qos, retain=True
        )
    return aiomqtt.Client(
        settings.host,
        settings.port,
        username=settings.username,
        password=settings.password,
        identifier=client_id or settings.client_id,
        will=last_will,
        tls_context=tls_context(settings) if settings.tls else None,
        keepalive=KEEPALIVE_S,
        timeout=CONNECT_TIMEOUT_S,
        logger=_paho_log,
    )


def tls_context(settings: MqttSettings) -> ssl.SSLContext:
    """Verifies the broker's certificate and host name (CA file, else the system's CAs)."""
    try:
        context = ssl.create_default_context(cafile=settings.ca_file)
        if settings.cert_file and settings.key_file:
            context.load_cert_chain(settings.cert_file, settings.key_file)
    except (ssl.SSLError, OSError) as error:
        detail = getattr(error, "reason", None) or error.strerror or str(error)
        raise SetupProblem("mqtt.tls_files", detail=str(detail)) from None
    return context


async def subscribe(client: aiomqtt.Client, topic: str, qos: int, url: str) -> None:
    """Subscribe, or raise `MqttProblem` when the broker refuses it in its SUBACK (0x80: an ACL,
    or a NATS node whose JetStream could not keep the subscription while a peer died), which
    aiomqtt returns as a reason code instead of raising: the caller connects again and retries."""
    granted = await client.subscribe(topic, qos=qos)
    if any(_failed(code) for code in granted):
        raise MqttProblem("mqtt.subscribe_refused", url=url, topic=topic)


def _failed(code: int | ReasonCode) -> bool:
    return (code.value if isinstance(code, ReasonCode) else code) >= 0x80
