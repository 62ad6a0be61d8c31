"""P1 telegrams (IEC 62056-21 mode D, DSMR style): CRC-16/ARC check and parsing.

    /LGF5E360            identification line
                         blank line
    1-0:1.8.0(00000896.020*kWh)
    0-1:24.2.1(170102161005W)(00000.107*m3)     several groups: capture time and value
    !A077                CRC over `/` … `!`; sometimes 3 digits, sometimes none

Telegrams are framed from `/` to the CRC, never by silence on the line (`p1_frame`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from decimal import Decimal

from hanport.codec.clock import p1_datetime
from hanport.codec.crc import crc16_arc
from hanport.codec.normalize import ReadingBuilder
from hanport.codec.p1_frame import (
    MAX_TELEGRAM,
    NEED_MORE,
    NOT_A_FRAME,
    frame_p1,
    looks_like_p1,
    unusable_p1,
)
from hanport.codec.p1_lines import number_plan, object_line
from hanport.codec.p1_template import apply_template, learn_template
from hanport.codec.units import normalize_unit, to_exact
from hanport.errors import ChecksumError, FrameError
from hanport.fields import FIELD_BY_OBIS, Field
from hanport.model import Reading, Register, Value

__all__ = [
    "MAX_TELEGRAM",
    "NEED_MORE",
    "NOT_A_FRAME",
    "frame_p1",
    "looks_like_p1",
    "parse_p1",
    "unusable_p1",
]

_HEX_TEXT = frozenset("0123456789ABCDEFabcdef")
_TEXT_OBJECTS = ("96.1.", "96.13.", "42.0.")
"""Equipment identifiers and text messages: text (often hex-encoded), never numbers."""


def parse_p1(
    telegram: bytes,
    zone: tzinfo,
    received_at: datetime | None = None,
    *,
    without_crc: Callable[[bytes], None] | None = None,
) -> Reading:
    """Verify and decode one framed telegram. Raises ChecksumError or FrameError.

    A telegram without CRC is first given to `without_crc`, which raises to refuse it (see
    `p1_crc`); accepted, it is marked `verified=False`. With no `without_crc`, the caller has
    checked the bytes otherwise (an authentication tag) and it counts as verified.
    """
    bang = telegram.rfind(b"!")
    if not telegram.startswith(b"/") or bang < 0:
        raise FrameError("decoder.not_p1")
    digits = telegram[bang + 1 : bang + 5].rstrip(b"\r\n")
    verified = True
    if digits:
        try:
            expected = int(digits, 16)
        except ValueError:
            raise FrameError("decoder.p1_crc_not_hex") from None
        computed = crc16_arc(telegram[: bang + 1])
        if computed != expected:
            raise ChecksumError("decoder.part_p1", expected, computed)
    elif without_crc is not None:
        without_crc(telegram)
        verified = False
    head = telegram[:bang]
    builder = ReadingBuilder()
    if not apply_template(head, builder, zone, _parse_object):
        text = head.decode("ascii")
        header, _, body = text.partition("\n")
        # byte 0x02 is how some captures show the enhanced identification escape `\2`
        builder.values["meter_model"] = header[1:].rstrip("\r").replace("\x02", "\\2")
        _parse_lines(body, builder, zone)
        learn_template(head, len(header) + 1, builder, zone, _parse_object)
    if not verified:
        builder.values["verified"] = False
    return builder.build(received_at)


def _parse_lines(body: str, builder: ReadingBuilder, zone: tzinfo) -> None:
    """Each `OBIS(value*unit)` line; the common number lines take a table-driven fast path."""
    if "\n(" in body:
        _parse_lines_slowly(body, builder, zone)
        return
    values = builder.values
    for obis, whole, frac, unit, other in object_line().findall(body):
        if unit:
            plan = number_plan(obis, unit, len(frac))
            if plan is not None:
                name, multiplier = plan
                if multiplier:
                    values.setdefault(name, int(whole + frac) * multiplier)
                else:
                    values.setdefault(name, Decimal(f"{whole}.{frac}" if frac else whole))
                continue
            rest = f"{whole}.{frac}*{unit})" if frac else f"{whole}*{unit})"
        else:
            rest = other
        _parse_line(_reduce_obis(obis), rest, builder, zone)


def _parse_lines_slowly(body: str, builder: ReadingBuilder, zone: tzinfo) -> None:
    pending = ""
    for line in body.splitlines():
        if pending and line.startswith("("):
            pending += line  # DSMR 2.2 puts some values on the next line
            continue
        if pending:
            _parse_object(pending, builder, zone)
        pending = line
    if pending:
        _parse_object(pending, builder, zone)


def _parse_object(line: str, builder: ReadingBuilder, zone: tzinfo) -> None:
    obis, paren, rest = line.partition("(")
    if paren and obis:
        _parse_line(_reduce_obis(obis), rest, builder, zone)


def _reduce_obis(obis: str) -> str:
    """`1-0:1.8.0*255` or `1-0:1.8.0.255` → `1-0:1.8.0`."""
    if "*" in obis:
        obis = obis.partition("*")[0]
    if obis.count(".") > 2 and obis.endswith(".255"):
        obis = obis[:-4]
    return obis


def _parse_line(obis: str, rest: str, builder: ReadingBuilder, zone: tzinfo) -> None:
    groups = rest[:-1].split(")(") if rest.endswith(")") else [rest]
    if len(groups) == 1:
        text, star, unit = groups[0].partition("*")
        field = FIELD_BY_OBIS.get(obis)
        if field is not None and _add_field(builder, field, text, unit if star else None, zone):
            return
        _add_extra(builder, obis, text, unit if star else None, zone)
    elif len(groups) == 2 and _is_time(groups[0]):
        text, star, unit = groups[1].partition("*")
        value, time = _value(text, zone)
        builder.add_extra(obis, value, unit if star else None, p1_datetime(groups[0], zone) or time)
    else:
        builder.add_extra(obis, tuple(_register(group, zone) for group in groups))


def _add_field(
    builder: ReadingBuilder, field: Field, text: str, unit: str | None, zone: tzinfo
) -> bool:
    """Put the value in its field; False when it does not fit (it then goes to `extra`)."""
    if field.kind == "time":
        time = p1_datetime(text, zone)
        if time is None:
            return False
        builder.add_value(field, time)
        return True
    if field.kind == "text":
        builder.add_value(field, _text(text))
        return True
    if not _is_number(text):
        return False
    if unit is None:
        return field.unit is None and builder.add_text_number(field, text, None, 0)
    base, exponent = normalize_unit(unit)
    return builder.add_text_number(field, text, base, exponent)


def _add_extra(
    builder: ReadingBuilder, obis: str, text: str, unit: str | None, zone: tzinfo
) -> None:
    if obis.partition(":")[2].startswith(_TEXT_OBJECTS) and unit is None:
        builder.add_extra(obis, text)  # kept exactly as sent (often hex-encoded text)
        return
    value, time = _value(text, zone)
    builder.add_extra(obis, value, unit, time)
    if unit is not None and isinstance(value, Decimal | int):
        base, exponent = normalize_unit(unit)
        if base == "Wh":
            builder.count_tariff(obis, to_exact(text, exponent))


def _register(group: str, zone: tzinfo) -> Register:
    text, star, unit = group.partition("*")
    value, time = _value(text, zone)
    return Register(value, unit if star else None, time)


def _value(text: str, zone: tzinfo) -> tuple[Value, datetime | None]:
    """A group's text → number, time or text. Times come back as (None, time)."""
    if _is_number(text):
        return (Decimal(text) if "." in text else int(text)), None
    if _is_time(text):
        time = p1_datetime(text, zone)
        if time is not None:
            return None, time
    return text, None


def _text(text: str) -> str:
    """Identifiers are often hex-encoded ASCII (`4B3845…` → `K8E…`); decode those."""
    if len(text) >= 2 and len(text) % 2 == 0 and all(c in _HEX_TEXT for c in text):
        decoded = bytes.fromhex(text)
        if decoded.isascii() and all(0x20 <= b < 0x7F for b in decoded):
            return decoded.decode("ascii")
    return text


def _is_number(text: str) -> bool:
    body = text[1:] if text[:1] in ("-", "+") else text
    whole, _, frac = body.partition(".")
    return bool(whole) and whole.isdigit() and (not frac or frac.isdigit())


def _is_time(text: str) -> bool:
    return len(text) == 13 and text[:12].isdigit() and text[12] in "SWsw"
