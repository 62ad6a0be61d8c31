"""The storage sink: readings from the hub, committed in batches every few seconds.

A write that fails (full disk, read-only file, locked database) is said once, in one sentence;
the readings stay in memory, up to a bound, and are written as soon as the store accepts them
again. On shutdown (cancellation) everything accepted is written before the sink returns.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

from hanport.i18n import text
from hanport.model import Reading

__all__ = ["Subscription", "Writer", "run_store_sink"]

log = logging.getLogger(__name__)


class Writer(Protocol):
    """What the sink needs of a store (`hanport.store.Store` has it)."""

    def write(self, readings: Sequence[Reading]) -> None: ...


class Subscription(Protocol):
    """The readings, as the runtime's hub hands them to a sink."""

    async def get(self) -> Reading: ...

    def drain(self) -> list[Reading]: ...


async def run_store_sink(
    readings: Subscription,
    store: Writer,
    *,
    commit_every_s: float = 10.0,
    max_buffered: int = 7 * 8640,
    prune: Callable[[], object] | None = None,
    language: str | None = None,
) -> None:
    """Run until cancelled; then write what is buffered and return. `language`: of the lines
    it logs (by default the subscription's, else English)."""
    said = language or str(getattr(readings, "language", "en"))
    buffer: deque[Reading] = deque(maxlen=max_buffered)
    failing = False
    next_commit = time.monotonic() + commit_every_s
    next_prune = time.monotonic()
    try:
        while True:
            timeout = max(next_commit - time.monotonic(), 0)
            try:
                async with asyncio.timeout(timeout):  # never swallows a cancel, unlike wait_for
                    buffer.append(await readings.get())
                continue
            except TimeoutError:
                pass
            next_commit = time.monotonic() + commit_every_s
            failing = await _commit(store, buffer, failing, max_buffered, said)
            if prune is not None and time.monotonic() >= next_prune:
                next_prune = time.monotonic() + 3600
                await _prune(prune, said)
    finally:
        buffer.extend(readings.drain())
        if buffer:
            try:
                store.write(list(buffer))  # shutting down: no thread hop, just write
                buffer.clear()
            except (sqlite3.Error, OSError) as error:
                log.error("%s", text("store.unsaved_at_stop", said, count=len(buffer), error=error))


async def _prune(prune: Callable[[], object], language: str) -> None:
    try:
        await asyncio.to_thread(prune)
    except (sqlite3.Error, OSError) as error:
        log.error("%s", text("store.prune_failed", language, error=error))


async def _commit(
    store: Writer, buffer: deque[Reading], failing: bool, max_buffered: int, language: str
) -> bool:
    if not buffer:
        return failing
    batch = list(buffer)
    write = asyncio.ensure_future(asyncio.to_thread(store.write, batch))
    try:
        await asyncio.shield(write)
    except asyncio.CancelledError:
        await asyncio.wait({write})  # the thread holds the connection: let it finish first
        if write.exception() is None:
            for _ in batch:
                buffer.popleft()
        raise
    except (sqlite3.Error, OSError) as error:
        if not failing:
            log.error("%s", text("store.write_failing", language, error=error, kept=max_buffered))
        return True
    for _ in batch:
        buffer.popleft()
    if failing:
        log.info("%s", text("store.writes_again", language, count=len(batch)))
    return False
