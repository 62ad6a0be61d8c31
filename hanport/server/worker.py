"""One ingest worker: fetch a batch from the durable consumer, write it in one transaction,
report it, and only then acknowledge it. A worker killed at any point loses nothing: what it
had not acknowledged comes again (`ack_wait_s`) and is written again, to the same keys.

Run by `hanport server` as `python -m hanport.server.worker '<settings JSON>' <number>`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import time
from collections.abc import Callable

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout

from hanport.errors import HanError
from hanport.i18n import text
from hanport.model import Reading
from hanport.server.connect import connect
from hanport.server.ingest import decode, report
from hanport.server.settings import ServerSettings
from hanport.server.stream import COMMITTED, STORE_STATE, SUBJECTS
from hanport.store import Store, open_store

__all__ = ["main", "run_worker"]

log = logging.getLogger("hanport.server.worker")
RETRY_S = 2.0
"""After the database failed: the batch comes again after this long, and the worker waits too."""


class _Database:
    """The store, opened again after it failed (a database restarted, a network cut)."""

    def __init__(self, opener: Callable[[], Store]) -> None:
        self._open = opener
        self._store: Store | None = None
        self._failing = False

    def write(self, readings: list[Reading]) -> bool:
        """Whether `readings` are committed; on failure one sentence per outage, no raise."""
        try:
            if self._store is None:
                self._store = self._open()
            self._store.write(readings)
        except Exception as error:  # any driver's failure: said once, then retried
            if not self._failing:
                log.error("%s", text("server.store_failed", "en", error=_reason(error)))
            self._failing = True
            self.close()
            return False
        if self._failing:
            log.info("%s", text("server.store_back", "en"))
            self._failing = False
        return True

    def close(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()


def _reason(error: BaseException) -> str:
    """What the driver said: a store's own sentence gives its `error` (the sentence above says
    the rest; one sentence inside another reads badly), any other error its first line."""
    if isinstance(error, HanError) and "error" in error.params:
        said = str(error.params["error"]).strip()
    else:
        said = str(error).strip()
    return said.splitlines()[0][:300] if said else type(error).__name__


async def run_worker(settings: ServerSettings, number: int, database: _Database) -> None:
    client = await connect(settings.nats, f"hanport-worker-{number}", timeout_s=3600.0)
    js = client.jetstream()
    subscription = await js.pull_subscribe(
        SUBJECTS[0], durable=settings.consumer, stream=settings.stream
    )
    bad_said: set[str] = set()
    try:
        while True:
            try:
                messages = await subscription.fetch(settings.batch, timeout=1.0)
            except (NatsTimeout, TimeoutError):
                continue
            except nats.errors.Error:
                await asyncio.sleep(0.5)
                continue
            if not await _ingest(client, database, messages, number, bad_said):
                with contextlib.suppress(nats.errors.Error):
                    await client.publish(
                        STORE_STATE, json.dumps({"w": number, "ok": False}).encode()
                    )
                await asyncio.sleep(RETRY_S)
    finally:
        await client.close()


async def _ingest(
    client: Client, database: _Database, messages: list[Msg], number: int, bad_said: set[str]
) -> bool:
    rows = [(m.metadata.sequence.stream, m.subject, m.data) for m in messages]
    decoded = decode(rows)
    bad = {index for index, _ in decoded.bad}
    good = [m for i, m in enumerate(messages) if i not in bad]
    if decoded.readings and not await asyncio.to_thread(database.write, decoded.readings):
        for message in good:  # not committed: they come again after RETRY_S
            await message.nak(delay=RETRY_S)
        return False
    now = time.time()
    lags = [int((now - m.metadata.timestamp.timestamp()) * 1000) for m in good]
    await client.publish(COMMITTED, report(decoded.committed, lags, number))
    for index, error in decoded.bad:
        if error.code not in bad_said:
            bad_said.add(error.code)
            log.warning("%s", error)
        await messages[index].term()
    for message in good:
        await message.ack()
    return True


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    raw = json.loads(sys.argv[1])
    raw["nats"] = tuple(raw["nats"])
    settings = ServerSettings(**raw)
    number = int(sys.argv[2])
    from zoneinfo import ZoneInfo

    database = _Database(lambda: open_store(settings.database, ZoneInfo(settings.zone)))
    log.info("%s", text("server.worker_started", "en", number=number))
    try:
        asyncio.run(run_worker(settings, number, database))
    except KeyboardInterrupt:
        pass
    finally:
        database.close()


if __name__ == "__main__":
    main()
