"""The assembled EV control: settings → OCPP central system + go-e + MQTT chargers → limits,
the fail-safe when readings stop, the status for the app, mode changes."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hanport.ev.control import EvControl
from hanport.ev.settings import ev_settings
from hanport.ev.simulation import _reading
from hanport.grid import Site
from hanport.model import Reading
from hanport.mqtt.payloads import Message
from hanport.settings.values import ConfigError

from .fake_goe import FakeGoe
from .ocpp_station import Sim16, station

D = Decimal
TALLINN = ZoneInfo("Europe/Tallinn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def until(check: object, seconds: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def readings(queue: asyncio.Queue[Reading | None]) -> AsyncIterator[Reading]:
    while (reading := await queue.get()) is not None:
        yield reading


def limits(sim: Sim16) -> list[Decimal]:
    return [
        p["charging_schedule"]["charging_schedule_period"][0]["limit"]
        for p in sim.profiles
        if p["stack_level"] == 1
    ]


def test_readings_drive_an_ocpp_wallbox_a_go_e_and_an_mqtt_charger_and_stopping_them_pauses() -> (
    None
):
    async def main() -> None:
        fake = FakeGoe()
        await fake.start()
        port = free_port()
        raw = {
            "ocpp_listen": (f"127.0.0.1:{port}", "test"),
            "stale_s": ("5", "test"),
            "chargers": (
                [
                    {"id": "garage", "max_a": 16},
                    {
                        "id": "drive",
                        "kind": "go-e",
                        "address": f"127.0.0.1:{fake.port}",
                        "max_a": 10,
                    },
                    {"id": "evse", "kind": "mqtt", "topic": "evse/set"},
                ],
                "test",
            ),
        }
        published: list[Message] = []
        control = EvControl(ev_settings(raw), Site(), TALLINN, publish=published.append)  # type: ignore[arg-type]
        queue: asyncio.Queue[Reading | None] = asyncio.Queue()
        task = asyncio.create_task(control.run(readings(queue), tick_s=0.05))
        await until(lambda: listening(port))
        try:
            async with station(Sim16, f"ws://127.0.0.1:{port}", "garage") as sim:
                await sim.boot()
                await sim.status("Charging")
                await until(lambda: limits(sim))  # no reading yet: the fail-safe, 0 A
                assert limits(sim)[-1] == 0
                for _ in range(3):
                    queue.put_nowait(_reading((0.5, 0.5, 0.5), datetime.now(UTC)))  # 7.8 A each
                    await asyncio.sleep(0.1)
                await until(lambda: limits(sim)[-1] > 0)
                await until(lambda: any(s.get("frc") == "2" for s in fake.sets))
                await until(
                    lambda: any(
                        m.topic == "evse/set/current_a" and m.payload != "0" for m in published
                    )
                )
                status = control.status("et")
                assert status["meter"] == {"fresh": True, "age_s": 0}
                garage = next(c for c in status["chargers"] if c["id"] == "garage")  # type: ignore[attr-defined]
                assert garage["kind"] == "ocpp 1.6"
                assert garage["reason"]["text"]
                assert [p["phase"] for p in status["phases"]] == [1, 2, 3]  # type: ignore[attr-defined]
                assert control.log.latest(1)
                await until(lambda: limits(sim)[-1] == 0, seconds=10)  # readings stopped: 5 s
                assert control.controller.freshness.stale
                await until(lambda: fake.sets[-1] == {"frc": "1"})
        finally:
            queue.put_nowait(None)
            await asyncio.wait_for(task, 5)
            await fake.stop()

    asyncio.run(main())


def test_the_mode_and_departure_can_be_changed_and_wrong_values_are_one_sentence() -> None:
    control = EvControl(ev_settings({}), Site(), TALLINN)
    control.set_mode("cheapest", departure="06:30")
    assert (control.mode, control.settings.departure) == ("cheapest", "06:30")
    mode = control.controller.mode_at(datetime(2026, 1, 15, 12, tzinfo=UTC))
    assert mode.departure == datetime(2026, 1, 16, 6, 30, tzinfo=TALLINN)  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="The mode must be one of guard, surplus"):
        control.set_mode("turbo")
    with pytest.raises(ConfigError, match="must be a time of day like 07:00"):
        control.set_mode("guard", departure="soon")


def test_an_mqtt_charger_without_a_broker_is_one_sentence() -> None:
    raw = {"chargers": ([{"id": "evse", "kind": "mqtt"}], "test")}
    with pytest.raises(ConfigError, match="add \\[mqtt\\] url to the settings"):
        EvControl(ev_settings(raw), Site(), TALLINN)  # type: ignore[arg-type]


def test_a_charger_on_a_phase_the_site_does_not_have_is_one_sentence() -> None:
    raw = {"chargers": ([{"id": "garage"}], "test")}
    with pytest.raises(ConfigError, match="wired to L3, but the site has 1 phase"):
        EvControl(ev_settings(raw), Site(phases=1), TALLINN)  # type: ignore[arg-type]
    single = EvControl(ev_settings({}), Site(phases=1), TALLINN)
    assert single.controller.spec("visitor").wiring == (1,)
