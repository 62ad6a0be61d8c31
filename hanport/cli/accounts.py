"""`hanport user …` and `hanport token …`: accounts and API tokens from the command line.

A name that does not exist is said before a password is asked for; lists print a header, or
that there is nothing yet and how to make the first.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TypeAlias

from hanport.i18n import text
from hanport.output import columns
from hanport.plugins import load_settings
from hanport.server.settings import SERVER
from hanport.store import local_file
from hanport.web.accounts import ROLES, AccountError, Accounts, User
from hanport.web.settings import WEB

__all__ = ["add_account_commands"]

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_account_commands(commands: Commands) -> None:
    user = commands.add_parser("user", help="manage the app's accounts")
    users = user.add_subparsers(required=True, metavar="ACTION")
    add = users.add_parser("add", help="create an account (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default=None)
    add.add_argument(
        "--site",
        action="append",
        default=[],
        help="hanport server: a site this user sees (repeat for more; makes a viewer by default)",
    )
    add.add_argument("--password-stdin", action="store_true", help="read it from standard input")
    add.set_defaults(handler=_user_add)
    password = users.add_parser("password", help="set a new password (signs the user out)")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(handler=_user_password)
    remove = users.add_parser("remove", help="delete an account and its tokens")
    remove.add_argument("name")
    remove.set_defaults(handler=_user_remove)
    users.add_parser("list", help="list the accounts").set_defaults(handler=_user_list)

    token = commands.add_parser("token", help="manage API tokens (scripts, Home Assistant)")
    tokens = token.add_subparsers(required=True, metavar="ACTION")
    create = tokens.add_parser("create", help="create a token; it is shown once")
    create.add_argument("name", help="what it is for, e.g. 'Home Assistant'")
    create.add_argument("--user", required=True, help="the account it acts for")
    create.set_defaults(handler=_token_create)
    tokens.add_parser("list", help="list the tokens").set_defaults(handler=_token_list)
    revoke = tokens.add_parser("revoke", help="revoke a token by its number")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=_token_revoke)
    for parser in (add, password, remove, create, revoke, *_leaves(users, tokens)):
        parser.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
        parser.add_argument("--database", help="SQLite file (default: the configured one)")
        parser.add_argument(
            "--server", action="store_true", help="the accounts of hanport server ([server])"
        )


def _leaves(*groups: Commands) -> list[argparse.ArgumentParser]:
    return [group.choices["list"] for group in groups]


@contextlib.contextmanager
def _accounts(args: argparse.Namespace) -> Iterator[Accounts]:
    settings = load_settings(
        Path(args.config) if args.config else None, overrides={"database": args.database}
    )
    database = settings.database or "hanport.db"
    if args.server:
        database = args.database or settings.get(SERVER).database
    accounts = Accounts(local_file(database), settings.get(WEB).session_days)
    try:
        yield accounts
    finally:
        accounts.close()


def _password(args: argparse.Namespace, language: str) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(text("accounts.password_prompt", language))
    if getpass.getpass(text("accounts.password_again_prompt", language)) != first:
        raise AccountError("accounts.password_mismatch")
    return first


def _existing(accounts: Accounts, name: str) -> User:
    """The user `name`, or the sentence that there is none (before any password is asked)."""
    user = next((user for user in accounts.users() if user.name == name), None)
    if user is None:
        raise AccountError("accounts.no_user", name=name)
    return user


def _user_add(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        if any(user.name == args.name.strip() for user in accounts.users()):
            raise AccountError("accounts.user_exists", name=args.name.strip())
        role = args.role or ("viewer" if args.site else "admin")
        user = accounts.add_user(args.name, _password(args, language), role, args.site)
    print(text("accounts.user_added", language, name=user.name, role=user.role))
    return 0


def _user_password(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        _existing(accounts, args.name)
        accounts.set_password(args.name, _password(args, language))
    print(text("accounts.password_set", language, name=args.name))
    return 0


def _user_remove(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        _existing(accounts, args.name)
        accounts.remove_user(args.name)
    print(text("accounts.user_removed", language, name=args.name))
    return 0


def _user_list(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        users = accounts.users()
    if not users:
        print(text("accounts.none", language))
        return 0
    header = [text("accounts.column_user", language), text("accounts.column_role", language)]
    rows = [[user.name, user.role] for user in users]
    if any(user.sites for user in users):
        header.append(text("accounts.column_sites", language))
        for row, user in zip(rows, users, strict=True):
            row.append(",".join(user.sites))
    _table(header, rows)
    return 0


def _token_create(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        owner = _existing(accounts, args.user)
        secret, token = accounts.create_token(owner, args.name)
    print(text("accounts.token_created", language, id=token.id, name=token.name))
    print(secret)
    return 0


def _token_list(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        tokens = accounts.tokens()
    if not tokens:
        print(text("accounts.no_tokens", language))
        return 0
    names = ("number", "user", "token", "created", "used")
    never = text("accounts.never", language)
    rows = [
        (
            str(token.id),
            token.user,
            token.name,
            _day(token.created),
            never if token.last_used is None else _day(token.last_used),
        )
        for token in tokens
    ]
    _table(tuple(text(f"accounts.column_{name}", language) for name in names), rows)
    return 0


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    for line in columns([header, *rows]):
        print(line)


def _day(epoch_s: int) -> str:
    return datetime.fromtimestamp(epoch_s).astimezone().strftime("%Y-%m-%d %H:%M")


def _token_revoke(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        if not accounts.revoke_token(args.id):
            raise AccountError("accounts.no_token", id=args.id)
    print(text("accounts.token_revoked", language, id=args.id))
    return 0
