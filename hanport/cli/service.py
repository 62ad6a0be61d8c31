"""`hanport service install|uninstall [--dry-run] [--user] [--group] [--config]`.

The lead adds `add_service_commands(commands)` to hanport/cli.py's parser.
"""

from __future__ import annotations

import argparse
import sys

from hanport.service.installer import DEFAULT_CONFIG, InstallError, install, uninstall

__all__ = ["add_service_commands"]


def add_service_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    service = commands.add_parser("service", help="run hanport as a systemd service")
    actions = service.add_subparsers(required=True, metavar="ACTION")
    for name, handler, help_text in (
        ("install", _install, "install the systemd unit, the udev rule and the user"),
        ("uninstall", _uninstall, "stop the service, remove the unit and the udev rule"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument(
            "--dry-run", action="store_true", help="print what would be written and run"
        )
        action.add_argument("--user", default="hanport", help="system user (default hanport)")
        action.add_argument(
            "--config", default=DEFAULT_CONFIG, help=f"settings file (default {DEFAULT_CONFIG})"
        )
        if name == "install":
            action.add_argument(
                "--group", default="dialout", help="the serial ports' group (default dialout)"
            )
        action.set_defaults(handler=handler)


def _install(args: argparse.Namespace, language: str) -> int:
    try:
        install(
            args.dry_run, user=args.user, group=args.group, config=args.config, language=language
        )
    except InstallError as error:
        print(f"hanport: {error.text(language)}", file=sys.stderr)
        return 2
    return 0


def _uninstall(args: argparse.Namespace, language: str) -> int:
    try:
        uninstall(args.dry_run, user=args.user, config=args.config, language=language)
    except InstallError as error:
        print(f"hanport: {error.text(language)}", file=sys.stderr)
        return 2
    return 0
