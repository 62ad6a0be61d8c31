"""Which multiplier (1 or 10) a meter's scaler-less energy registers need, learnt from its data.

Kamstrup lists carry no scalers, and the same list counts energy in Wh in Sweden and in 10 Wh
in Norway (amsreader-firmware #239 and #874, hass-AMS #108); Swedish meters have also been
switched between the two by configuration (amsreader #811). Any fixed guess is 10× wrong
somewhere. So, per meter, the growth of each energy register between two lists is compared
with the power the lists report, integrated over the same time (trapezoids between lists, at
most 60 s apart). A multiplier is taken when it matches the integral within 30 % and the other
does not, for every register with at least 100 Wh of integrated power; until then those
registers are kept raw in `extra` (unit None) and in no field, so that nothing is mis-scaled
and nothing is lost. A configured multiplier replaces all of this. Once found, a meter's
multiplier never changes, so what is stored never jumps tenfold.

Pure: the time of a list is its meter_time, else the time it was received.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hanport.codec.normalize import ReadingBuilder
from hanport.fields import FIELD_BY_OBIS

__all__ = ["MIN_EVIDENCE_WH", "SCALES", "EnergyScales"]

SCALES = (1, 10)
MIN_EVIDENCE_WH = 100
_TOLERANCE = Decimal("0.3")
_MAX_STEP = timedelta(seconds=60)
_MICROSECOND = timedelta(microseconds=1)
_HALF_WATT_MICROSECONDS_PER_WH = 2 * 3_600_000_000
_MAX_METERS = 16
_PAIRS = {
    "energy_import_wh": "power_import_w",
    "energy_export_wh": "power_export_w",
    "reactive_energy_import_varh": "reactive_power_import_var",
    "reactive_energy_export_varh": "reactive_power_export_var",
}
_POWERS = tuple(_PAIRS.values())
_EXPONENT = {1: 0, 10: 1}


class EnergyScales:
    """The multipliers found (`found`: meter id, "" when it sends none → 1 or 10) and the
    evidence being gathered for the others."""

    __slots__ = ("_tracks", "configured", "found", "learning", "presumed")

    def __init__(self, configured: int | None = None) -> None:
        if configured not in (None, *SCALES):
            raise ValueError("The energy scale must be 1 or 10 (or not set, to detect it).")
        self.configured = configured
        self.found: dict[str, int] = {}
        self._tracks: dict[str, _Track] = {}
        self.learning = False
        """Evidence is being gathered for some meter: every list with power counts."""
        self.presumed = configured
        """The multiplier to read the next list with: the configured one, or the one found
        while only one meter has been seen (`confirms` checks the list is that meter's)."""

    def _changed(self) -> None:
        self.learning = bool(self._tracks)
        if self.configured is None:
            one = len(self.found) == 1 and not self._tracks
            self.presumed = next(iter(self.found.values())) if one else None

    def confirms(self, builder: ReadingBuilder) -> bool:
        """False when the list was read with a multiplier found for another meter."""
        scale = builder.energy_scale
        if scale is None or self.configured is not None:
            return True
        return self.found.get(str(builder.values.get("meter_id") or "")) == scale

    def resolve(self, builder: ReadingBuilder, received_at: datetime | None) -> None:
        """Scale the builder's ambiguous registers, or keep them raw, learning from the list."""
        ambiguous = builder.ambiguous
        if ambiguous is None:
            if builder.energy_scale is not None:
                self._remember(builder, builder.energy_scale)
                return
            if not self._tracks:
                return
        values = builder.values
        meter = str(values.get("meter_id") or "")
        scale = self.configured or self.found.get(meter)
        if scale is None:
            scale = self._learn(meter, builder, received_at)
        if ambiguous is None:
            return
        if scale is None:
            for obis, (raw, _) in ambiguous.items():
                builder.add_extra(obis, raw, None)
            return
        self._remember(builder, scale)
        for obis, (raw, unit) in ambiguous.items():
            builder.add_scaled(obis, raw, _EXPONENT[scale], unit)

    def _remember(self, builder: ReadingBuilder, scale: int) -> None:
        meter = str(builder.values.get("meter_id") or "")
        if meter not in self.found and len(self.found) < 4 * _MAX_METERS:
            self.found[meter] = scale
            self._changed()

    def _learn(
        self, meter: str, builder: ReadingBuilder, received_at: datetime | None
    ) -> int | None:
        track = self._tracks.get(meter)
        if track is None:
            if builder.ambiguous is None:
                return None  # power of a meter whose energy has not been seen yet
            if len(self._tracks) >= _MAX_METERS:
                del self._tracks[next(iter(self._tracks))]
            track = self._tracks[meter] = _Track()
            self._changed()
        moment = builder.values.get("meter_time") or received_at
        if not isinstance(moment, datetime):
            return None  # no clock: nothing to integrate over
        track.add_power(moment, builder.values)
        if builder.ambiguous is None:
            return None
        energies = {}
        for obis, (raw, _) in builder.ambiguous.items():
            field = FIELD_BY_OBIS.get(obis)
            if field is not None and field.name in _PAIRS:
                energies[field.name] = raw
        scale = track.add_energy(energies)
        if scale is not None:
            del self._tracks[meter]
            self._changed()
        return scale


class _Track:
    """One meter's evidence: the energy registers at the last anchor and the power integrals
    since then (in W·µs, doubled: trapezoids without a division)."""

    __slots__ = ("anchor", "integral", "last_power", "last_time")

    def __init__(self) -> None:
        self.anchor: dict[str, int] | None = None
        self.integral: dict[str, int | Decimal] = {}
        self.last_time: datetime | None = None
        self.last_power: dict[str, int | Decimal] = {}

    def add_power(self, moment: datetime, values: dict[str, object]) -> None:
        powers = {p: v for p in _POWERS if isinstance(v := values.get(p), int | Decimal)}
        last = self.last_time
        if last is not None:
            step = moment - last
            if not step:
                return  # the same list again
            if step < timedelta(0) or step > _MAX_STEP:
                self.anchor = None  # a gap, or a clock set back: the integral is broken
                self.integral = {}
            else:
                micros = step // _MICROSECOND
                for name, value in powers.items():
                    before = self.last_power.get(name)
                    if before is not None:
                        self.integral[name] = self.integral.get(name, 0) + (before + value) * micros
        self.last_time = moment
        self.last_power = powers

    def add_energy(self, energies: dict[str, int]) -> int | None:
        """The multiplier the registers' growth since the anchor shows, if it is clear."""
        anchor = self.anchor
        if anchor is None:
            self._anchor(energies)
            return None
        votes = set()
        for name, raw in energies.items():
            if name not in anchor:
                continue
            growth = raw - anchor[name]
            wh = Decimal(self.integral.get(_PAIRS[name], 0)) / _HALF_WATT_MICROSECONDS_PER_WH
            if growth < 0:
                votes.add(0)  # went backwards: a reset or a replaced meter, start again
                continue
            if wh < MIN_EVIDENCE_WH:
                continue
            fits = [scale for scale in SCALES if abs(growth * scale - wh) <= _TOLERANCE * wh]
            votes.add(fits[0] if len(fits) == 1 else 0)
        if len(votes) == 1 and 0 not in votes:
            return votes.pop()
        if votes:
            self._anchor(energies)  # contradictory evidence: gather it afresh
        return None

    def _anchor(self, energies: dict[str, int]) -> None:
        self.anchor = dict(energies)
        self.integral = {}
