"""Local accounts, login sessions and API tokens, kept in the readings' SQLite file.

Passwords are hashed with scrypt (hanport.web.passwords: memory-hard, 128 MiB per hash) and a
random salt. Sessions, API tokens and trusted devices are random 256-bit secrets; only their
SHA-256 is stored, so a copy of the database does not let anyone in. Every method is a short
transaction; the app calls the slow ones (password checks) from a worker thread.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hanport.errors import HanError
from hanport.store.connection import open_sqlite
from hanport.web.passwords import hash_password, needs_rehash, verify_password

__all__ = [
    "AccountError",
    "Accounts",
    "Session",
    "Token",
    "User",
    "hash_password",
    "verify_password",
]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    password TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    hash BLOB PRIMARY KEY, user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL, expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE,
    user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL, created INTEGER NOT NULL, last_used INTEGER);
CREATE TABLE IF NOT EXISTS devices (
    hash BLOB PRIMARY KEY, user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS user_sites (
    user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site TEXT NOT NULL, PRIMARY KEY (user, site)) WITHOUT ROWID;
"""
ROLES = ("admin", "viewer", "operator")
"""`operator` is for `hanport server`: an admin who sees every site (hanport.web.scope)."""
MIN_PASSWORD = 10
_TOKEN_PREFIX = "hp_"
DEVICE_DAYS = 365
_DEVICES_PER_USER = 20
_SITE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class AccountError(HanError):
    """A name, password or role that cannot be used; the message says what would work."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    sites: tuple[str, ...] = ()
    """The sites a user of `hanport server` sees (an operator sees all of them)."""

    @property
    def admin(self) -> bool:
        return self.role in ("admin", "operator")


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    expires: int


@dataclass(frozen=True)
class Token:
    id: int
    name: str
    user: str
    created: int
    last_used: int | None


class Accounts:
    def __init__(
        self,
        path: str | Path,
        session_days: int = 14,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = open_sqlite(path)
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._session_s = session_days * 86400
        self._clock = clock

    def close(self) -> None:
        self._db.close()

    # users

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM users").fetchone()[0])

    def add_user(
        self, name: str, password: str, role: str = "admin", sites: Sequence[str] = ()
    ) -> User:
        name = name.strip()
        if not 1 <= len(name) <= 64 or any(c.isspace() for c in name):
            raise AccountError("accounts.name_invalid")
        if role not in ROLES:
            raise AccountError("accounts.role_invalid", roles=", ".join(ROLES))
        sites = tuple(sorted(set(sites)))
        if sites and role != "viewer":
            raise AccountError("accounts.sites_for_role")
        for site in sites:
            if not _SITE.fullmatch(site):
                raise AccountError("accounts.site_invalid", site=site)
        _check_password(password)
        try:
            cursor = self._db.execute(
                "INSERT INTO users (name, role, password, created) VALUES (?, ?, ?, ?)",
                (name, role, hash_password(password), int(self._clock())),
            )
        except sqlite3.IntegrityError:
            raise AccountError("accounts.user_taken", name=name) from None
        user_id = int(cursor.lastrowid or 0)
        self._db.executemany(
            "INSERT INTO user_sites VALUES (?, ?)", [(user_id, site) for site in sites]
        )
        return User(user_id, name, role, sites)

    def _user(self, user_id: int, name: str, role: str) -> User:
        rows = self._db.execute(
            "SELECT site FROM user_sites WHERE user = ? ORDER BY site", (user_id,)
        )
        return User(user_id, name, role, tuple(site for (site,) in rows))

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        cursor = self._db.execute(
            "UPDATE users SET password = ? WHERE name = ?", (hash_password(password), name)
        )
        if not cursor.rowcount:
            raise AccountError("accounts.user_unknown", name=name)
        self._db.execute(
            "DELETE FROM sessions WHERE user = (SELECT id FROM users WHERE name = ?)", (name,)
        )

    def remove_user(self, name: str) -> None:
        if not self._db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount:
            raise AccountError("accounts.user_unknown", name=name)

    def users(self) -> list[User]:
        rows = self._db.execute("SELECT id, name, role FROM users ORDER BY name")
        return [self._user(*row) for row in rows.fetchall()]

    def check_password(self, name: str, password: str) -> User | None:
        row = self._db.execute(
            "SELECT id, name, role, password FROM users WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            hash_password(password)  # as slow as a real check: names cannot be probed by timing
            return None
        if not verify_password(password, row[3]):
            return None
        if needs_rehash(row[3]):  # made at an older, lower cost: store one at today's
            self._db.execute(
                "UPDATE users SET password = ? WHERE id = ?", (hash_password(password), row[0])
            )
        return self._user(*row[:3])

    # trusted devices: browsers that signed in before (see hanport.web.limits)

    def trust_device(self, user: User, replacing: str | None = None) -> str:
        """A new device-cookie secret for `user` (the one `replacing` names stops counting)."""
        now = int(self._clock())
        secret = secrets.token_urlsafe(32)
        if replacing:
            self._db.execute("DELETE FROM devices WHERE hash = ?", (_digest(replacing),))
        self._db.execute("DELETE FROM devices WHERE expires < ?", (now,))
        self._db.execute(
            "INSERT INTO devices VALUES (?, ?, ?)",
            (_digest(secret), user.id, now + DEVICE_DAYS * 86400),
        )
        self._db.execute(
            "DELETE FROM devices WHERE user = ? AND hash NOT IN (SELECT hash FROM devices "
            "WHERE user = ? ORDER BY expires DESC LIMIT ?)",
            (user.id, user.id, _DEVICES_PER_USER),
        )
        return secret

    def trusted_device(self, secret: str, name: str) -> str | None:
        """An id of the device behind `secret` if it signed in as `name` before, else None."""
        if not secret or len(secret) > 100:
            return None
        row = self._db.execute(
            "SELECT d.hash FROM devices d JOIN users u ON u.id = d.user "
            "WHERE d.hash = ? AND u.name = ? AND d.expires >= ?",
            (_digest(secret), name, int(self._clock())),
        ).fetchone()
        return bytes(row[0]).hex() if row else None

    # sessions

    def open_session(self, user: User) -> tuple[str, Session]:
        """A new login: the cookie value (secret) and the session it stands for."""
        secret = secrets.token_urlsafe(32)
        session = Session(user, secrets.token_urlsafe(24), int(self._clock()) + self._session_s)
        self._db.execute("DELETE FROM sessions WHERE expires < ?", (int(self._clock()),))
        self._db.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?)",
            (_digest(secret), user.id, session.csrf, session.expires),
        )
        return secret, session

    def session(self, secret: str) -> Session | None:
        row = self._db.execute(
            "SELECT u.id, u.name, u.role, s.csrf, s.expires FROM sessions s "
            "JOIN users u ON u.id = s.user WHERE s.hash = ?",
            (_digest(secret),),
        ).fetchone()
        now = int(self._clock())
        if row is None or row[4] < now:
            return None
        expires = row[4]
        if expires - now < self._session_s - 3600:  # used: extend, at most once an hour
            expires = now + self._session_s
            self._db.execute(
                "UPDATE sessions SET expires = ? WHERE hash = ?", (expires, _digest(secret))
            )
        return Session(self._user(*row[:3]), row[3], expires)

    def close_session(self, secret: str) -> None:
        self._db.execute("DELETE FROM sessions WHERE hash = ?", (_digest(secret),))

    # API tokens

    def create_token(self, user: User, name: str) -> tuple[str, Token]:
        name = name.strip()
        if not 1 <= len(name) <= 100:
            raise AccountError("accounts.token_name_invalid")
        secret = _TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = int(self._clock())
        cursor = self._db.execute(
            "INSERT INTO tokens (hash, user, name, created) VALUES (?, ?, ?, ?)",
            (_digest(secret), user.id, name, now),
        )
        return secret, Token(int(cursor.lastrowid or 0), name, user.name, now, None)

    def token_user(self, secret: str) -> User | None:
        if not secret.startswith(_TOKEN_PREFIX):
            return None
        row = self._db.execute(
            "SELECT u.id, u.name, u.role, t.id, t.last_used FROM tokens t "
            "JOIN users u ON u.id = t.user WHERE t.hash = ?",
            (_digest(secret),),
        ).fetchone()
        if row is None:
            return None
        now = int(self._clock())
        if row[4] is None or now - row[4] >= 60:
            self._db.execute("UPDATE tokens SET last_used = ? WHERE id = ?", (now, row[3]))
        return self._user(*row[:3])

    def tokens(self, user: User | None = None) -> list[Token]:
        """The tokens of `user`, or of everyone."""
        query = (
            "SELECT t.id, t.name, u.name, t.created, t.last_used FROM tokens t "
            "JOIN users u ON u.id = t.user"
        )
        if user is None:
            rows = self._db.execute(query + " ORDER BY t.id")
        else:
            rows = self._db.execute(query + " WHERE t.user = ? ORDER BY t.id", (user.id,))
        return [Token(*row) for row in rows]

    def revoke_token(self, token_id: int, user: User | None = None) -> bool:
        """Revoke a token of `user` (any token when None); False when there is no such token."""
        if user is None:
            cursor = self._db.execute("DELETE FROM tokens WHERE id = ?", (token_id,))
        else:
            cursor = self._db.execute(
                "DELETE FROM tokens WHERE id = ? AND user = ?", (token_id, user.id)
            )
        return cursor.rowcount > 0


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("accounts.password_short", count=MIN_PASSWORD)
    if len(password) > 1024:
        raise AccountError("accounts.password_long", count=1024)


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()
