"""Login rate limiting, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies".

Failures are counted per address (an IPv6 address by its /64 network, which one home or one
attacker holds whole) and either per user name or, for a browser that signed in as that name
before (its device cookie), per device. So failures from elsewhere lock out only the untrusted
attempts for a name: the owner's own phone still signs in with the right password, and a stolen
device cookie is limited on its own.

Pure bookkeeping (the caller passes the clock), kept in memory and bounded: at most `max_keys`
keys of each kind, the least recently failing forgotten first, each at most 64 characters
(longer values are hashed). A restart forgets it, which costs an attacker a restart of someone
else's program per few guesses.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
from collections import Counter, OrderedDict, deque
from collections.abc import AsyncIterator, Iterable, Mapping

__all__ = ["Busy", "LoginLimiter", "PasswordGate", "address_key"]

Key = tuple[str, str]
"""(kind, value): ("address", "192.0.2.1"), ("name", "anna") or ("device", "<id>")."""

LIMITS = {"address": 5, "name": 10, "device": 10}
_LONGEST_KEY = 64


class LoginLimiter:
    def __init__(
        self,
        limits: Mapping[str, int] | None = None,
        window_s: float = 900,
        max_keys: int = 10_000,
    ) -> None:
        self._limits = {**LIMITS, **(limits or {})}
        self._window_s = window_s
        self._max_keys = max_keys
        self._failures: dict[str, OrderedDict[str, deque[float]]] = {
            kind: OrderedDict() for kind in self._limits
        }

    def wait_s(self, keys: Iterable[Key], now: float) -> float:
        """Seconds until a sign-in with these keys may be tried again (0: now)."""
        wait = 0.0
        for kind, value in keys:
            failures = self._failures[kind].get(_short(value))
            if failures is None:
                continue
            while failures and failures[0] <= now - self._window_s:
                failures.popleft()
            if len(failures) >= self._limits[kind]:
                wait = max(wait, failures[0] + self._window_s - now)
        return wait

    def failed(self, keys: Iterable[Key], now: float) -> None:
        for kind, value in keys:
            table, key = self._failures[kind], _short(value)
            failures = table.pop(key, None) or deque(maxlen=self._limits[kind])
            failures.append(now)
            table[key] = failures  # now the most recent
            if len(table) > self._max_keys:
                table.popitem(last=False)

    def forget(self, keys: Iterable[Key]) -> None:
        for kind, value in keys:
            self._failures[kind].pop(_short(value), None)

    def tracked(self, kind: str) -> int:
        return len(self._failures[kind])


def _short(value: str) -> str:
    if len(value) <= _LONGEST_KEY:
        return value
    return "sha256:" + hashlib.sha256(value.encode(errors="replace")).hexdigest()


def address_key(host: str) -> str:
    """The client address as the limiter counts it: IPv4 whole, IPv6 by its /64 network."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class Busy(Exception):
    """Too many password checks are waiting already."""


class PasswordGate:
    """Password checks take turns: `parallel` at once (scrypt takes 128 MiB each), at most
    `queue` waiting in all and `per_address` from one address; beyond that, `Busy`."""

    def __init__(self, parallel: int = 2, queue: int = 32, per_address: int = 2) -> None:
        self._parallel = parallel
        self._queue = queue
        self._per_address = per_address
        self._semaphore: asyncio.Semaphore | None = None
        self._entered = 0
        self._by_address: Counter[str] = Counter()

    @contextlib.asynccontextmanager
    async def turn(self, address: str) -> AsyncIterator[None]:
        if self._entered >= self._parallel + self._queue:
            raise Busy
        if self._by_address[address] >= self._per_address:
            raise Busy
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self._parallel)
        self._entered += 1
        self._by_address[address] += 1
        try:
            async with self._semaphore:
                yield
        finally:
            self._entered -= 1
            self._by_address[address] -= 1
            if not self._by_address[address]:
                del self._by_address[address]
