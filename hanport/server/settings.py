"""The `[server]` section of `hanport server` (flags override it).

[server]
database = "postgresql://hanport@db/hanport"   # HANPORT_SERVER_DATABASE (--database)
nats = "nats://a:4222,nats://b:4222,nats://c:4222"   # HANPORT_SERVER_NATS (--nats)
workers = 2            # HANPORT_SERVER_WORKERS (--workers): ingest worker processes
replicas = 3           # HANPORT_SERVER_REPLICAS: copies of the stream in the cluster
batch = 500            # HANPORT_SERVER_BATCH: readings per fetch and database commit
ack_wait_s = 30        # HANPORT_SERVER_ACK_WAIT_S: unacknowledged readings come again after
max_age_days = 7       # HANPORT_SERVER_MAX_AGE_DAYS: the stream keeps readings this long
listen = "127.0.0.1"   # HANPORT_SERVER_LISTEN (--listen): /healthz and /metrics
port = 8090            # HANPORT_SERVER_PORT (--port)
stream = "HANPORT"     # HANPORT_SERVER_STREAM: the JetStream stream's name
consumer = "ingest"    # HANPORT_SERVER_CONSUMER: the durable consumer's name
silent_min = 10        # HANPORT_SERVER_SILENT_MIN: a site without a reading this long is silent
"""

from __future__ import annotations

from dataclasses import dataclass

from hanport.settings.section import Section
from hanport.settings.values import Raw, SettingError, text_value, whole

__all__ = ["SERVER", "ServerSettings", "nats_urls", "server_settings"]

KEYS = (
    "database",
    "nats",
    "workers",
    "replicas",
    "batch",
    "ack_wait_s",
    "max_age_days",
    "listen",
    "port",
    "stream",
    "consumer",
    "silent_min",
)


@dataclass(frozen=True)
class ServerSettings:
    database: str = "hanport-server.db"
    nats: tuple[str, ...] = ("nats://127.0.0.1:4222",)
    workers: int = 2
    replicas: int = 3
    batch: int = 500
    ack_wait_s: int = 30
    max_age_days: int = 7
    listen: str = "127.0.0.1"
    port: int = 8090
    stream: str = "HANPORT"
    consumer: str = "ingest"
    silent_min: int = 10
    zone: str = "Europe/Tallinn"
    """The store's clock (the settings' `timezone`), not a key of [server]."""

    def __repr__(self) -> str:
        return f"ServerSettings(nats={','.join(self.nats)}, workers={self.workers})"


def nats_urls(value: str, where: str) -> tuple[str, ...]:
    urls = tuple(url.strip() for url in value.split(",") if url.strip())
    if not urls or not all(url.startswith(("nats://", "tls://")) for url in urls):
        raise SettingError("server.setting_nats", value=value, where=where)
    return urls


def _name(item: tuple[object, str] | None, default: str) -> str:
    value = text_value(item, "server.what_name")
    if item is None or value is None:
        return default
    if not value.replace("_", "").replace("-", "").isalnum():
        raise SettingError("server.setting_name", value=value, where=item[1])
    return value


def server_settings(raw: Raw) -> ServerSettings:
    nats_item = raw.get("nats")
    nats_text = text_value(nats_item, "server.what_nats")
    return ServerSettings(
        database=text_value(raw.get("database"), "server.what_database") or "hanport-server.db",
        nats=nats_urls(nats_text, nats_item[1]) if nats_item and nats_text else ServerSettings.nats,
        workers=whole(raw.get("workers"), 2, 1, 64, "server.what_workers"),
        replicas=whole(raw.get("replicas"), 3, 1, 5, "server.what_replicas"),
        batch=whole(raw.get("batch"), 500, 1, 10_000, "server.what_batch"),
        ack_wait_s=whole(raw.get("ack_wait_s"), 30, 1, 3600, "server.what_ack_wait"),
        max_age_days=whole(raw.get("max_age_days"), 7, 1, 3650, "server.what_max_age"),
        listen=text_value(raw.get("listen"), "server.what_listen") or "127.0.0.1",
        port=whole(raw.get("port"), 8090, 0, 65535, "server.what_port"),
        stream=_name(raw.get("stream"), "HANPORT"),
        consumer=_name(raw.get("consumer"), "ingest"),
        silent_min=whole(raw.get("silent_min"), 10, 1, 10_080, "server.what_silent"),
    )


SERVER: Section[ServerSettings] = Section("server", KEYS, lambda raw, before: server_settings(raw))
