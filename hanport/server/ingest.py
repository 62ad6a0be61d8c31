"""From NATS messages to readings for the store, and the workers' reports. Pure.

A reading of meter `<meter>` at site `<site>` is stored under the meter id `<site>/<meter>`:
every store keys readings by (meter id, meter time), so the same reading sent twice is stored
once, and sites never share a meter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hanport.model import Reading
from hanport.upstream.wire import WireError, split_subject
from hanport.upstream.wire_fast import parse_reading_fast

__all__ = ["Committed", "Decoded", "decode", "parse_report", "report", "site_meter", "stored_id"]


def stored_id(site: str, meter: str) -> str:
    return f"{site}/{meter}"


def site_meter(stored: str) -> tuple[str, str]:
    site, _, meter = stored.partition("/")
    return site, meter


@dataclass(frozen=True, slots=True)
class Committed:
    """A reading that is in the database: its stream sequence, where it is from, its time."""

    sequence: int
    site: str
    meter: str
    meter_time: datetime


@dataclass
class Decoded:
    readings: list[Reading]
    committed: list[Committed]
    bad: list[tuple[int, WireError]]


def decode(messages: Sequence[tuple[int, str, bytes]]) -> Decoded:
    """(stream sequence, subject, payload) per message → the readings to write, what they will
    be once committed, and the messages that are not readings (never stored)."""
    out = Decoded([], [], [])
    for index, (sequence, subject, payload) in enumerate(messages):
        try:
            site, meter = split_subject(subject)
            reading = parse_reading_fast(payload, stored_id(site, meter))
        except WireError as error:
            out.bad.append((index, error))
            continue
        assert reading.meter_time is not None
        out.readings.append(reading)
        out.committed.append(Committed(sequence, site, meter, reading.meter_time))
    return out


def report(committed: Sequence[Committed], lags_ms: Sequence[int], worker: int) -> bytes:
    rows = [[c.sequence, c.site, c.meter, c.meter_time.isoformat()] for c in committed]
    return json.dumps({"w": worker, "c": rows, "lag_ms": list(lags_ms)}).encode()


def parse_report(payload: bytes) -> tuple[int, list[Committed], list[int]]:
    data = json.loads(payload)
    rows = [Committed(s, site, m, datetime.fromisoformat(t)) for s, site, m, t in data["c"]]
    return int(data["w"]), rows, [int(x) for x in data["lag_ms"]]
