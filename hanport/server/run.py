"""`hanport server`: the stream first, then the workers, the watermarks, /healthz and /metrics.

Every half second the consumer's ack floor is read; the sites whose watermarks moved get
`hanport/v1/<site>/ack` at once, and every site gets it again every `REPEAT_S` (a gateway
that was away learns where the server is without waiting for a new reading).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Iterator

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from starlette.types import ASGIApp

from hanport.i18n import text
from hanport.server.connect import ServerError, connect
from hanport.server.http import make_app
from hanport.server.ingest import parse_report, site_meter
from hanport.server.live import SiteHub
from hanport.server.metrics import Metrics
from hanport.server.settings import ServerSettings
from hanport.server.silence import Silence
from hanport.server.stream import COMMITTED, STORE_STATE, ensure_consumer, ensure_stream
from hanport.server.watermarks import Watermarks
from hanport.server.workers import Workers
from hanport.store import missing_file, open_store
from hanport.upstream.wire import ack_payload

__all__ = ["Server", "ServerError", "serve"]

log = logging.getLogger("hanport.server")
TICK_S = 0.5
REPEAT_S = 30.0
STUCK_ACK_WAITS = 5
SITES_PER_LINE = 10
STORE_FAILURE_S = 15.0


class Server:
    def __init__(
        self, settings: ServerSettings, web: ASGIApp | None = None, feed: SiteHub | None = None
    ) -> None:
        self.settings = settings
        self.web = web
        """The app and its API, served beside /healthz and /metrics."""
        self.feed = feed
        """The app's live readings, given the NATS connection once it is up."""
        self.metrics = Metrics()
        self.watermarks = Watermarks()
        self.silence = Silence(settings.silent_min * 60)
        self.workers = Workers(settings, self.metrics)
        self.client: Client | None = None
        self.ready = False
        self._store_failed_at: dict[int, float] = {}
        self._floor = -1
        self._floor_since = time.monotonic()

    async def run(self) -> None:
        urls = ",".join(self.settings.nats)
        self.client = client = await connect(self.settings.nats, "hanport-server")
        js = client.jetstream()
        try:
            await ensure_stream(js, self.settings)
            await ensure_consumer(js, self.settings)
        except nats.errors.Error as error:
            await client.close()
            raise ServerError("server.stream_failed", urls=urls, error=str(error)) from None
        log.info("%s", text("server.stream_ready", "en", stream=self.settings.stream))
        await client.subscribe(COMMITTED, cb=self._report)
        await client.subscribe(STORE_STATE, cb=self._store_state)
        if self.feed is not None:
            self.feed.attach(client)
        self.silence.known(await asyncio.to_thread(_stored_sites, self.settings), time.time())
        self.ready = True
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self.workers.run())
                group.create_task(self._acks(js))
                group.create_task(self._http())
        finally:
            self.ready = False
            await client.close()

    async def _report(self, message: Msg) -> None:
        try:
            worker, committed, lags = parse_report(message.data)
        except (ValueError, KeyError, TypeError):
            return
        self._store_failed_at.pop(worker, None)
        self.watermarks.reported(committed)
        self.metrics.took(worker, len(committed), lags)
        now = time.time()
        for site in {c.site for c in committed}:
            self.silence.heard(site, now)

    async def _store_state(self, message: Msg) -> None:
        try:
            worker = int(json.loads(message.data)["w"])
        except (ValueError, KeyError, TypeError):
            return
        self._store_failed_at[worker] = time.monotonic()

    @property
    def database_ok(self) -> bool:
        """No worker had a batch refused by the database since its last commit (a refusal
        older than `STORE_FAILURE_S` is forgotten: the worker would have said it again)."""
        now = time.monotonic()
        return all(now - at >= STORE_FAILURE_S for at in self._store_failed_at.values())

    async def _acks(self, js: nats.js.JetStreamContext) -> None:
        assert self.client is not None
        repeated = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            try:
                info = await js.consumer_info(self.settings.stream, self.settings.consumer)
            except (nats.errors.Error, TimeoutError):
                continue
            floor = info.ack_floor.stream_seq if info.ack_floor else 0
            await self._unstick(floor, info.num_ack_pending or 0)
            self.metrics.pending = info.num_pending or 0
            self.metrics.ack_pending = info.num_ack_pending or 0
            self.metrics.ack_floor = floor
            self.workers.sample_cpu()
            self.metrics.database_up = self.database_ok
            self._tell_silence()
            moved = self.watermarks.advance(floor)
            if time.monotonic() - repeated >= REPEAT_S:
                moved = set(self.watermarks.sites)
                repeated = time.monotonic()
            for site in moved:
                payload = ack_payload(self.watermarks.sites[site])
                with contextlib.suppress(nats.errors.Error):
                    await self.client.publish(f"hanport.v1.{site}.ack", payload)
                    self.metrics.acks_published += 1

    def _tell_silence(self) -> None:
        changes = self.silence.check(time.time())
        minutes = self.settings.silent_min
        _tell(changes.silent, "server.site_silent", "server.sites_silent", logging.WARNING, minutes)
        _tell(changes.back, "server.site_back", "server.sites_back", logging.INFO, minutes)
        self.metrics.silent_sites = sorted(self.silence.silent)

    async def _unstick(self, floor: int, ack_pending: int) -> None:
        """An ack floor that has not moved for `STUCK_ACK_WAITS` ack waits while readings are
        handed out: ask the consumer's leader to step down, so that a new one hands them out
        again, and start the workers afresh (NATS 2.9 was seen to keep readings handed out, and
        to deliver no more to a worker's pull subscription, after a node's death)."""
        now = time.monotonic()
        if floor != self._floor or not ack_pending:
            self._floor, self._floor_since = floor, now
            return
        if now - self._floor_since < STUCK_ACK_WAITS * self.settings.ack_wait_s:
            return
        assert self.client is not None
        subject = (
            f"$JS.API.CONSUMER.LEADER.STEPDOWN.{self.settings.stream}.{self.settings.consumer}"
        )
        log.warning("%s", text("server.floor_stuck", "en", count=ack_pending))
        with contextlib.suppress(nats.errors.Error, TimeoutError):
            await self.client.request(subject, b"", timeout=5)
        self.workers.recycle()
        self._floor_since = now

    async def _http(self) -> None:
        import uvicorn

        config = uvicorn.Config(
            make_app(self, self.web),
            host=self.settings.listen,
            port=self.settings.port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=2,  # the app's live streams would hold a stop
        )
        await _quiet_server()(config).serve()


def _tell(sites: list[str], one: str, many: str, level: int, minutes: int) -> None:
    """One line per site, or one line for them all when many change at once (a cut network)."""
    if len(sites) <= SITES_PER_LINE:
        for site in sites:
            log.log(level, "%s", text(one, "en", site=site, minutes=minutes))
    else:
        named = ", ".join(sites[:SITES_PER_LINE]) + ", …"
        log.log(level, "%s", text(many, "en", count=len(sites), minutes=minutes, sites=named))


def _stored_sites(settings: ServerSettings) -> set[str]:
    """The sites the store holds readings of (none if it cannot be read now: the workers say
    why), so that a site silent since before the server started is told too."""
    from zoneinfo import ZoneInfo

    if missing_file(settings.database):
        return set()
    try:
        store = open_store(settings.database, ZoneInfo(settings.zone), upgrade=False)
    except Exception:  # any driver's failure; the workers report the database's state
        return set()
    try:
        return {site_meter(info.id)[0] for info in store.meters() if "/" in info.id}
    except Exception:
        return set()
    finally:
        store.close()


def _quiet_server() -> type:
    import uvicorn

    class Quiet(uvicorn.Server):
        """Leaves SIGTERM and Ctrl-C to `serve`."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    return Quiet


def serve(settings: ServerSettings, web: ASGIApp | None = None, feed: SiteHub | None = None) -> int:
    """Run until SIGTERM or Ctrl-C."""
    import signal

    async def main() -> None:
        server = Server(settings, web, feed)
        task = asyncio.create_task(server.run())
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(main())
    return 0
