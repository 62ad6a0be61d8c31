"""The wire format between gateways and `hanport server`, version 1 (docs/server.md). Pure.

    hanport/v1/<site>/<meter>/reading   gateway → server, QoS 1: one reading, the state JSON of
                                        docs/mqtt.md, always with `meter_time`
    hanport/v1/<site>/ack               server → gateways: {"v":1,"meters":{"<meter>":"<time>"}},
                                        every reading of <meter> up to <time> is committed

`<site>` and `<meter>` are 1 to 64 of `[A-Za-z0-9_-]` (NATS maps `/` to `.`, so no dots).
A payload is checked field by field before it becomes a `Reading`: a bad one raises
`WireError` with one sentence and is never stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from hanport.errors import HanError
from hanport.fields import FIELD_BY_NAME
from hanport.model import READING_FIELDS, Reading, Register, Value, new_reading
from hanport.output import reading_json

__all__ = [
    "VERSION",
    "WireError",
    "ack_payload",
    "ack_topic",
    "meter_key",
    "parse_ack",
    "parse_reading",
    "reading_payload",
    "reading_topic",
    "safe_name",
    "split_subject",
]

VERSION = 1
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_TEXT_FIELDS = frozenset({"meter_id", "meter_model"})
_TIME_FIELDS = frozenset({"meter_time", "received_at"})


class WireError(HanError):
    """A message that does not follow the wire format."""


def safe_name(value: str) -> bool:
    return _NAME.fullmatch(value) is not None


def meter_key(reading: Reading) -> str:
    """The meter's name in topics: its id reduced to `[A-Za-z0-9_-]`, `meter` without one."""
    return _UNSAFE.sub("_", reading.meter_id)[:64] if reading.meter_id else "meter"


def reading_topic(site: str, meter: str) -> str:
    return f"hanport/v{VERSION}/{site}/{meter}/reading"


def ack_topic(site: str) -> str:
    return f"hanport/v{VERSION}/{site}/ack"


@lru_cache(maxsize=65_536)
def split_subject(subject: str) -> tuple[str, str]:
    """(site, meter) of a NATS subject `hanport.v1.<site>.<meter>.reading` (remembered: a
    server sees the same subjects again and again)."""
    parts = subject.split(".")
    if len(parts) != 5 or parts[:2] != ["hanport", f"v{VERSION}"] or parts[4] != "reading":
        raise WireError("upstream.wire_subject", subject=subject[:200])
    site, meter = parts[2], parts[3]
    if not (safe_name(site) and safe_name(meter)):
        raise WireError("upstream.wire_subject", subject=subject[:200])
    return site, meter


def reading_payload(reading: Reading) -> str:
    """The state JSON, with `meter_time` (the received time for meters that send no clock)."""
    if reading.meter_time is None:
        reading = replace(reading, meter_time=reading.received_at)
    return reading_json(reading)


def parse_reading(payload: bytes, meter_id: str | None = None) -> Reading:
    """The reading a payload carries, every value checked; `WireError` otherwise. `meter_id`
    replaces the one it names (the server stores `<site>/<meter>`)."""
    try:
        data = json.loads(payload, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[…
        raise WireError("upstream.wire_json") from None
    if not isinstance(data, dict):
        raise WireError("upstream.wire_json")
    values: dict[str, object] = {}
    for name, value in data.items():
        if name == "verified":
            if value is not False:
                raise WireError("upstream.wire_value", field=name)
            values["verified"] = False
        elif name == "extra":
            values["extra"] = _extra(value)
        elif name in READING_FIELDS:
            values[name] = _field(name, value)
        else:
            raise WireError("upstream.wire_field", field=str(name)[:64])
    if not isinstance(values.get("meter_time"), datetime):
        raise WireError("upstream.wire_meter_time")
    if meter_id is not None:
        values["meter_id"] = meter_id
    return new_reading(values)


def _no_constant(name: str) -> object:
    raise ValueError(name)


def _field(name: str, value: object) -> object:
    if name in _TEXT_FIELDS:
        if isinstance(value, str) and len(value) <= 200:
            return value
    elif name in _TIME_FIELDS:
        if isinstance(value, str):
            return _time(value, name)
    elif FIELD_BY_NAME[name].kind == "int":
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return value
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        return Decimal(value)
    raise WireError("upstream.wire_value", field=name)


def _time(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise WireError("upstream.wire_value", field=name) from None
    if moment.utcoffset() is None:
        raise WireError("upstream.wire_value", field=name)
    return moment


def _extra(value: object) -> Mapping[str, Register]:
    if not isinstance(value, dict):
        raise WireError("upstream.wire_value", field="extra")
    registers = {}
    for obis, item in value.items():
        if not isinstance(item, dict) or "value" not in item:
            raise WireError("upstream.wire_value", field="extra")
        unit = item.get("unit")
        time = item.get("time")
        if unit is not None and not isinstance(unit, str):
            raise WireError("upstream.wire_value", field="extra")
        moment = _time(time, "extra") if isinstance(time, str) else None
        registers[str(obis)] = Register(_extra_value(item["value"]), unit, moment)
    return MappingProxyType(registers)


def _extra_value(value: Any) -> Value:
    if isinstance(value, bool) or value is None:
        raise WireError("upstream.wire_value", field="extra")
    if isinstance(value, int | Decimal | str):
        return value
    if isinstance(value, list):
        return tuple(_extra({"g": group})["g"] for group in value)
    raise WireError("upstream.wire_value", field="extra")


def ack_payload(watermarks: Mapping[str, datetime]) -> bytes:
    meters = {meter: moment.isoformat() for meter, moment in watermarks.items()}
    return json.dumps({"v": VERSION, "meters": meters}, separators=(",", ":")).encode()


def parse_ack(payload: bytes) -> dict[str, datetime]:
    """meter → watermark of an ack message; `WireError` for anything else."""
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise WireError("upstream.wire_json") from None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise WireError("upstream.wire_ack")
    meters = data.get("meters")
    if not isinstance(meters, dict):
        raise WireError("upstream.wire_ack")
    found = {}
    for meter, moment in meters.items():
        if not isinstance(moment, str):
            raise WireError("upstream.wire_ack")
        found[str(meter)] = _time(moment, "meter_time")
    return found
