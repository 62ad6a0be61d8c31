"""The app's live readings on `hanport server`: each browser's stream gets its own sites'
readings from NATS as the gateways send them, and nothing of another site."""

from __future__ import annotations

import asyncio
from pathlib import Path

import nats
from nats_cluster import SoloNats
from upstream_gateway import meter_readings

from hanport.runtime.hub import Hub, Subscription
from hanport.server.live import SiteHub
from hanport.upstream.wire import reading_payload


async def _next(subscription: Subscription) -> str | None:
    try:
        reading = await asyncio.wait_for(subscription.get(), 2)
    except TimeoutError:
        return None
    return reading.meter_id


def test_a_stream_gets_its_sites_readings_and_only_those(tmp_path: Path) -> None:
    node = SoloNats(tmp_path / "nats")

    async def scenario() -> None:
        client = await nats.connect(f"nats://ops:ops@127.0.0.1:{node.node.client_port}")
        hub = SiteHub()
        early = hub.subscribe("browser", 10, frozenset({"home-a"}))
        hub.attach(client)
        other = hub.subscribe("browser", 10, frozenset({"home-b"}))
        nobody = hub.subscribe("browser", 10, frozenset())
        await asyncio.sleep(0.3)
        assert hub.watched == ["home-a", "home-b"]
        reading = reading_payload(meter_readings(1)[0]).encode()
        await client.publish("hanport.v1.home-a.LGF5E360-1.reading", reading)
        await client.publish("hanport.v1.home-b.LGF5E360-9.reading", reading)
        await client.publish("hanport.v1.home-a.LGF5E360-1.reading", b"{not json")
        assert await _next(early) == "home-a/LGF5E360-1"
        assert await _next(other) == "home-b/LGF5E360-9"
        assert await _next(early) is None  # the bad payload is never shown
        assert await _next(nobody) is None
        assert hub.latest is None  # no one reading "now" for every caller
        hub.unsubscribe(early)
        await asyncio.sleep(0.3)
        assert hub.watched == ["home-b"]
        await client.publish("hanport.v1.home-a.LGF5E360-1.reading", reading)
        assert early.pending() == 0
        await client.close()

    try:
        asyncio.run(asyncio.wait_for(scenario(), 30))
    finally:
        node.stop()


def test_the_household_hub_ignores_sites() -> None:
    hub = Hub()
    subscription = hub.subscribe("browser", 10, frozenset({"home-a"}))
    hub.publish(meter_readings(1)[0])
    assert subscription.pending() == 1
