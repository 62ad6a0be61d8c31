"""What the PostgreSQL store holds, per site and meter, for operators (`hanport server stats`):
readings stored, the first and last meter time, in one query over every site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

__all__ = ["MeterCount", "meter_counts"]

_QUERY = (
    "SELECT s.key, m.key, m.first, m.last, coalesce(b.n, 0) + coalesce(p.n, 0) "
    "FROM meters m JOIN sites s ON s.id = m.site "
    "LEFT JOIN (SELECT meter, sum(n) AS n FROM blocks GROUP BY meter) b ON b.meter = m.id "
    "LEFT JOIN (SELECT meter, sum(n) AS n FROM pending GROUP BY meter) p ON p.meter = m.id "
    'ORDER BY s.key COLLATE "C", m.key COLLATE "C"'
)


@dataclass(frozen=True, slots=True)
class MeterCount:
    """A meter of a site: its stored readings (a reading sent twice in the hour still open
    counts twice until the hour is sealed), and its oldest and newest meter time (UTC)."""

    site: str
    meter: str
    readings: int
    first: datetime | None
    last: datetime | None


def meter_counts(db: psycopg.Connection[Any]) -> list[MeterCount]:
    return [
        MeterCount(site, meter, int(count), _utc(first), _utc(last))
        for site, meter, first, last, count in db.execute(_QUERY).fetchall()
    ]


def _utc(micros: int | None) -> datetime | None:
    if micros is None:
        return None
    seconds, rest = divmod(micros, 1_000_000)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest)
