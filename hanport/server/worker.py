"""One ingest worker: fetch a batch from the durable consumer, write it in one transaction,
report it, and only then acknowledge it. A worker killed at any point loses nothing: what it
had not acknowledged comes again (`ack_wait_s`) and is written again, to the same keys.

Run by `hanport server` as `python -m hanport.server.worker '<settings JSON>' <number>`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout

from hanport.i18n import text
from hanport.server.ingest import decode, report
from hanport.server.settings import ServerSettings
from hanport.server.stream import COMMITTED, SUBJECTS
from hanport.store import Store, open_store

__all__ = ["run_worker"]

log = logging.getLogger("hanport.server.worker")


async def run_worker(settings: ServerSettings, number: int, store: Store) -> None:
    client = await nats.connect(
        list(settings.nats),
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        name=f"hanport-worker-{number}",
    )
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
            await _ingest(client, store, messages, number, bad_said)
    finally:
        await client.close()


async def _ingest(
    client: Client, store: Store, messages: list[Msg], number: int, bad_said: set[str]
) -> None:
    rows = [(m.metadata.sequence.stream, m.subject, m.data) for m in messages]
    decoded = decode(rows)
    if decoded.readings:
        await asyncio.to_thread(store.write, decoded.readings)
    now = time.time()
    good = [m for i, m in enumerate(messages) if i not in {b for b, _ in decoded.bad}]
    lags = [int((now - m.metadata.timestamp.timestamp()) * 1000) for m in good]
    await client.publish(COMMITTED, report(decoded.committed, lags, number))
    for index, error in decoded.bad:
        if error.code not in bad_said:
            bad_said.add(error.code)
            log.warning("%s", error)
        await messages[index].term()
    for message in good:
        await message.ack()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    raw = json.loads(sys.argv[1])
    raw["nats"] = tuple(raw["nats"])
    settings = ServerSettings(**raw)
    number = int(sys.argv[2])
    from zoneinfo import ZoneInfo

    store = open_store(settings.database, ZoneInfo(settings.zone))
    log.info("%s", text("server.worker_started", "en", number=number))
    try:
        asyncio.run(run_worker(settings, number, store))
    except KeyboardInterrupt:
        pass
    finally:
        store.close()


if __name__ == "__main__":
    main()
