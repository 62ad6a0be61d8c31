"""A line of progress on a terminal, rewritten in place; nothing at all on pipes, files and logs.

`hanport doctor` and `hanport capture` say what they have seen so far while they listen, and
`hanport export` draws a bar, so that a long wait never looks like a hang.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["StatusLine", "bar"]

_CLEAR_TO_END = "\x1b[K"


class StatusLine:
    """`show()` replaces the line (at most every `every_s`); `close()` removes it."""

    def __init__(self, stream: TextIO | None = None, every_s: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = _is_terminal(self.stream)
        self.every_s = every_s
        self._shown_at = -every_s
        self._visible = False

    def show(self, line: str, *, now: bool = False) -> None:
        if not self.enabled:
            return
        moment = time.monotonic()
        if not now and moment - self._shown_at < self.every_s:
            return
        self._shown_at = moment
        self.stream.write(f"\r{line}{_CLEAR_TO_END}")
        self.stream.flush()
        self._visible = True

    def close(self) -> None:
        if self._visible:
            self.stream.write(f"\r{_CLEAR_TO_END}")
            self.stream.flush()
            self._visible = False


def bar(fraction: float, width: int = 30) -> str:
    """`[#########.....................]  30%`"""
    fraction = min(max(fraction, 0.0), 1.0)
    filled = int(fraction * width)
    return f"[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%}"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or a stand-in stream
        return False
