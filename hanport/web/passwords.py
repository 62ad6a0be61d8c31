"""Password hashes: scrypt at OWASP's current cost (N=2^17, r=8, p=1), with a random salt.

One hash takes 128 MiB and about 0.1–0.5 s, so at most `PARALLEL_HASHES` run at once in the
process (the others wait): a flood of sign-ins cannot take gigabytes. Hashes made at an older,
lower cost (N=2^15 before 0.1) still verify, and `needs_rehash` tells the caller to store a new
one after the next successful sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading

__all__ = ["PARALLEL_HASHES", "SCRYPT_N", "hash_password", "needs_rehash", "verify_password"]

SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
_MAXMEM = 256 * 2**20
"""Above the 128 MiB that N=2^17, r=8 needs (hashlib's default allows only 32 MiB)."""
PARALLEL_HASHES = 2
_slots = threading.BoundedSemaphore(PARALLEL_HASHES)

TEST_SCRYPT_N: int | None = None
"""For tests only: a lower cost for the suites that hash dozens of passwords; never set
anywhere else (None: the real cost)."""


def _cost() -> int:
    return TEST_SCRYPT_N or SCRYPT_N


def hash_password(password: str, n: int | None = None) -> str:
    """`scrypt$N$r$p$salt$key`, at the current cost unless `n` is given."""
    n = n or _cost()
    salt = secrets.token_bytes(16)
    key = _scrypt(password, salt, n, SCRYPT_R, SCRYPT_P, 32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        expected = base64.b64decode(key)
        computed = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except ValueError:  # not our format, or parameters scrypt refuses
        return False
    return scheme == "scrypt" and hmac.compare_digest(computed, expected)


def needs_rehash(stored: str) -> bool:
    """Whether `stored` was made at a lower cost than new hashes get."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not parts[1].isdigit():
        return True
    return int(parts[1]) < _cost() or parts[2:4] != [str(SCRYPT_R), str(SCRYPT_P)]


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
    with _slots:
        return hashlib.scrypt(
            password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=size
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
