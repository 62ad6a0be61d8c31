"""Why a serial port or a TCP dongle cannot be opened: a `[sources]` code and its parameters.

pyserial's messages repeat the port ("could not open port X: [Errno 2] No such file or
directory: 'X'"); the operating system's reason is taken from the error number instead, and the
common ones get their own advice (plug the cable in, join the dialout group, replay a file).
"""

from __future__ import annotations

import errno
import os
import re
import socket

__all__ = ["serial_error", "tcp_error", "why"]

_ERRNO = re.compile(r"\[Errno (\d+)\]|\((\d+), '")
_SERIAL = {
    errno.ENOENT: "sources.serial_missing",
    errno.ENODEV: "sources.serial_missing",
    errno.ENXIO: "sources.serial_missing",
    errno.EACCES: "sources.serial_denied",
    errno.EPERM: "sources.serial_denied",
    errno.EBUSY: "sources.serial_busy",
    errno.ENOTTY: "sources.serial_not_a_port",
    errno.EISDIR: "sources.serial_folder",
}


def serial_error(port: str, error: OSError) -> tuple[str, dict[str, object]]:
    number = _errno(error)
    key = _SERIAL.get(number or -1)
    if key == "sources.serial_not_a_port" and os.path.isfile(port):
        return "sources.is_file", {"path": port, "url": f"file://{port}"}
    if key is not None:
        return key, {"port": port}
    return "sources.serial_failed", {"port": port, "why": why(error)}


def tcp_error(
    host: str, port: int, error: OSError | TimeoutError, timeout_s: float
) -> tuple[str, dict[str, object]]:
    where = {"host": host, "port": port}
    if isinstance(error, socket.gaierror):
        return "sources.tcp_unknown_host", where
    if isinstance(error, TimeoutError) or error.errno == errno.ETIMEDOUT:
        return "sources.tcp_timeout", {**where, "seconds": f"{timeout_s:g}"}
    if isinstance(error, ConnectionRefusedError):
        return "sources.tcp_refused", where
    if error.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
        return "sources.tcp_unreachable", where
    return "sources.tcp_failed", {**where, "why": why(error)}


def why(error: BaseException) -> str:
    """The operating system's reason, in lower case, once (not pyserial's repetition of it)."""
    number = _errno(error)
    text = os.strerror(number) if number else str(error) or type(error).__name__
    return text[0].lower() + text[1:] if text else type(error).__name__


def _errno(error: BaseException) -> int | None:
    number = getattr(error, "errno", None)
    if isinstance(number, int) and number > 0:
        return number
    found = _ERRNO.search(str(error))
    if found is None:
        return None
    return int(found.group(1) or found.group(2))
