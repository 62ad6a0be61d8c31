"""The `hanport` command: `decode` a capture, `run` the reader (on the simulator by default)."""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hanport import __version__
from hanport.codec.decoder import DEFAULT_ZONE, Decoder
from hanport.i18n import default_language, reason, text
from hanport.model import Reading, Rejected
from hanport.output import reading_json, reading_table

__all__ = ["main", "unhex_if_hex"]

_HEX_DUMP = re.compile(rb"\A(?:0x)?[0-9A-Fa-f]{2}(?:[\s,:]*(?:0x)?[0-9A-Fa-f]{2})*\s*\Z")


class _UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    language: str = args.lang or default_language()
    try:
        result: int = args.handler(args, language)
    except _UsageError as error:
        print(f"hanport: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(text("stopped", language), file=sys.stderr)
        return 130
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hanport", description="Read electricity smart meters' HAN/P1 port."
    )
    parser.add_argument("--version", action="version", version=f"hanport {__version__}")
    parser.add_argument("--lang", choices=("en", "et"), help="language of the output")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    decode = commands.add_parser("decode", help="decode a capture (raw bytes or a hex dump)")
    decode.add_argument("path", metavar="PATH", help="file to read, or - for standard input")
    decode.add_argument("--key", help="encryption key (GUEK), 32 hex digits")
    decode.add_argument("--auth-key", help="authentication key (GAK), 32 hex digits")
    decode.add_argument("--json", action="store_true", help="one JSON object per reading per line")
    decode.add_argument("--tz", default=DEFAULT_ZONE, help="zone of meters sending local time")
    decode.set_defaults(handler=_decode)

    run = commands.add_parser("run", help="read the meter and show readings as they arrive")
    run.add_argument("--interval", type=float, default=10.0, help="seconds between telegrams")
    run.add_argument("--count", type=int, default=0, help="stop after this many (0: never)")
    run.add_argument("--seed", type=int, default=1, help="simulator seed")
    run.add_argument("--tz", default=DEFAULT_ZONE, help="zone of meters sending local time")
    run.set_defaults(handler=_run)
    return parser


def unhex_if_hex(data: bytes) -> bytes:
    """A text hex dump (`7E A0 2A …`, any spacing) → its bytes; anything else unchanged."""
    if _HEX_DUMP.match(data):
        digits = re.sub(rb"0x|[\s,:]", b"", data)
        return bytes.fromhex(digits.decode("ascii"))
    return data


def _decode(args: argparse.Namespace, language: str) -> int:
    data = unhex_if_hex(_read_input(args.path, language))
    decoder = Decoder(
        key=_key(args.key, "--key", language),
        auth_key=_key(args.auth_key, "--auth-key", language),
        zone=_zone(args.tz, language),
    )
    items = decoder.feed(data) + decoder.flush()
    readings = [item for item in items if isinstance(item, Reading)]
    rejected = [item for item in items if isinstance(item, Rejected)]
    for number, reading in enumerate(readings, 1):
        if args.json:
            print(reading_json(reading))
        else:
            title = text("reading", language, n=number)
            print(f"{title} ({text('format', language, format=decoder.format)})")
            print(reading_table(reading, language))
    for item in rejected:
        if readings:
            print(text("skipped", language, reason=reason(item.reason, language)), file=sys.stderr)
    if readings:
        return 0
    if rejected:
        first = reason(rejected[0].reason, language)
        print(text("nothing_decoded", language, reason=first), file=sys.stderr)
    else:
        print(text("nothing", language, size=len(data)), file=sys.stderr)
    return 1


def _run(args: argparse.Namespace, language: str) -> int:
    from hanport.simulator import HomeSimulator

    print(text("simulator", language, interval=f"{args.interval:g}"), flush=True)
    simulator = HomeSimulator(seed=args.seed, interval_s=10)
    decoder = Decoder(zone=_zone(args.tz, language))
    shown = 0
    while args.count == 0 or shown < args.count:
        for item in decoder.feed(simulator.next_telegram()):
            if isinstance(item, Reading):
                print(_live_line(item, language), flush=True)
                shown += 1
            else:
                print(
                    text("skipped", language, reason=reason(item.reason, language)), file=sys.stderr
                )
        if args.count == 0 or shown < args.count:
            time.sleep(args.interval)
    return 0


def _live_line(reading: Reading, language: str) -> str:
    stamp = reading.meter_time.strftime("%Y-%m-%d %H:%M:%S") if reading.meter_time else "—"
    return text(
        "live",
        language,
        time=stamp,
        imp=reading.power_import_w,
        exp=reading.power_export_w,
        v1=reading.voltage_l1_v,
        v2=reading.voltage_l2_v,
        v3=reading.voltage_l3_v,
        i1=reading.current_l1_a,
        i2=reading.current_l2_a,
        i3=reading.current_l3_a,
        ein=reading.energy_import_wh,
    )


def _read_input(path: str, language: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise _UsageError(text("no_file", language, path=path, error=error.strerror)) from None


def _key(value: str | None, name: str, language: str) -> bytes | None:
    if value is None:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise _UsageError(text("bad_key", language, name=name))
    return key


def _zone(name: str, language: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _UsageError(text("bad_zone", language, zone=name)) from None
