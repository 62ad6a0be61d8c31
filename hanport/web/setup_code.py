"""The one-time setup code: who may create the first account when the app is on the network.

While no account exists, anyone who reaches the app could create its administrator. On
loopback that is only this machine; beyond it, `hanport run` prints a random code (ten
characters in two groups, e.g. `7KQ4M-XR9TD`) and `POST /api/v1/setup` requires it, so only
someone who can see hanport's output (its terminal or `journalctl -u hanport`) sets it up from
a phone. The code lives in memory only, dies once used, and is new on every start.
"""

from __future__ import annotations

import hmac
import secrets
import socket
import weakref

__all__ = ["SetupCode", "issue_setup_code", "setup_code_for"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U to misread (5 bits a character, 50 bits a code)."""
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_LENGTH = 10


class SetupCode:
    def __init__(self, text: str | None = None) -> None:
        self.text = text or _random_code()
        self.used = False

    def matches(self, given: object) -> bool:
        """Whether `given` is this code (any case, with or without the dash and spaces)."""
        if self.used or not isinstance(given, str) or len(given) > 40:
            return False
        return hmac.compare_digest(_normal(given).encode(), _normal(self.text).encode())

    def use(self) -> None:
        self.used = True


def _random_code() -> str:
    characters = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    return f"{characters[:5]}-{characters[5:]}"


def _normal(code: str) -> str:
    return "".join(code.upper().translate(_READ_AS).replace("-", "").split())


_ISSUED: weakref.WeakKeyDictionary[socket.socket, SetupCode] = weakref.WeakKeyDictionary()


def issue_setup_code(listener: socket.socket) -> SetupCode:
    """A new code for the app served on `listener` (web.server.bind does this)."""
    code = SetupCode()
    _ISSUED[listener] = code
    return code


def setup_code_for(listener: socket.socket) -> SetupCode | None:
    """The code of the app on `listener`; None when it needs none (it listens on loopback)."""
    return _ISSUED.get(listener)
