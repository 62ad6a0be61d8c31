"""`hanport user …` and `hanport token …`: accounts and API tokens from the command line."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TypeAlias

from hanport.config import load_settings
from hanport.i18n import text
from hanport.web.accounts import ROLES, AccountError, Accounts

__all__ = ["add_account_commands"]

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_account_commands(commands: Commands) -> None:
    user = commands.add_parser("user", help="manage the app's accounts")
    users = user.add_subparsers(required=True, metavar="ACTION")
    add = users.add_parser("add", help="create an account (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="admin")
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


def _leaves(*groups: Commands) -> list[argparse.ArgumentParser]:
    return [group.choices["list"] for group in groups]


@contextlib.contextmanager
def _accounts(args: argparse.Namespace) -> Iterator[Accounts]:
    settings = load_settings(
        Path(args.config) if args.config else None, overrides={"database": args.database}
    )
    accounts = Accounts(settings.database or "hanport.db", settings.web.session_days)
    try:
        yield accounts
    finally:
        accounts.close()


def _password(args: argparse.Namespace, language: str) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(text("password", language))
    if getpass.getpass(text("password_again", language)) != first:
        raise AccountError(text("password_mismatch", language))
    return first


def _user_add(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        user = accounts.add_user(args.name, _password(args, language), args.role)
    print(text("user_added", language, name=user.name, role=user.role))
    return 0


def _user_password(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        accounts.set_password(args.name, _password(args, language))
    print(text("password_set", language, name=args.name))
    return 0


def _user_remove(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        accounts.remove_user(args.name)
    print(text("user_removed", language, name=args.name))
    return 0


def _user_list(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        for user in accounts.users():
            print(f"{user.name}\t{user.role}")
    return 0


def _token_create(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        owner = next((u for u in accounts.users() if u.name == args.user), None)
        if owner is None:
            raise AccountError(text("no_user", language, name=args.user))
        secret, token = accounts.create_token(owner, args.name)
    print(text("token_created", language, id=token.id, name=token.name))
    print(secret)
    return 0


def _token_list(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        for token in accounts.tokens():
            print(f"{token.id}\t{token.user}\t{token.name}")
    return 0


def _token_revoke(args: argparse.Namespace, language: str) -> int:
    with _accounts(args) as accounts:
        if not accounts.revoke_token(args.id):
            raise AccountError(text("no_token", language, id=args.id))
    print(text("token_revoked", language, id=args.id))
    return 0
