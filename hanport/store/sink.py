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
) -> None:
    """Run until cancelled; then write what is buffered and return."""
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
            failing = await _commit(store, buffer, failing, max_buffered)
            if prune is not None and time.monotonic() >= next_prune:
                next_prune = time.monotonic() + 3600
                await _prune(prune)
    finally:
        buffer.extend(readings.drain())
        if buffer:
            try:
                store.write(list(buffer))  # shutting down: no thread hop, just write
                buffer.clear()
            except (sqlite3.Error, OSError) as error:
                log.error("%d readings could not be stored at shutdown: %s.", len(buffer), error)


async def _prune(prune: Callable[[], object]) -> None:
    try:
        await asyncio.to_thread(prune)
    except (sqlite3.Error, OSError) as error:
        log.error("Old readings could not be deleted (%s); they are kept for now.", error)


async def _commit(store: Writer, buffer: deque[Reading], failing: bool, max_buffered: int) -> bool:
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
            log.error(
                "Cannot write to the database (%s); readings are kept in memory (up to %d) and "
                "written as soon as it works again: free disk space or fix the file's permissions.",
                error,
                max_buffered,
            )
        return True
    for _ in batch:
        buffer.popleft()
    if failing:
        log.info("The database accepts writes again; %d buffered readings stored.", len(batch))
    return False
