"""The `hanport` command: `decode` a capture, `run` the reader (on the simulator by default).

Whatever the user can get wrong (a setting, a source, a file, a database, a closed pipe) ends in
one sentence on stderr in the chosen language and exit status 2, never in a traceback;
`hanport … | head` ends quietly (status 141, as other Unix tools killed by SIGPIPE).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from hanport import __version__
from hanport.cli.backup import add_backup_commands
from hanport.cli.flags import UsageError, key_flag, zone_flag
from hanport.cli.mqtt import add_mqtt_commands
from hanport.cli.quality import add_quality_commands
from hanport.cli.service import add_service_commands
from hanport.codec.decoder import DEFAULT_ZONE, Decoder
from hanport.codec.hexdump import unhex_if_hex
from hanport.errors import HanError
from hanport.i18n import default_language, sentence, text
from hanport.model import Reading, Rejected
from hanport.output import reading_json, reading_table

__all__ = ["main", "unhex_if_hex"]

_PIPE_CLOSED = 128 + 13  # SIGPIPE


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    language: str = args.lang or default_language()
    try:
        result: int = args.handler(args, language)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at exit
    except BrokenPipeError:
        return _pipe_closed()
    except HanError as error:  # a bad setting, source or name: one sentence
        print(f"hanport: {sentence(error, language)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(text("cli.stopped", language), file=sys.stderr)
        return 130
    except OSError as error:  # a full disk, a file that vanished: the system's reason
        print(f"hanport: {_os_sentence(error, language)}", file=sys.stderr)
        return 2
    return result


def _pipe_closed() -> int:
    """The program reading the output (`| head`) has gone: stop writing, say nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # what is still buffered goes nowhere at exit
    except (OSError, ValueError, AttributeError):  # stdout is not a file (tests, embedding)
        pass
    return _PIPE_CLOSED


def _os_sentence(error: OSError, language: str) -> str:
    from hanport.sources.line_errors import why

    if error.filename is not None:
        return text("cli.os_error", language, path=error.filename, why=why(error))
    return text("cli.os_error_plain", language, why=why(error))


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

    _add_reading_commands(commands)
    from hanport.cli.accounts import add_account_commands

    add_account_commands(commands)
    add_mqtt_commands(commands)
    add_backup_commands(commands)
    add_service_commands(commands)
    from hanport.cli.server import add_server_commands

    add_server_commands(commands)
    from hanport.cli.costs import add_cost_commands

    add_cost_commands(commands)
    add_quality_commands(commands)
    return parser


def _add_reading_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """run, capture, export, doctor and simulate: the commands that use hanport.cli.commands."""
    run = commands.add_parser("run", help="read the meter and show readings as they arrive")
    run.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    run.add_argument("--source", help="meter URL (/dev/ttyUSB0, tcp://…); default: simulator")
    run.add_argument("--key", help="encryption key (GUEK), 32 hex digits")
    run.add_argument("--auth-key", help="authentication key (GAK), 32 hex digits")
    run.add_argument("--interval", type=float, default=10.0, help="simulator: s between telegrams")
    run.add_argument("--count", type=int, default=0, help="stop after this many (0: never)")
    run.add_argument("--seed", type=int, default=1, help="simulator seed")
    run.add_argument("--tz", help=f"zone of meters sending local time (default {DEFAULT_ZONE})")
    run.add_argument("--energy-scale", help="Wh per count for lists without scalers: auto, 1 or 10")
    run.add_argument("--listen", help="the app's address (default 127.0.0.1)")
    run.add_argument("--port", help="the app's port (default 8080)")
    run.add_argument("--no-web", action="store_true", help="do not serve the app")
    run.set_defaults(handler=_lazy("run"))

    capture = commands.add_parser("capture", help="record a source's raw bytes to a file")
    capture.add_argument("source", metavar="SOURCE", help="meter URL, e.g. /dev/ttyUSB0")
    capture.add_argument("file", metavar="FILE", help="file to write")
    capture.add_argument("--count", type=int, default=6, help="stop after this many frames")
    capture.add_argument("--seconds", type=float, default=0, help="or after this many seconds")
    capture.set_defaults(handler=_lazy("capture"))

    export = commands.add_parser("export", help="readings or rollups of a period as CSV or JSON")
    export.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    export.add_argument("--database", help="SQLite file (default: the configured one)")
    export.add_argument("--meter", help="meter id (default: the only meter in the database)")
    export.add_argument(
        "--from", dest="start", required=True, help="first day or time, e.g. 2026-06-01"
    )
    export.add_argument("--to", dest="end", required=True, help="end (exclusive), e.g. 2026-07-01")
    export.add_argument(
        "--step", choices=("15m", "1h", "1d", "1mo"), help="rollups instead of readings"
    )
    export.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="csv or JSON lines"
    )
    export.add_argument("--output", help="file to write (default: standard output)")
    export.set_defaults(handler=_lazy("export_command"))

    doctor = commands.add_parser("doctor", help="listen to a connection and say what is wrong")
    doctor.add_argument("source", metavar="SOURCE", help="meter URL, e.g. /dev/ttyUSB0")
    doctor.add_argument("--seconds", type=float, default=35.0, help="how long to listen")
    doctor.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    doctor.add_argument("--key", help="encryption key (GUEK), 32 hex digits (default: meter.key)")
    doctor.add_argument("--auth-key", help="authentication key (GAK), 32 hex digits")
    doctor.add_argument(
        "--energy-scale", help="Wh per count for lists without scalers: auto, 1 or 10"
    )
    doctor.set_defaults(handler=_lazy("doctor"))

    simulate = commands.add_parser("simulate", help="serve the meter simulator as a device")
    where = simulate.add_mutually_exclusive_group(required=True)
    where.add_argument("--pty", action="store_true", help="on a pseudo-terminal (serial port)")
    where.add_argument("--tcp", type=int, metavar="PORT", help="on 127.0.0.1:PORT")
    simulate.add_argument("--speed", default="1", help="times faster than real time, or max")
    simulate.add_argument(
        "--count", type=int, default=0, help="send this many telegrams (tcp: to each client)"
    )
    simulate.add_argument("--seed", type=int, default=1, help="simulator seed")
    simulate.add_argument(
        "--start", help="the meter clock's first time, e.g. 2026-03-28T00:00 (default: now)"
    )
    simulate.add_argument("--format", choices=("p1", "hdlc"), default="p1", help="frames to send")
    simulate.add_argument(
        "--scenario",
        choices=("voltage",),
        help="voltage: a sag, a PV overvoltage day, a broken neutral",
    )
    simulate.set_defaults(handler=_lazy("simulate"))


def _lazy(name: str) -> Callable[[argparse.Namespace, str], int]:
    """The handler `name` of hanport.cli.commands, imported only when that command runs."""

    def handler(args: argparse.Namespace, language: str) -> int:
        from hanport.cli import commands

        result: int = getattr(commands, name)(args, language)
        return result

    return handler


def _decode(args: argparse.Namespace, language: str) -> int:
    data = unhex_if_hex(_read_input(args.path))
    decoder = Decoder(
        key=key_flag(args.key, "--key"),
        auth_key=key_flag(args.auth_key, "--auth-key"),
        zone=zone_flag(args.tz),
    )
    items = decoder.feed(data) + decoder.flush()
    readings = [item for item in items if isinstance(item, Reading)]
    rejected = [item for item in items if isinstance(item, Rejected)]
    for number, reading in enumerate(readings, 1):
        if args.json:
            print(reading_json(reading))
        else:
            title = text("cli.reading", language, n=number)
            print(f"{title} ({text('cli.format', language, format=decoder.format)})")
            print(reading_table(reading, language))
    for item in rejected:
        if readings:
            print(text("cli.skipped", language, reason=item.text(language)), file=sys.stderr)
    if readings:
        return 0
    if rejected:
        first = rejected[0].text(language)
        print(text("cli.nothing_decoded", language, reason=first), file=sys.stderr)
    else:
        print(text("cli.nothing", language, size=len(data)), file=sys.stderr)
    return 1


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise UsageError("cli.no_file", path=path, error=error.strerror) from None
