"""The JetStream stream every gateway's readings land in, and the workers' durable consumer.

The stream covers `hanport.v1.*.*.reading` (the MQTT topics `hanport/v1/<site>/<meter>/reading`
as NATS subjects), is replicated (`replicas`), keeps readings `max_age_days` and never refuses
one (no size limit, discard old): so a reading NATS accepted is a reading the workers will get.
It is created before gateways are let in (`hanport server` does it first of all).
"""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError

from hanport.server.settings import ServerSettings

__all__ = [
    "COMMITTED",
    "STORE_STATE",
    "SUBJECTS",
    "consumer_config",
    "ensure_consumer",
    "ensure_stream",
    "stream_config",
]

SUBJECTS = ["hanport.v1.*.*.reading"]
COMMITTED = "hanport.server.committed"
STORE_STATE = "hanport.server.store"
"""A worker whose database refused a batch says so here (`{"w": number, "ok": false}`), again
at each retry; its next report means the database took readings again."""
"""Core NATS subject where workers say which stream sequences they committed."""


def stream_config(settings: ServerSettings) -> StreamConfig:
    return StreamConfig(
        name=settings.stream,
        subjects=SUBJECTS,
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        max_age=settings.max_age_days * 86_400.0,
        storage=StorageType.FILE,
        num_replicas=settings.replicas,
        duplicate_window=120.0,
    )


def consumer_config(settings: ServerSettings) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=settings.consumer,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=float(settings.ack_wait_s),
        max_deliver=-1,
        max_ack_pending=max(20_000, settings.batch * settings.workers * 4),
        max_waiting=512,
    )


async def ensure_stream(js: JetStreamContext, settings: ServerSettings) -> None:
    """Create the stream, or bring an existing one to these settings."""
    try:
        await js.stream_info(settings.stream)
    except NotFoundError:
        await js.add_stream(stream_config(settings))
    else:
        await js.update_stream(stream_config(settings))


async def ensure_consumer(js: JetStreamContext, settings: ServerSettings) -> None:
    await js.add_consumer(settings.stream, consumer_config(settings))
