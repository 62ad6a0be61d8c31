"""Energy per 15-minute slot as the DSO meters it, from cumulative register readings.

A slot's energy is the register at the slot's end minus the register at its start:

* a reading stamped exactly on a boundary (the E360 pushes at seconds :00, :10, :20 …, so one
  lands on every boundary) *is* the register at that boundary, so it closes the slot before it:
  a reading at 12:15:00 counts in 12:00–12:15 and starts 12:15–12:30 at its value;
* between two readings the register is interpolated linearly at the boundary, in exact integer
  arithmetic, and rounded down to a whole Wh (the register has reached that Wh by then);
* each slot is a difference of two boundary registers, so the fraction of a Wh a rounding
  leaves out of one slot is in the next one: over any gap-free span the slots add up exactly
  to the register's growth between its first and last boundary, and no slot is negative;
* two readings further apart than `max_gap`, or a register that goes backwards (a replaced or
  reset meter), break the chain: no boundary is interpolated across the break, the slots that
  touch it are marked `gap` with the growth seen inside them, and slots wholly inside a break
  are marked `gap` with none.

The slot still open at the last reading is not returned. Pure: readings in, slots out.

`slot_energies` is the rule for a stream where every reading carries the registers (the
costs ledger's input). The rollups (`hanport.store.rollups`) apply the same rule with the
primitives below, in bulk and incrementally, and connect two readings of a register across
readings without it (meters that send energy once an hour) as long as the readings kept coming.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor

__all__ = ["SLOT_US", "SlotRegisters", "register_at", "slot_energies", "slot_of", "whole_wh"]

_SLOT_US = 15 * 60 * 1_000_000
SLOT_US = _SLOT_US
"""A slot's length in microseconds: slots are aligned to 00, 15, 30, 45 minutes UTC, which are
the zone's quarters too in every zone whose offset is a whole number of quarter hours."""


def slot_of(moment_us: int) -> int:
    """The start (µs since the epoch) of the slot a reading at `moment_us` belongs to: the one
    it closes when it is exactly on a boundary."""
    return (moment_us - 1) // _SLOT_US * _SLOT_US


def whole_wh(value: int | Decimal) -> int:
    """A register reading in whole Wh reached (rounded down)."""
    return value if type(value) is int else floor(value)


def register_at(
    before_us: int, before: int | Decimal, after_us: int, after: int | Decimal, at_us: int
) -> int:
    """The register at `at_us` between two connected readings, interpolated linearly in exact
    arithmetic and rounded down to a whole Wh (before_us < at_us < after_us)."""
    elapsed, span = at_us - before_us, after_us - before_us
    if type(before) is int and type(after) is int:
        return before + (after - before) * elapsed // span
    low = Fraction(before)
    return floor(low + (Fraction(after) - low) * elapsed / span)


@dataclass(frozen=True, slots=True)
class SlotRegisters:
    """One slot's growth of each register given (Wh), and whether it is fully known."""

    start: datetime
    growth_wh: tuple[int, ...]
    gap: bool


def slot_energies(
    samples: Iterable[tuple[datetime, Sequence[int]]],
    max_gap: timedelta = timedelta(minutes=5),
) -> Iterator[SlotRegisters]:
    """Slots from time-ordered (moment, registers) samples; every sample gives the same
    number of integer registers (import and export Wh, say). Out-of-order and repeated
    moments are skipped."""
    limit_us = max_gap // timedelta(microseconds=1)
    slot: int | None = None  # the open slot's start, µs since the epoch
    growth: list[int] = []
    known_start = False
    broken = False
    previous: tuple[int, tuple[int, ...]] | None = None
    for moment, values in samples:
        now_us = _us(moment)
        registers = tuple(values)
        if previous is not None and now_us <= previous[0]:
            continue
        connected = (
            previous is not None
            and now_us - previous[0] <= limit_us
            and all(after >= before for after, before in zip(registers, previous[1], strict=True))
        )
        for point_us, point in _points(previous, now_us, registers, connected):
            on_boundary = point_us % _SLOT_US == 0
            owner = point_us - _SLOT_US if on_boundary else point_us - point_us % _SLOT_US
            if slot is None:
                slot, growth = (point_us if on_boundary else owner), [0] * len(point)
                known_start = on_boundary
                last = point
                continue
            if owner != slot:  # a break jumped over the open slot's end
                yield SlotRegisters(_dt(slot), tuple(growth), True)
                for skipped in range(slot + _SLOT_US, owner, _SLOT_US):
                    yield SlotRegisters(_dt(skipped), (0,) * len(point), True)
                slot, growth, known_start, broken = owner, [0] * len(point), False, False
            if point_us == now_us and not connected:
                broken = True
            else:
                growth = [total + a - b for total, a, b in zip(growth, point, last, strict=True)]
            last = point
            if on_boundary:
                yield SlotRegisters(_dt(slot), tuple(growth), broken or not known_start)
                slot, growth, known_start, broken = point_us, [0] * len(point), True, False
        previous = (now_us, registers)


def _points(
    previous: tuple[int, tuple[int, ...]] | None,
    now_us: int,
    registers: tuple[int, ...],
    connected: bool,
) -> Iterator[tuple[int, tuple[int, ...]]]:
    """The interpolated boundary registers strictly between the previous reading and this
    one (only when they are connected), then this reading."""
    if connected and previous is not None:
        then_us, before = previous
        span = now_us - then_us
        boundary = then_us - then_us % _SLOT_US + _SLOT_US
        while boundary < now_us:
            elapsed = boundary - then_us
            yield (
                boundary,
                tuple(
                    b + (a - b) * elapsed // span for a, b in zip(registers, before, strict=True)
                ),
            )
            boundary += _SLOT_US
    yield now_us, registers


def _us(moment: datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _dt(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
