"""`hanport server stats`: per site and meter what is stored, and how far ingest is behind."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import nats
from nats.js.errors import NotFoundError

from hanport.output import columns
from hanport.server.connect import ServerError, connect
from hanport.server.ingest import site_meter
from hanport.server.settings import ServerSettings
from hanport.store import Store

__all__ = [
    "MeterStats",
    "ServerStats",
    "consumer_stats",
    "gather",
    "meter_stats",
    "stats_json",
    "stats_table",
]


@dataclass(frozen=True)
class MeterStats:
    site: str
    meter: str
    readings: int
    first: datetime | None
    last: datetime | None
    last_seen: datetime | None


@dataclass(frozen=True)
class ServerStats:
    meters: list[MeterStats]
    pending: int | None
    ack_pending: int | None
    lag_s: float | None


def meter_stats(store: Store) -> list[MeterStats]:
    found = []
    for info in store.meters():
        if "/" not in info.id:
            continue
        site, meter = site_meter(info.id)
        count = 0
        if info.first is not None and info.last is not None:
            end = info.last + timedelta(microseconds=1)
            count = len(store.readings(info.id, info.first, end))
        latest = store.latest(info.id)
        seen = latest.received_at if latest is not None else None
        found.append(MeterStats(site, meter, count, info.first, info.last, seen))
    return found


async def consumer_stats(settings: ServerSettings) -> tuple[int | None, int | None, float | None]:
    """Pending, acknowledgement-pending, and the age of the oldest reading not yet committed."""
    client = await connect(settings.nats, "hanport-stats", timeout_s=10.0)
    try:
        js = client.jetstream()
        try:
            info = await js.consumer_info(settings.stream, settings.consumer)
        except NotFoundError:
            return None, None, None
        pending, ack_pending = info.num_pending or 0, info.num_ack_pending or 0
        lag = 0.0
        if pending or ack_pending:
            floor = info.ack_floor.stream_seq if info.ack_floor else 0
            try:
                oldest = await js.get_msg(settings.stream, floor + 1)
            except NotFoundError:
                return pending, ack_pending, None
            if oldest.time is not None:
                lag = (datetime.now(UTC) - oldest.time).total_seconds()
        return pending, ack_pending, lag
    finally:
        await client.close()


def gather(settings: ServerSettings, store: Store) -> ServerStats:
    meters = meter_stats(store)
    try:
        pending, ack_pending, lag = asyncio.run(consumer_stats(settings))
    except (nats.errors.Error, OSError, TimeoutError, ServerError):
        pending = ack_pending = None
        lag = None
    return ServerStats(meters, pending, ack_pending, lag)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def stats_json(stats: ServerStats) -> str:
    return json.dumps(
        {
            "consumer": {
                "pending": stats.pending,
                "ack_pending": stats.ack_pending,
                "lag_s": stats.lag_s,
            },
            "meters": [
                {
                    "site": m.site,
                    "meter": m.meter,
                    "readings": m.readings,
                    "first": _iso(m.first),
                    "last": _iso(m.last),
                    "last_seen": _iso(m.last_seen),
                }
                for m in stats.meters
            ],
        },
        indent=2,
    )


def stats_table(stats: ServerStats, headings: list[str]) -> list[str]:
    rows: list[Sequence[str]] = [headings]
    rows += [
        [
            m.site,
            m.meter,
            str(m.readings),
            _iso(m.first) or "—",
            _iso(m.last) or "—",
            _iso(m.last_seen) or "—",
        ]
        for m in stats.meters
    ]
    return columns(rows)
