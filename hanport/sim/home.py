"""A simulated Estonian three-phase home behind a Landis+Gyr E360, speaking P1 like the real one.

Telegrams have the Swedish/Danish E360 object list and number formats, a valid CRC-16/ARC, and
the meter's standard-time clock (`W`). The household is a plausible, seeded day: base load, a
fridge that cycles, cooking in the evening, a heat pump, a 9 kW sauna on Saturday evenings, an
11 kW electric-car charging session on weekday evenings and midday PV. Phase voltages sag with
the phase's load, currents follow from power and voltage, and the energy registers integrate
power exactly (they never go backwards). The clock starts now (on the meter's 10-s grid) unless
`start` is given, and the meter sends its serial number as a real E360 does.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hanport.codec.crc import crc16_arc

__all__ = [
    "SIMULATOR_INTERVAL_S",
    "HomeSimulator",
    "PhaseState",
    "e360_telegram",
    "grid_now",
    "serial_number",
]

SIMULATOR_INTERVAL_S = 10.0
"""The simulated E360 pushes every 10 s, as Elektrilevi's meters do."""

_STANDARD_OFFSET = timedelta(hours=2)  # Estonian standard time (EET), as the E360 keeps it
_NOMINAL_V10 = 2300  # 230.0 V in tenths
_LINE_RESISTANCE_MOHM = 180


def grid_now(interval_s: int = 10) -> datetime:
    """Now, rounded down to the push grid (an E360 pushes at :00, :10, :20 …)."""
    now = datetime.now(UTC).replace(microsecond=0)
    return now - timedelta(seconds=now.second % interval_s)


def serial_number(seed: int) -> str:
    """An eight-digit Landis+Gyr style serial for the simulated meter, the same for a seed."""
    return f"9{seed * 2_654_435 % 10_000_000:07d}"


@dataclass(frozen=True, slots=True)
class PhaseState:
    import_w: int
    export_w: int
    voltage_dv: int
    """Voltage in tenths of a volt."""
    current_da: int
    """Current in tenths of an ampere."""


@dataclass(slots=True)
class HomeSimulator:
    """Call `next_telegram()` for each 10-s push; `seed` makes a run repeatable."""

    seed: int = 1
    start: datetime = field(default_factory=grid_now)
    """The meter clock's first time; now (on the 10-s grid) by default."""
    interval_s: int = 10
    format: str = "p1"
    """p1 (the E360's ASCII telegram) or hdlc (a DLMS data-notification in an HDLC frame)."""
    meter_id: str = ""
    """The serial number the meter sends; `serial_number(seed)` by default."""
    scenario: str = ""
    """"voltage": the phase voltages of `hanport.sim.voltage` (a sag, an overvoltage day from
    PV, a broken neutral, a gap in which `next_telegram` gives b"": the meter sent nothing)."""
    _rng: random.Random = field(init=False)
    _now: datetime = field(init=False)
    _import_ws: int = field(init=False, default=0)
    _export_ws: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._now = self.start.astimezone(UTC)  # the household runs on UTC + 2 (see _phases)
        self.meter_id = self.meter_id or serial_number(self.seed)
        self._import_ws = 3_600 * 4_215_300  # the register starts at 4215.300 kWh
        self._export_ws = 3_600 * 812_044

    def telegrams(self) -> Iterator[bytes]:
        while True:
            yield self.next_telegram()

    def next_telegram(self) -> bytes:
        """The telegram of this push (b"" where the scenario has the meter send nothing)."""
        phases = self._phases(self._now)
        if not phases:
            self._now += timedelta(seconds=self.interval_s)
            return b""
        total_import = sum(p.import_w for p in phases)
        total_export = sum(p.export_w for p in phases)
        self._import_ws += total_import * self.interval_s
        self._export_ws += total_export * self.interval_s
        energy = (self._import_ws // 3600, self._export_ws // 3600)
        if self.format == "hdlc":
            from hanport.sim.dlms import hdlc_notification

            telegram = hdlc_notification(
                self._now,
                [p.voltage_dv for p in phases],
                [p.current_da for p in phases],
                (total_import, total_export),
                energy,
                self.meter_id,
            )
        else:
            telegram = e360_telegram(self._now, phases, *energy, meter_id=self.meter_id)
        self._now += timedelta(seconds=self.interval_s)
        return telegram

    def _phases(self, now: datetime) -> list[PhaseState]:
        loads = self._loads_w(now + _STANDARD_OFFSET)
        pv = self._pv_w(now + _STANDARD_OFFSET) // 3
        forced = self._scenario_dv(now)
        if forced == []:
            return []
        states = []
        for index, load in enumerate(loads):
            net = load - pv
            imp, exp = max(net, 0), max(-net, 0)
            sag = (imp - exp) * _LINE_RESISTANCE_MOHM // 230_000
            voltage = _NOMINAL_V10 + self._rng.randint(-15, 25) - sag
            if forced is not None:
                voltage = forced[index]
            current = (imp + exp) * 100 // voltage
            states.append(PhaseState(imp, exp, voltage, current))
        return states

    def _scenario_dv(self, now: datetime) -> list[int] | None:
        """The scenario's voltages in tenths ([] inside its gap; None: no scenario)."""
        if self.scenario != "voltage":
            return None
        from hanport.sim.voltage import scenario_voltages

        volts = scenario_voltages(now)
        return [] if volts is None else [int(v * 10) for v in volts]

    def _loads_w(self, local: datetime) -> list[int]:
        minute = local.hour * 60 + local.minute
        base = [180 + self._rng.randint(0, 40), 90 + self._rng.randint(0, 30), 60]
        if (minute // 15) % 3 == 0:
            base[0] += 110  # fridge compressor
        if 6 * 60 + 30 <= minute < 7 * 60 + 30 or 17 * 60 <= minute < 18 * 60 + 15:
            base[1] += 2_000 + self._rng.randint(0, 400)  # kettle, stove
        if minute % 120 < 40:
            for index in range(3):
                base[index] += 550  # heat pump
        if local.weekday() == 5 and 19 * 60 <= minute < 21 * 60:
            for index in range(3):
                base[index] += 3_000  # sauna heater, 9 kW
        if local.weekday() < 5 and 18 * 60 <= minute < 20 * 60 + 30:
            for index in range(3):
                base[index] += 3_680  # electric car charging at 11 kW (3 × 16 A)
        return base

    def _pv_w(self, local: datetime) -> int:
        minute = local.hour * 60 + local.minute
        if not 8 * 60 <= minute < 18 * 60:
            return 0
        peak = 4_800 if 4 <= local.month <= 9 else 1_500
        distance = abs(minute - 13 * 60)
        return max(0, peak - peak * distance // 300)


def e360_telegram(
    now: datetime,
    phases: list[PhaseState],
    import_wh: int,
    export_wh: int,
    meter_id: str | None = None,
) -> bytes:
    """One P1 telegram in the exact layout and number formats of the Landis+Gyr E360.

    `meter_id`: the serial number line `0-0:96.1.0(…)` after the clock (None: left out, as the
    Swedish and Danish E360 samples have it).
    """
    stamp = (now.astimezone(UTC) + _STANDARD_OFFSET).strftime("%y%m%d%H%M%S") + "W"
    reactive = [p.import_w // 8 for p in phases]
    lines = [f"0-0:1.0.0({stamp})"]
    if meter_id is not None:
        lines.append(f"0-0:96.1.0({meter_id})")
    lines += [
        f"1-0:1.8.0({_kilo(import_wh, 12)}*kWh)",
        f"1-0:2.8.0({_kilo(export_wh, 12)}*kWh)",
        f"1-0:3.8.0({_kilo(import_wh // 9, 12)}*kVArh)",
        f"1-0:4.8.0({_kilo(export_wh // 20, 12)}*kVArh)",
        f"1-0:1.7.0({_kilo(sum(p.import_w for p in phases), 8)}*kW)",
        f"1-0:2.7.0({_kilo(sum(p.export_w for p in phases), 8)}*kW)",
        f"1-0:3.7.0({_kilo(sum(reactive), 8)}*kVAr)",
        f"1-0:4.7.0({_kilo(0, 8)}*kVAr)",
    ]
    for c_import, c_export, phase in zip((21, 41, 61), (22, 42, 62), phases, strict=True):
        lines.append(f"1-0:{c_import}.7.0({_kilo(phase.import_w, 8)}*kW)")
        lines.append(f"1-0:{c_export}.7.0({_kilo(phase.export_w, 8)}*kW)")
    for c_import, c_export, var in zip((23, 43, 63), (24, 44, 64), reactive, strict=True):
        lines.append(f"1-0:{c_import}.7.0({_kilo(var, 8)}*kVAr)")
        lines.append(f"1-0:{c_export}.7.0({_kilo(0, 8)}*kVAr)")
    for c, phase in zip((32, 52, 72), phases, strict=True):
        lines.append(f"1-0:{c}.7.0({_tenths(phase.voltage_dv)}*V)")
    for c, phase in zip((31, 51, 71), phases, strict=True):
        lines.append(f"1-0:{c}.7.0({_tenths(phase.current_da)}*A)")
    body = "/LGF5E360\r\n\r\n" + "\r\n".join(lines) + "\r\n!"
    data = body.encode("ascii")
    return data + f"{crc16_arc(data):04X}\r\n".encode("ascii")


def _kilo(value: int, width: int) -> str:
    """Integer W or Wh → the E360's fixed-point kW/kWh text, e.g. 1011 → `0001.011`."""
    text = f"{value // 1000}.{value % 1000:03d}"
    return text.rjust(width, "0")


def _tenths(value: int) -> str:
    return f"{value // 10}.{value % 10}".rjust(5, "0")
