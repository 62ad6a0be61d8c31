"""A per-meter template of the P1 telegram, so that the 10-s stream decodes in a few C calls.

A meter prints the same objects in the same order with the same widths every time; only the
digits of the values change. The first telegram of a layout is parsed the general way and its
layout learnt: where each number's digits are, which field they go to, and the exact bytes of
everything else (header, OBIS codes, units). A later telegram uses the template only when its
digit mask has the same shape *and* all those other bytes are identical; lines that are not
plain numbers (clock, texts, logs) are still parsed one by one. A learnt template must decode
its own telegram to exactly what the general parser produced, or it is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import tzinfo
from decimal import Decimal
from operator import itemgetter, mul

from hanport.codec.clock import p1_datetime
from hanport.codec.normalize import ReadingBuilder
from hanport.codec.p1_lines import number_plan, object_line
from hanport.codec.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: `import hanport` stays light
    from typing import Any, TypeAlias

__all__ = ["ParseObject", "apply_template", "learn_template"]

ParseObject = Callable[[str, ReadingBuilder, tzinfo], None]
Getter: TypeAlias = "Callable[[Any], Sequence[Any]]"
"""Slices of a telegram, as bytes (layout check) or str (values)."""

_MASK = bytes.maketrans(b"123456789", b"000000000")
_CLOCK = b"0-0:1.0.0("
_TIMESTAMP = re.compile(rb"\d{12}[SW]\)")
_MAX_TEMPLATES = 16
_TEMPLATES: dict[bytes, _Template] = {}


class _Template(Record):
    __slots__ = (
        "clocks",
        "decimal_names",
        "decimals",
        "fixed",
        "fixed_bytes",
        "int_names",
        "ints",
        "model",
        "multipliers",
        "other_lines",
    )

    def __init__(self, head: bytes, model: str, numbers: list[_Number], others: list[slice]):
        ints = [n for n in numbers if n.multiplier]
        decimals = [n for n in numbers if not n.multiplier]
        self.model = model
        self.int_names = tuple(n.name for n in ints)
        multipliers = tuple(n.multiplier for n in ints)
        self.multipliers = None if set(multipliers) <= {1} else multipliers
        self.ints = _getter([n.span for n in ints])
        self.decimal_names = tuple(n.name for n in decimals)
        self.decimals = _getter([slice(n.whole.start, n.frac.stop) for n in decimals])
        self.other_lines = tuple(others)
        self.clocks = {
            line.start: slice(line.start + len(_CLOCK), line.stop - 1)
            for line in others
            if head.startswith(_CLOCK, line.start) and _TIMESTAMP.fullmatch(head[line][10:])
        }
        """Lines `0-0:1.0.0(YYMMDDhhmmssX)`: the meter clock, read without the general path."""
        self.fixed = _getter(_gaps(len(head), [*(n.span for n in numbers), *others]))
        self.fixed_bytes = tuple(self.fixed(head))


class _Number(Record):
    __slots__ = ("frac", "multiplier", "name", "whole")

    def __init__(self, name: str, multiplier: int, whole: slice, frac: slice) -> None:
        self.name = name
        self.multiplier = multiplier
        self.whole = whole
        self.frac = frac

    @property
    def span(self) -> slice:
        return slice(self.whole.start, self.frac.stop)


def apply_template(
    head: bytes, builder: ReadingBuilder, zone: tzinfo, parse_object: ParseObject
) -> bool:
    """Decode `head` (`/` up to `!`) with a learnt template; False when none fits."""
    template = _TEMPLATES.get(head.translate(_MASK))
    return template is not None and _apply(template, head, builder, zone, parse_object)


def _apply(
    template: _Template,
    head: bytes,
    builder: ReadingBuilder,
    zone: tzinfo,
    parse_object: ParseObject,
) -> bool:
    if template.fixed(head) != template.fixed_bytes:
        return False
    values = builder.values
    values["meter_model"] = template.model
    text = head.decode("ascii")  # int() and Decimal() read str faster than bytes
    # "0001.011" → int("0001_011"): Python reads the underscore as a digit separator
    ints = map(int, template.ints(text.replace(".", "_")))
    if template.multipliers is not None:
        ints = map(mul, ints, template.multipliers)
    values.update(zip(template.int_names, ints, strict=True))
    values.update(zip(template.decimal_names, map(Decimal, template.decimals(text)), strict=True))
    for line in template.other_lines:
        clock = template.clocks.get(line.start)
        if clock is not None:
            time = p1_datetime(text[clock], zone)
            if time is not None:
                values.setdefault("meter_time", time)
                continue
        parse_object(text[line], builder, zone)
    return True


def learn_template(
    head: bytes, body_start: int, parsed: ReadingBuilder, zone: tzinfo, parse_object: ParseObject
) -> None:
    """Learn the layout of a telegram the general parser has just decoded into `parsed`."""
    key = head.translate(_MASK)
    if key in _TEMPLATES or b"\n(" in head:
        return
    text = head.decode("ascii")
    numbers: list[_Number] = []
    others: list[slice] = []
    for match in object_line().finditer(text, body_start):
        obis, _, frac, unit, _ = match.groups()
        plan = number_plan(obis, unit, len(frac or "")) if unit else None
        if plan is None:
            others.append(slice(match.start(), match.end()))
            continue
        frac_span = match.span(3) if frac else (match.end(2), match.end(2))
        numbers.append(_Number(plan[0], plan[1], slice(*match.span(2)), slice(*frac_span)))
    names = [n.name for n in numbers]
    if len(set(names)) != len(names):
        return
    template = _Template(head, str(parsed.values["meter_model"]), numbers, others)
    if _decodes_like(template, head, parsed, zone, parse_object):
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.clear()
        _TEMPLATES[key] = template


def _decodes_like(
    template: _Template,
    head: bytes,
    parsed: ReadingBuilder,
    zone: tzinfo,
    parse_object: ParseObject,
) -> bool:
    trial = ReadingBuilder()
    return (
        _apply(template, head, trial, zone, parse_object)
        and trial.values == parsed.values
        and trial.extra == parsed.extra
        and trial.tariff_sums == parsed.tariff_sums
    )


def _gaps(size: int, taken: list[slice]) -> list[slice]:
    """The parts of `range(size)` not covered by `taken`."""
    gaps: list[slice] = []
    position = 0
    for part in sorted(taken, key=lambda s: s.start):
        if part.start > position:
            gaps.append(slice(position, part.start))
        position = max(position, part.stop)
    if position < size:
        gaps.append(slice(position, size))
    return gaps


def _getter(parts: list[slice]) -> Getter:
    """A C-level function returning the bytes of all `parts` as a tuple."""
    if not parts:
        return lambda data: ()
    if len(parts) == 1:
        only = parts[0]
        return lambda data: (data[only],)
    return itemgetter(*parts)
