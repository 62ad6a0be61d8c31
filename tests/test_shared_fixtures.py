"""The shared fixtures of tests/conftest.py work from any test folder."""

from __future__ import annotations

from datetime import timedelta

from mqtt_broker import Broker
from webapp import WebApp

import hanport
from hanport.runtime.hub import Hub
from hanport.sim.home import HomeSimulator
from hanport.store import Store


def test_hub_store_app_and_broker_are_at_hand(
    hub: Hub, store: Store, app: WebApp, broker: Broker
) -> None:
    simulator = HomeSimulator(seed=2)
    readings = hanport.decode(b"".join(simulator.next_telegram() for _ in range(3)))
    for reading in readings:
        hub.publish(reading)
    assert hub.latest == readings[-1]
    store.write(readings)
    (meter,) = store.meters()
    first = readings[0].meter_time
    assert first is not None
    assert len(store.readings(meter.id, first, first + timedelta(minutes=1))) == 3
    assert app.readings
    assert app.context.view.store is not store
    assert broker.url.startswith("mqtt://127.0.0.1:")
