"""Readings of a simulated meter, and a gateway's upstream sink run on its own event loop."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from hanport.model import Reading
from hanport.mqtt.settings import mqtt_settings
from hanport.runtime.hub import Subscription
from hanport.store import Store, open_store
from hanport.upstream.settings import UpstreamSettings
from hanport.upstream.sink import UpstreamSink

ZONE = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 1, 10, 8, 0, tzinfo=ZONE)


def meter_readings(count: int, meter: str = "LGF5E360-1", start: datetime = START) -> list[Reading]:
    return [
        Reading(
            meter_id=meter,
            meter_model="LGF5E360",
            meter_time=start + timedelta(seconds=10 * i),
            received_at=(start + timedelta(seconds=10 * i, milliseconds=120)).astimezone(UTC),
            power_import_w=2000 + i % 97,
            power_export_w=0,
            voltage_l1_v=Decimal("228.9") + Decimal(i % 7) / 10,
            current_l1_a=Decimal("3.25"),
            energy_import_wh=4_215_305 + i,
        )
        for i in range(count)
    ]


@dataclass
class _View:
    store: Store


class Gateway:
    """The upstream sink of one gateway, with its own database, in a thread of its own."""

    def __init__(
        self, database: Path, url: str, site: str, resend_s: int = 5, ca_file: Path | None = None
    ) -> None:
        raw = {"url": (url, "upstream.url"), "client_id": (site, "")}
        if ca_file is not None:
            raw["ca_file"] = (str(ca_file), "upstream.ca_file")
        broker = mqtt_settings(raw)  # type: ignore[arg-type]
        assert broker is not None
        self.settings = UpstreamSettings(broker, site, outbox_max=1_000_000, resend_s=resend_s)
        self.database = database
        self.readings = Subscription("upstream", 100_000)
        self.sink = UpstreamSink(self.settings, str(database))
        self._loop = asyncio.new_event_loop()
        self._task: asyncio.Task[None] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = threading.Event()
        self._thread.start()
        self._started.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        view = _View(open_store(str(self.database), ZONE))
        self._task = self._loop.create_task(self.sink.run(self.readings, view))  # type: ignore[arg-type]
        self._started.set()
        try:
            self._loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        finally:
            view.store.close()
            self._loop.close()

    def send(self, readings: list[Reading]) -> None:
        for reading in readings:
            self._loop.call_soon_threadsafe(self.readings.offer, reading)

    def outbox_size(self) -> int:
        link = self.sink.link
        return -1 if link is None else len(link.outbox)

    def state(self) -> str:
        """Where the gateway's link stands, for a failing test's message."""
        link = self.sink.link
        if link is None:
            return "gateway: no link"
        box = link.outbox
        return (
            f"gateway: outbox {len(box)} ({box.first_number}..{box.next_number}), "
            f"published {box.published}, confirmed {link.confirmed}, "
            f"acks received {link.acks_received}"
        )

    def stop(self) -> None:
        """Like a power cut for this process's part: cancelled where it stands."""
        if self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(15)
        assert not self._thread.is_alive()
