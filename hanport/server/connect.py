"""A NATS connection for the server, its workers and `stats`: reconnects forever once up, says
a lost connection once (no tracebacks), and gives up on the first one after a timeout."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import nats
from nats.aio.client import Client

from hanport.errors import HanError

__all__ = ["ServerError", "connect"]

log = logging.getLogger("hanport.server")


class ServerError(HanError):
    """`hanport server` cannot start: NATS unreachable, the stream refused."""


async def connect(urls: Sequence[str], name: str, timeout_s: float = 10.0) -> Client:
    said = False

    async def error(problem: Exception) -> None:
        nonlocal said
        if not said:
            said = True
            log.warning("%s", HanError("server.nats_lost", error=str(problem) or "?"))

    async def back() -> None:
        nonlocal said
        if said:
            said = False
            log.info("%s", HanError("server.nats_back"))

    try:
        async with asyncio.timeout(timeout_s):
            return await nats.connect(
                list(urls),
                name=name,
                max_reconnect_attempts=-1,
                reconnect_time_wait=0.5,
                connect_timeout=3,
                error_cb=error,
                reconnected_cb=back,
            )
    except (TimeoutError, nats.errors.Error, OSError):
        raise ServerError("server.nats_unreachable", urls=",".join(urls)) from None
