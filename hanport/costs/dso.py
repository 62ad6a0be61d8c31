"""The hourly consumption file a customer downloads from the DSO's self-service.

Elektrilevi's CSV (self-service → consumption history; up to 12 months of hourly data), as its
public descriptions give it: UTF-8 with a BOM, semicolons, comma decimals, a few header rows,
then the data:

    EIC;38ZEE-00000000-X
    Seerianumber;12345678
    Periood;01.10.2025 - 31.10.2025
    Algusaeg;Lõppaeg;Tarbimine;…;Võrku andmine
    01.10.2025 00:00;01.10.2025 01:00;0,412;…;0,000

Times are Tallinn local time (the repeated hour of the autumn change is read in file order).
Other exports (Estfeed, sellers' portals) differ in column names, units and separators; a
`DsoColumns` mapping, also written as text (`dso_columns("start=Periood,import=Kogus,unit=Wh,
decimal=point,delimiter=comma")`), says how to read them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from hanport.costs.errors import DsoFileError
from hanport.i18n.catalogue import Message

__all__ = ["DsoColumns", "DsoFile", "DsoInterval", "dso_columns", "parse_dso_csv"]

TALLINN = ZoneInfo("Europe/Tallinn")
_UNITS = {"wh": Decimal(1), "kwh": Decimal(1000), "mwh": Decimal(1_000_000)}
_SEPARATORS = {"semicolon": ";", "comma": ",", "tab": "\t", "point": ".", "dot": "."}
_FORMATS = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H.%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
_ESTIMATED = ("progno", "estim", "hinnang")
_OPTIONAL = ("end", "export", "status")
_STEPS = (timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=1))


@dataclass(frozen=True)
class DsoColumns:
    """How to read a consumption export: column names (None: the file has no such column),
    the energy unit, the field delimiter and the decimal mark."""

    start: str = "Algusaeg"
    end: str | None = "Lõppaeg"
    import_: str = "Tarbimine"
    export: str | None = "Võrku andmine"
    status: str | None = None
    unit: str = "kWh"
    delimiter: str = ";"
    decimal: str = ","


@dataclass(frozen=True, slots=True)
class DsoInterval:
    start: datetime
    end: datetime
    import_wh: Decimal
    export_wh: Decimal | None
    estimated: bool = False


@dataclass(frozen=True)
class DsoFile:
    intervals: tuple[DsoInterval, ...]
    meta: dict[str, str] = field(default_factory=dict)
    """The rows before the header, e.g. {"EIC": "38ZEE-…", "Seerianumber": "…"}."""


def dso_columns(text: str) -> DsoColumns:
    """A mapping from text: comma-separated key=value pairs, keys as in `DsoColumns` (`import`
    for import_); an empty value means the file has no such column."""
    keys = [item.name.rstrip("_") for item in fields(DsoColumns)]
    problem = DsoFileError("costs.dso_mapping", value=text, keys=", ".join(keys))
    changes: dict[str, Any] = {}
    for pair in (part for part in text.split(",") if part.strip()):
        key, equals, value = pair.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not equals or key not in keys or (not value and key not in _OPTIONAL):
            raise problem
        if key in ("delimiter", "decimal"):
            value = _SEPARATORS.get(value.lower(), value)
            if len(value) != 1:
                raise problem
        if key == "unit" and value.lower() not in _UNITS:
            raise problem
        changes["import_" if key == "import" else key] = value or None
    return replace(DsoColumns(), **changes)


def parse_dso_csv(
    data: bytes | str,
    columns: DsoColumns = DsoColumns(),
    zone: tzinfo = TALLINN,
    source: str | None = None,
) -> DsoFile:
    """Every interval of the file, in UTC, energy in Wh as exact decimals. `source` names the
    file in the sentences of its errors (by default "the consumption file")."""
    source = source or Message("costs.source_consumption_file")
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=columns.delimiter))
    header_at = _header_row(rows, columns.start, source)
    header = [_norm(cell) for cell in rows[header_at]]
    meta = {row[0].strip(): row[1].strip() for row in rows[:header_at] if len(row) >= 2}
    at = {
        name: _column(header, wanted, source, required=name in ("start", "import"))
        for name, wanted in (
            ("start", columns.start),
            ("end", columns.end),
            ("import", columns.import_),
            ("export", columns.export),
            ("status", columns.status),
        )
    }
    scale = _UNITS[columns.unit.lower()]
    intervals: list[DsoInterval] = []
    previous: datetime | None = None
    for line, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            interval = _interval(row, at, columns.decimal, scale, zone, previous)
        except _RowError as error:
            raise DsoFileError(
                "costs.dso_row", source=source, line=line, detail=error.phrase
            ) from None
        if interval is None:
            continue
        last = intervals[-1] if intervals else None
        if last is not None and (interval.start <= last.start or interval.start < last.end):
            detail = Message("costs.dso_order", value=interval.start.isoformat())
            raise DsoFileError("costs.dso_row", source=source, line=line, detail=detail)
        intervals.append(interval)
        previous = interval.start
    if not intervals:
        raise DsoFileError("costs.dso_empty", source=source)
    return DsoFile(tuple(_with_ends(intervals)), meta)


class _RowError(Exception):
    """What is wrong with one row: a `[costs]` code, for the sentence that names the line."""

    def __init__(self, code: str, value: object) -> None:
        super().__init__(code)
        self.phrase = Message(code, value=value)


def _interval(
    row: list[str],
    at: dict[str, int | None],
    decimal: str,
    scale: Decimal,
    zone: tzinfo,
    previous: datetime | None,
) -> DsoInterval | None:
    def cell(name: str) -> str:
        index = at[name]
        return row[index].strip() if index is not None and index < len(row) else ""

    amount = cell("import")
    if not amount:
        return None  # an hour the DSO has no data for: left out, never zero
    start = _time(cell("start"), zone, previous)
    step = _naive_step(cell("start"), cell("end"))
    exported = cell("export")
    status = cell("status").lower()
    return DsoInterval(
        start,
        start + step if step else start,  # no usable end: set from the next start
        _energy(amount, decimal, scale),
        _energy(exported, decimal, scale) if exported else None,
        any(word in status for word in _ESTIMATED),
    )


def _with_ends(intervals: list[DsoInterval]) -> list[DsoInterval]:
    """Intervals without an end column end where the next one starts (the last: same step)."""
    step = timedelta(hours=1)
    result: list[DsoInterval] = []
    for index, interval in enumerate(intervals):
        if interval.end > interval.start:
            result.append(interval)
            continue
        if index + 1 < len(intervals):
            step = min(step, intervals[index + 1].start - interval.start)
        result.append(replace(interval, end=interval.start + step))
    return result


def _naive_step(start: str, end: str) -> timedelta | None:
    """The interval's length from its end column, read as clock times (so the repeated hour of
    the autumn change still lasts an hour); None when there is no usable end."""
    for pattern in _FORMATS:
        try:
            step = datetime.strptime(end, pattern) - datetime.strptime(start, pattern)
        except ValueError:
            continue
        return step if step in _STEPS else None
    return None


def _time(text: str, zone: tzinfo, after: datetime | None) -> datetime:
    try:
        moment = datetime.fromisoformat(text) if "+" in text or text.endswith("Z") else None
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is not None:
        return moment.astimezone(UTC)
    for pattern in _FORMATS:
        try:
            local = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return _from_local(local, zone, after, text)
    raise _RowError("costs.dso_time", text)


def _from_local(local: datetime, zone: tzinfo, after: datetime | None, text: str) -> datetime:
    early = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    late = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if early.astimezone(zone).replace(tzinfo=None) != local:
        raise _RowError("costs.dso_missing_time", text)  # the hour the clocks skip in spring
    # the repeated autumn hour: the first time it appears is the earlier one
    return late if early != late and after is not None and early <= after else early


def _energy(text: str, decimal: str, scale: Decimal) -> Decimal:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if decimal != ".":
        cleaned = cleaned.replace(decimal, ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise _RowError("costs.dso_number", text) from None
    if not value.is_finite():
        raise _RowError("costs.dso_number", text)
    if value < 0:
        raise _RowError("costs.dso_negative", text)
    return value * scale


def _header_row(rows: list[list[str]], start: str, source: str) -> int:
    wanted = _norm(start)
    for index, row in enumerate(rows):
        if any(_norm(cell) == wanted or _norm(cell).startswith(wanted + " ") for cell in row):
            return index
    raise DsoFileError("costs.dso_header", source=source, column=start)


def _column(header: list[str], wanted: str | None, source: str, required: bool) -> int | None:
    if wanted is None:
        return None
    name = _norm(wanted)
    if name in header:
        return header.index(name)
    prefixed = [index for index, cell in enumerate(header) if cell.startswith(name + " ")]
    if len(prefixed) == 1:
        return prefixed[0]
    if required:
        raise DsoFileError(
            "costs.dso_column",
            source=source,
            column=wanted,
            columns=", ".join(header) or Message("costs.detail_no_columns"),
        )
    return None


def _norm(text: str) -> str:
    return " ".join(text.strip().strip('"').lower().split())
