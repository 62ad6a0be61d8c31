"""Deadlines and a cap for the app's connections, in uvicorn's HTTP/1.1 protocol (h11).

uvicorn closes a keep-alive connection only after a response, and its timer stops at the first
byte: a connection that never sends a whole request (idle, or a header sent a byte at a time)
is held for ever, and its `limit_concurrency` answers 503 to everyone once such connections
fill it. Here each connection is in one of three phases:

- **head**: waiting for a request's head (just connected, or after a response on keep-alive):
  the whole head must arrive within `head_s` of the phase's start, however it trickles in;
- **body**: the head arrived and the body is still coming: all of it within `body_s`;
- **busy**: the app is answering (a live stream stays busy as long as it runs): no deadline.

At most `cap` connections are open. When one more arrives, the oldest connection waiting for a
head is closed to make room, then the oldest still sending a body; only when every one is busy
is the new one closed. A real request is never refused because idle ones hold the places.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from hanport.web.errors import error_json

__all__ = ["ConnectionGuard", "GuardedProtocol", "guarded_protocol"]

HEAD_S = 10.0
BODY_S = 20.0
MAX_CONNECTIONS = 256
MAX_HEAD_BYTES = 16 * 1024


@functools.cache
def _not_http() -> bytes:
    """The answer to bytes that are no HTTP request (in English: no header says otherwise)."""
    return error_json("web.not_http", "en", kib=MAX_HEAD_BYTES >> 10)


class ConnectionGuard:
    """The open connections of one server, by phase (each dict in the order they entered it)."""

    def __init__(
        self, cap: int = MAX_CONNECTIONS, head_s: float = HEAD_S, body_s: float = BODY_S
    ) -> None:
        self.cap = cap
        self.deadline_s = {"head": head_s, "body": body_s}
        self._phases: dict[str, dict[GuardedProtocol, None]] = {"head": {}, "body": {}, "busy": {}}

    def __len__(self) -> int:
        return sum(len(members) for members in self._phases.values())

    def admit(self, connection: GuardedProtocol) -> bool:
        """Make room for `connection` (closing waiting ones); False when every place is busy."""
        for phase in ("head", "body"):
            waiting = self._phases[phase]
            while len(self) >= self.cap and waiting:
                oldest = next(iter(waiting))
                self.leave(oldest)
                oldest.transport.close()
        if len(self) >= self.cap:
            return False
        self._phases["head"][connection] = None
        return True

    def enter(self, connection: GuardedProtocol, phase: str) -> None:
        self.leave(connection)
        self._phases[phase][connection] = None

    def leave(self, connection: GuardedProtocol) -> None:
        for members in self._phases.values():
            members.pop(connection, None)

    def count(self, phase: str) -> int:
        return len(self._phases[phase])


class GuardedProtocol(H11Protocol):
    guard: ClassVar[ConnectionGuard]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._phase = ""
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if not self.guard.admit(self):
            transport.abort()
            return
        self._phase = "head"
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.leave(self)
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def send_400_response(self, msg: str) -> None:
        """Not HTTP, or a head too big: one sentence in JSON like every other error (uvicorn
        sends plain text and logs a warning for each one, which a stranger could fill the log
        with)."""
        body = _not_http()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()

    def _follow(self) -> None:
        if self.transport.is_closing() or not self._phase:
            return
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            phase = "head"
        else:
            phase = "body" if cycle.more_body else "busy"
        if phase != self._phase:
            self._phase = phase
            self.guard.enter(self, phase)
            self._arm()

    def _arm(self) -> None:
        self._disarm()
        limit = self.guard.deadline_s.get(self._phase)
        if limit is not None:
            self._deadline = self.loop.call_later(limit, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        """The head or body did not arrive in time: close (a waiting app sees a disconnect)."""
        self._deadline = None
        self.guard.leave(self)
        self.transport.close()


def guarded_protocol(guard: ConnectionGuard) -> type[GuardedProtocol]:
    """uvicorn's h11 protocol class for a server whose connections `guard` keeps."""
    return type("GuardedH11Protocol", (GuardedProtocol,), {"guard": guard})
