"""Decoding speed: hanport against dsmr_parser (P1) and amshan (HDLC, P1), on one core.

Three captures, each decoded in a loop into full readings with its checksum verified:

* the Landis+Gyr E360 P1 telegram `p1/se_landisgyr-e360_2.txt` (CRC-16/ARC),
* the Kamstrup HDLC frame `hdlc/no_kamstrup_2.hex` (HCS/FCS CRC-16/X-25),
* the Aidon HDLC frame `hdlc/se_aidon-rj12-efs_1.hex`.

Before timing, every library's output is checked against hanport's (same values decoded,
corrupted frames rejected), so that all of them do the same work. Each measurement loops for at
least `--min-time` seconds and keeps the best of `--repeats` runs; the libraries take turns, so
that a busy spell of the machine does not fall on one of them only.

    python benchmarks/bench_decode.py            # full run (about a minute)
    python benchmarks/bench_decode.py --quick    # a few seconds, rough numbers

Targets: hanport >= 25x dsmr_parser on the E360 telegram, >= 30x amshan on the HDLC frames.
The samples are read from $HANPORT_SAMPLES, else from <repo>/../shared/samples.
"""

from __future__ import annotations

import argparse
import gc
import logging
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import hanport

REPO = Path(__file__).resolve().parent.parent
P1_SAMPLE = "p1/se_landisgyr-e360_2.txt"
KAMSTRUP_SAMPLE = "hdlc/no_kamstrup_2.hex"
AIDON_SAMPLE = "hdlc/se_aidon-rj12-efs_1.hex"
P1_TARGET = 25.0  # x dsmr_parser on the E360 telegram
HDLC_TARGET = 30.0  # x amshan on each HDLC frame

Comparable = dict[str, object]
"""A few values every library decodes, in hanport's units, for the sanity check."""


@dataclass(frozen=True, slots=True)
class Contender:
    library: str
    call: str
    run: Callable[[], object]
    """Decode the frame once (checksum verified); raise if it did not decode."""
    values: Callable[[object], Comparable]
    count: Callable[[object], int]
    """How many values the decoded result holds."""
    rejects_corrupt: Callable[[], bool]
    """True when the library refuses the frame with one byte changed."""


@dataclass(frozen=True, slots=True)
class Case:
    key: str
    title: str
    sample: str
    data: bytes
    peer: str | None
    """The library the target is against (None: for information only)."""
    target: float
    contenders: tuple[Contender, ...]


@dataclass(frozen=True, slots=True)
class Timing:
    seconds: float
    """Best time per frame."""
    loops: int


class SanityError(Exception):
    """A library did not decode what the others did: the comparison would be unfair."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="short run (0.1 s x 3 repeats)")
    parser.add_argument("--min-time", type=float, help="seconds per measurement (default 1.0)")
    parser.add_argument("--repeats", type=int, help="measurements, best is kept (default 5)")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    min_time = args.min_time or (0.1 if args.quick else 1.0)
    repeats = args.repeats or (3 if args.quick else 5)

    cpu = _pin_to_one_core()
    _print_environment(cpu, min_time, repeats)
    samples = _samples_dir()
    cases = [
        _p1_case(samples / P1_SAMPLE),
        _hdlc_case("kamstrup", "Kamstrup HDLC frame", samples / KAMSTRUP_SAMPLE),
        _hdlc_case("aidon", "Aidon HDLC frame", samples / AIDON_SAMPLE),
    ]
    try:
        for case in cases:
            _check(case)
    except SanityError as error:
        print(f"\nSANITY CHECK FAILED: {error}", file=sys.stderr)
        return 1

    verdicts: list[tuple[bool, str]] = []
    for case in cases:
        verdicts.extend(_report(case, _measure(case, min_time, repeats)))

    print("\nTargets")
    for passed, text in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return 1 if args.strict and not all(passed for passed, _ in verdicts) else 0


# --- the contenders -------------------------------------------------------------------------


def _p1_case(path: Path) -> Case:
    data = path.read_bytes()
    corrupt = data.replace(b"(232.1*V)", b"(232.2*V)", 1)
    assert corrupt != data, "the corruption must change the telegram"
    contenders = [
        *_hanport_contenders(data, corrupt),
        *_peer(_dsmr_parser_contender, data, corrupt),
        *_peer(_amshan_p1_contender, data, corrupt),
    ]
    return Case(
        "e360",
        "Landis+Gyr E360 P1 telegram",
        P1_SAMPLE,
        data,
        "dsmr_parser",
        P1_TARGET,
        tuple(contenders),
    )


def _hdlc_case(key: str, title: str, path: Path) -> Case:
    data = bytes.fromhex("".join(path.read_text().split()))
    corrupt = bytearray(data)
    index = len(data) // 2  # inside the information field, and not a flag either way
    corrupt[index] ^= 0x01
    assert data[index] not in (0x7E, 0x7F), "the corruption must not make or remove a flag"
    contenders = [
        # Kamstrup lists have no scalers: hanport learns a meter's energy multiplier from its
        # data over an hour or so; the steady state after that is timed, as amshan assumes
        # the Norwegian 10 Wh
        *_hanport_contenders(data, bytes(corrupt), 10 if key == "kamstrup" else None),
        *_peer(_amshan_hdlc_contender, data, bytes(corrupt)),
    ]
    sample = path.relative_to(path.parent.parent).as_posix()
    return Case(key, title, sample, data, "amshan", HDLC_TARGET, tuple(contenders))


def _peer(
    make: Callable[[bytes, bytes], Contender], data: bytes, corrupt: bytes
) -> list[Contender]:
    """The peer library's contender, or none (with a note) when it is not installed."""
    try:
        return [make(data, corrupt)]
    except ImportError as error:
        print(f"Skipping a peer: {error}. Install it with: pip install -e '.[bench]'")
        return []


def _hanport_contenders(
    data: bytes, corrupt: bytes, energy_scale: int | None = None
) -> list[Contender]:
    def one_shot() -> hanport.Reading:
        readings = hanport.decode(data, energy_scale=energy_scale)
        if len(readings) != 1:
            raise SanityError(f"hanport.decode gave {len(readings)} readings, not 1")
        return readings[0]

    decoder = hanport.Decoder(energy_scale=energy_scale)

    def streaming() -> hanport.Reading:
        items = decoder.feed(data)
        if len(items) != 1 or not isinstance(items[0], hanport.Reading):
            raise SanityError(f"hanport.Decoder.feed gave {items!r}, not one Reading")
        return items[0]

    def rejects() -> bool:
        return not hanport.decode(corrupt)

    return [
        Contender("hanport", "decode(bytes)", one_shot, _hanport_values, _hanport_count, rejects),
        Contender(
            "hanport", "Decoder.feed (stream)", streaming, _hanport_values, _hanport_count, rejects
        ),
    ]


def _dsmr_parser_contender(data: bytes, corrupt: bytes) -> Contender:
    from dsmr_parser import telegram_specifications
    from dsmr_parser.exceptions import InvalidChecksumError
    from dsmr_parser.parsers import TelegramParser

    parser = TelegramParser(telegram_specifications.SWEDEN, apply_checksum_validation=True)

    def run() -> Any:
        return parser.parse(data.decode("ascii"))

    def rejects() -> bool:
        try:
            parser.parse(corrupt.decode("ascii"))
        except InvalidChecksumError:
            return True
        return False

    return Contender(
        "dsmr_parser",
        "TelegramParser(SWEDEN, checksum on).parse",
        run,
        _dsmr_values,
        _dsmr_count,
        rejects,
    )


def _amshan_p1_contender(data: bytes, corrupt: bytes) -> Contender:
    from han import dlde

    reader = dlde.ModeDReader()

    def run() -> Any:
        (readout,) = reader.read(data)
        if not readout.is_valid:  # checks the CRC computed when the readout was framed
            raise SanityError("amshan: the P1 readout is not valid")
        return dlde.decode_p1_readout(readout)

    def rejects() -> bool:
        (readout,) = dlde.ModeDReader().read(corrupt)
        return not readout.is_valid

    return Contender(
        "amshan",
        "dlde.ModeDReader + decode_p1_readout",
        run,
        _amshan_values,
        _amshan_count,
        rejects,
    )


def _amshan_hdlc_contender(data: bytes, corrupt: bytes) -> Contender:
    from han import autodecoder, hdlc

    reader = hdlc.HdlcFrameReader(use_octet_stuffing=False)
    decoder = autodecoder.AutoDecoder()  # remembers the decoder that worked: steady state

    def run() -> Any:
        (frame,) = reader.read(data)
        if not frame.is_valid:  # FCS (computed byte by byte while framing) and length
            raise SanityError("amshan: the HDLC frame is not valid")
        payload = frame.payload
        if payload is None:
            raise SanityError("amshan: the HDLC frame has no information field")
        decoded = decoder.decode_message_payload(payload)
        if decoded is None:
            raise SanityError("amshan: no decoder understood the HDLC frame")
        return decoded

    def rejects() -> bool:
        frames = hdlc.HdlcFrameReader(use_octet_stuffing=False).read(corrupt)
        return not any(frame.is_valid for frame in frames)

    return Contender(
        "amshan",
        "HdlcFrameReader + AutoDecoder",
        run,
        _amshan_values,
        _amshan_count,
        rejects,
    )


# --- the values they decode, side by side ---------------------------------------------------


def _hanport_values(result: object) -> Comparable:
    assert isinstance(result, hanport.Reading)
    time = result.meter_time
    return {
        "power_import_w": result.power_import_w,
        "power_import_l3_w": result.power_import_l3_w,
        "reactive_power_export_var": result.reactive_power_export_var,
        "energy_import_wh": result.energy_import_wh,
        "voltage_l1_v": result.voltage_l1_v,
        "current_l3_a": result.current_l3_a,
        "meter_time (wall clock)": time.replace(tzinfo=None) if time else None,
    }


def _hanport_count(result: object) -> int:
    assert isinstance(result, hanport.Reading)
    fields = [n for n in hanport.Reading.__dataclass_fields__ if n not in ("extra", "verified")]
    return sum(getattr(result, name) is not None for name in fields) + len(result.extra)


def _dsmr_values(telegram: Any) -> Comparable:
    def get(name: str, scale: int | None = None) -> object:
        obj = getattr(telegram, name, None)
        if obj is None:
            return None
        value = obj.value
        return int(value * scale) if scale else value

    stamp = get("P1_MESSAGE_TIMESTAMP")  # UTC; dsmr_parser reads it as Dutch local time
    wall = stamp.astimezone(ZoneInfo("Europe/Amsterdam")) if isinstance(stamp, datetime) else None
    return {
        "power_import_w": get("CURRENT_ELECTRICITY_USAGE", 1000),
        "power_import_l3_w": get("INSTANTANEOUS_ACTIVE_POWER_L3_POSITIVE", 1000),
        "reactive_power_export_var": None,  # not in dsmr_parser's SWEDEN specification
        "energy_import_wh": get("ELECTRICITY_IMPORTED_TOTAL", 1000),
        "voltage_l1_v": get("INSTANTANEOUS_VOLTAGE_L1"),
        "current_l3_a": get("INSTANTANEOUS_CURRENT_L3"),
        "meter_time (wall clock)": wall.replace(tzinfo=None) if wall else None,
    }


def _dsmr_count(telegram: Any) -> int:
    return sum(1 for _ in telegram)


def _amshan_count(decoded: Any) -> int:
    return len(decoded)


def _amshan_values(decoded: Any) -> Comparable:
    return {
        "power_import_w": decoded.get("active_power_import"),
        "power_import_l3_w": decoded.get("active_power_import_l3"),
        "reactive_power_export_var": decoded.get("reactive_power_export"),
        "energy_import_wh": decoded.get("active_power_import_total"),
        "voltage_l1_v": decoded.get("voltage_l1"),
        "current_l3_a": decoded.get("current_l3"),
        "meter_time (wall clock)": decoded.get("meter_datetime"),
    }


def _same(ours: object, theirs: object) -> bool:
    if isinstance(ours, Decimal) and isinstance(theirs, int | float | Decimal):
        return math.isclose(float(ours), float(theirs), rel_tol=1e-9)
    return ours == theirs


def _check(case: Case) -> None:
    """Every contender decodes the frame, agrees with hanport, and rejects a corrupted copy."""
    print(f"\nSanity check: {case.title} ({case.sample}, {len(case.data)} bytes)")
    reference: Comparable | None = None
    with _quiet_logging():
        for contender in case.contenders:
            name = f"{contender.library} {contender.call}"
            try:
                result = contender.run()
                contender.run()  # twice: the streaming readers must keep working
            except Exception as error:
                raise SanityError(f"{name} failed to decode {case.sample}: {error!r}") from error
            values = contender.values(result)
            missing = [key for key, value in values.items() if value is None]
            if reference is None:
                reference = values
                shown = ", ".join(f"{key}={value}" for key, value in values.items())
                print(f"  reference (hanport): {shown}")
            notes = []
            for key, value in values.items():
                if value is not None and not _same(reference[key], value):
                    notes.append(f"{key}: {value!r} where hanport has {reference[key]!r}")
            agreed = len(values) - len(missing) - len(notes)
            if agreed < 4:
                raise SanityError(f"{name} agrees with hanport on only {agreed} values: {notes}")
            if not contender.rejects_corrupt():
                raise SanityError(f"{name} accepted {case.sample} with one byte changed")
            print(
                f"  {name:<52} {contender.count(result):>3} values; checked {agreed} agree;"
                f" corrupted copy rejected"
            )
            for note in notes:
                print(f"      differs: {note}")


@contextmanager
def _quiet_logging() -> Iterator[None]:
    """amshan logs a warning for the corrupted frame; dsmr_parser logs parse failures."""
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


# --- timing and report ----------------------------------------------------------------------


def _measure(case: Case, min_time: float, repeats: int) -> dict[str, Timing]:
    """Best time per frame of each contender over `repeats` loops of >= `min_time` seconds.

    The contenders take turns within each repeat, so that a slow spell of the machine (other
    processes, frequency changes) affects them alike rather than one of them.
    """
    loops = {c.library + c.call: _calibrate(c.run, min_time) for c in case.contenders}
    best = dict.fromkeys(loops, math.inf)
    for _ in range(repeats):
        for contender in case.contenders:
            key = contender.library + contender.call
            best[key] = min(best[key], _loop(contender.run, loops[key]))
    return {key: Timing(best[key] / loops[key], loops[key]) for key in loops}


def _calibrate(run: Callable[[], object], min_time: float) -> int:
    """How many calls take at least `min_time` seconds."""
    for _ in range(3):
        run()
    loops = 1
    while True:
        elapsed = _loop(run, loops)
        if elapsed >= 0.05 or elapsed >= min_time:
            break
        loops *= 2
    return max(1, math.ceil(loops * min_time / elapsed))


def _loop(run: Callable[[], object], loops: int) -> float:
    gc.collect()
    start = time.perf_counter()
    for _ in range(loops):
        run()
    return time.perf_counter() - start


def _report(case: Case, timings: dict[str, Timing]) -> list[tuple[bool, str]]:
    print(f"\n{case.title} ({case.sample}, {len(case.data)} bytes)")
    print(f"  {'library':<12} {'call':<42} {'frames/s':>10} {'µs/frame':>10} {'hanport is':>11}")
    # The peers are timed with their long-lived readers, so hanport is too: a Decoder fed the
    # stream, which is how `hanport run` reads a meter. decode() (a new Decoder per call) is shown.
    base = timings["hanport" + "Decoder.feed (stream)"].seconds
    for contender in case.contenders:
        timing = timings[contender.library + contender.call]
        ratio = timing.seconds / base
        print(
            f"  {contender.library:<12} {contender.call:<42} {1 / timing.seconds:>10,.0f}"
            f" {timing.seconds * 1e6:>10.1f} {ratio:>10.1f}x"
        )
    verdicts = []
    if case.peer is not None:
        peers = [c for c in case.contenders if c.library == case.peer]
        if not peers:
            verdicts.append((False, f"{case.title}: {case.peer} is not installed, no comparison"))
        for peer in peers:
            ratio = timings[peer.library + peer.call].seconds / base
            verdicts.append(
                (
                    ratio >= case.target,
                    f"{case.title}: hanport (Decoder.feed) is {ratio:.1f}x {peer.library}"
                    f" (target >= {case.target:g}x)",
                )
            )
    return verdicts


# --- environment ----------------------------------------------------------------------------


def _samples_dir() -> Path:
    env = os.environ.get("HANPORT_SAMPLES")
    path = Path(env) if env else REPO.parent / "shared" / "samples"
    if not (path / P1_SAMPLE).is_file():
        sys.exit(f"The samples are not in {path}; set HANPORT_SAMPLES to their directory.")
    return path


def _pin_to_one_core() -> int | None:
    """Run on one core (the first this process may use), so that timings do not wander."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def _print_environment(cpu: int | None, min_time: float, repeats: int) -> None:
    print(f"Python {sys.version.split()[0]} ({platform.python_implementation()}) on {_cpu_model()}")
    versions = ", ".join(f"{name} {_version(name)}" for name in _LIBRARIES)
    print(f"Libraries: {versions}")
    pinned = f"pinned to CPU {cpu}" if cpu is not None else "not pinned"
    cpus = os.cpu_count()
    print(f"Timing: best of {repeats} x >= {min_time:g} s per measurement, {pinned} of {cpus}")


_LIBRARIES = ("hanport", "fastcrc", "dsmr-parser", "amshan", "construct")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


if __name__ == "__main__":
    sys.exit(main())
