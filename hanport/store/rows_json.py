"""Rollups as the API's JSON rows, written one way for every path. Pure.

    {"start":"2026-01-14T12:00:00+02:00","t":1768384800,"readings":360,
     "energy_import_wh":512,"energy_export_wh":0,"gap":false,"reset":false,
     "stats":{"power_import_w":{"min":…,"max":…,"avg":…,"sum":…,"n":…},…}
     [,"legacy":true][,"partial":true]}

Everything after `"t":…,` up to the flags at the end is the row's `body`: the SQLite store keeps
it with each stored rollup and sends it on as it is, and `hanport.web.queries` writes the same
text from typed rows for any other store. Numbers are written from their exact decimal text;
the mean is rounded to 3 decimals.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from hanport.store.base import Rollup, Stats

__all__ = [
    "IsoTimes",
    "body_json",
    "parse_body",
    "pick_stats",
    "row_json",
    "stats_json",
]

_BOOL = ("false", "true")
_MILLI = Decimal("0.001")


def stats_json(stats: Stats) -> str:
    """`{"min":…,"max":…,"avg":…,"sum":…,"n":…}` from the exact values."""
    mean = (Decimal(stats.total) / stats.count).quantize(_MILLI)
    return (
        f'{{"min":{stats.minimum},"max":{stats.maximum},"avg":{mean.normalize():f},'
        f'"sum":{stats.total},"n":{stats.count}}}'
    )


def body_json(rollup: Rollup, fields: Sequence[str] | None = None) -> str:
    """The row without its times and without `partial`: the statistics of `fields` only
    (in the row's own order), all when None."""
    stats = rollup.stats.items()
    if fields is not None:
        wanted = set(fields)
        stats = [(name, s) for name, s in stats if name in wanted]  # type: ignore[assignment]
    text = ",".join(f'"{name}":{stats_json(s)}' for name, s in stats)
    return (
        f'"readings":{rollup.readings},"energy_import_wh":{rollup.energy_import_wh},'
        f'"energy_export_wh":{rollup.energy_export_wh},"gap":{_BOOL[rollup.gap]},'
        f'"reset":{_BOOL[rollup.reset]},"stats":{{{text}}}{_LEGACY[rollup.legacy]}'
    )


_LEGACY = ("", ',"legacy":true')
_PARTIAL = ("", ',"partial":true')


def row_json(start: str, t: int, body: str, partial: bool) -> str:
    return f'{{"start":"{start}","t":{t},{body}{_PARTIAL[partial]}}}'


def pick_stats(body: str, fields: Sequence[str]) -> str:
    """A stored body with the statistics of `fields` only (in the row's own order). The
    statistics are flat objects, so each one ends at the first closing brace after its name."""
    at = body.index(',"stats":{') + 10
    end = body.rindex("}")
    stats = body[at:end]
    parts = []
    for name in fields:
        found = stats.find(f'"{name}":{{')
        if found >= 0:
            parts.append((found, stats[found : stats.index("}", found) + 1]))
    picked = ",".join(part for _, part in sorted(parts))
    return f"{body[:at]}{picked}{body[end:]}"


_DECODER = json.JSONDecoder(parse_float=Decimal)


def parse_body(step: str, start: datetime, body: str) -> Rollup:
    """A stored body back as a typed row."""
    values: dict[str, Any] = _DECODER.decode("{" + body + "}")
    stats = {
        name: Stats(item["min"], item["max"], item["sum"], item["n"])
        for name, item in values["stats"].items()
    }
    return Rollup(
        step,
        start,
        values["readings"],
        values["energy_import_wh"],
        values["energy_export_wh"],
        values["gap"],
        values["reset"],
        stats,
        legacy=values.get("legacy", False),
    )


class IsoTimes:
    """Unix seconds → the zone's ISO 8601 with offset (as `datetime.isoformat` writes it)."""

    def __init__(self, zone: tzinfo) -> None:
        self._zone = zone

    def __call__(self, t: int) -> str:
        return datetime.fromtimestamp(t, self._zone).isoformat()
