"""The OCPP central system against the `ocpp` package's own ChargePoint, 1.6 and 2.0.1, on
loopback over websockets: messages in, profiles out, credentials, TLS, refusals, losses."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from mqtt_broker import make_tls
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from hanport.ev.charger import Fleet
from hanport.ev.charger_settings import ChargerSettings
from hanport.ev.ocpp_link import StationLink
from hanport.ev.ocpp_server import OcppServer, charge_point_id, tls_context

from .ocpp_station import Sim16, Sim201, basic, station

D = Decimal


async def until(check: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def serve(
    scenario: Callable[[str, Fleet], Awaitable[None]],
    chargers: dict[str, ChargerSettings] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    **options: Any,
) -> None:
    async def main() -> None:
        fleet = Fleet()
        server = OcppServer(
            "127.0.0.1",
            0,
            fleet,
            chargers=chargers,
            ssl_context=ssl_context,
            failsafe_a=D(0),
            **options,
        )
        port: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(server.run(port.set_result))
        scheme = "wss" if ssl_context else "ws"
        try:
            await scenario(f"{scheme}://127.0.0.1:{await port}/ocpp", fleet)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    asyncio.run(main())


def link(fleet: Fleet, charger_id: str) -> StationLink:
    found = fleet.get(charger_id)
    assert isinstance(found, StationLink)
    return found


def test_the_charge_point_id_is_the_last_part_of_the_path() -> None:
    assert charge_point_id("/ocpp/garage") == "garage"
    assert charge_point_id("/garage%20box/") == "garage box"
    assert charge_point_id("/") == ""


def test_an_ocpp_1_6_wallbox_from_boot_to_the_end_of_a_session() -> None:
    async def scenario(url: str, fleet: Fleet) -> None:
        async with station(Sim16, url, "garage") as sim:
            boot = await sim.boot()
            assert (boot.status, boot.interval) == ("Accepted", 60)
            await until(lambda: len(fleet) == 1)
            charger = link(fleet, "garage")
            await sim.status("Preparing")
            transaction = await sim.start_transaction(10_000)
            await sim.status("Charging")
            await sim.meter([10.0, 10.1, 9.9], 10_750, transaction)
            report = charger.report()
            assert (report.vehicle, report.current_a, report.session_wh) == (
                "charging",
                (D("10.0"), D("10.1"), D("9.9")),
                D(750),
            )
            assert report.power_w == 6900  # 30.0 A × 230 V
            assert report.detail == "hanport Sim, firmware 1.0"
            charger.set_limit(D("13.27"), 3, datetime.now(UTC))
            await until(lambda: len(sim.profiles) == 2)
            live, fallback = sim.profiles  # the live limit first, then the standing fallback
            assert (live["stack_level"], live["charging_profile_purpose"]) == (
                1,
                "ChargePointMaxProfile",
            )
            assert live["charging_schedule"]["charging_schedule_period"][0]["limit"] == D("13.2")
            assert "valid_to" in live
            assert (fallback["connector_id"], fallback["stack_level"]) == (0, 0)
            assert fallback["charging_schedule"]["charging_schedule_period"][0]["limit"] == 0
            assert "valid_to" not in fallback
            await until(lambda: charger.report().limit_a == D("13.2"))
            assert sim.config["MeterValuesSampledData"].startswith("Current.Import")
            await sim.stop_transaction(12_000, transaction)
            assert (charger.report().vehicle, charger.report().session_wh) == ("absent", D(2000))
        await until(lambda: len(fleet) == 0)  # gone with its connection

    serve(scenario)


def test_an_ocpp_2_0_1_station_with_a_transaction_event() -> None:
    async def scenario(url: str, fleet: Fleet) -> None:
        async with station(Sim201, url, "drive") as sim:
            await sim.boot()
            await until(lambda: len(fleet) == 1)
            charger = link(fleet, "drive")
            assert charger.version == "2.0.1"
            await sim.status("Occupied")
            await sim.transaction("Started", 0, [0, 0, 0], 5000, state="EVConnected")
            assert charger.report().vehicle == "connected"
            await sim.transaction("Updated", 1, [15.5, 15.6, 15.4], 5400)
            report = charger.report()
            assert (report.vehicle, report.current_a, report.session_wh) == (
                "charging",
                (D("15.5"), D("15.6"), D("15.4")),
                D(400),
            )
            charger.set_limit(D(8), 1, datetime.now(UTC))
            await until(lambda: len(sim.profiles) == 2)
            live = sim.profiles[0]
            assert (live["evse_id"], live["charging_profile_purpose"]) == (
                0,
                "ChargingStationMaxProfile",
            )
            period = live["charging_schedule"][0]["charging_schedule_period"][0]
            assert (period["limit"], period["number_phases"]) == (8, 1)
            await until(lambda: len(sim.variables) == 2)
            await sim.transaction("Ended", 2, [0, 0, 0], 6000, state="Idle")
            assert charger.report().vehicle == "absent"

    serve(scenario)


def test_a_station_that_refuses_the_station_wide_profile_gets_tx_default_profiles() -> None:
    async def scenario(url: str, fleet: Fleet) -> None:
        async with station(Sim16, url, "old", refuse_station_max=True) as sim:
            await until(lambda: len(fleet) == 1)
            link(fleet, "old").set_limit(D(10), 3, datetime.now(UTC))
            await until(lambda: len(sim.profiles) == 2)
            assert [(p["charging_profile_purpose"], p["stack_level"]) for p in sim.profiles] == [
                ("TxDefaultProfile", 1),
                ("TxDefaultProfile", 0),
            ]
            transaction = await sim.start_transaction(0)
            await until(lambda: len(sim.profiles) == 3)
            assert sim.profiles[2]["charging_profile_purpose"] == "TxProfile"
            assert sim.profiles[2]["transaction_id"] == transaction

    serve(scenario)


def test_the_live_limit_is_refreshed_only_while_the_controller_confirms_it() -> None:
    async def scenario(url: str, fleet: Fleet) -> None:
        async with station(Sim16, url, "garage") as sim:
            await until(lambda: len(fleet) == 1)
            charger = link(fleet, "garage")
            for _ in range(60):  # the controller's ticks, for 1.2 s
                charger.set_limit(D(16), 3, datetime.now(UTC))
                await asyncio.sleep(0.02)
            refreshed = len(sim.profiles)
            assert refreshed >= 4  # live + fallback, then refreshes every TTL / 3 = 0.2 s
            assert {p["stack_level"] for p in sim.profiles[2:]} == {1}
            await asyncio.sleep(1.0)  # the controller went quiet: no refresh keeps it alive
            assert len(sim.profiles) <= refreshed + 2

    serve(scenario, ttl_s=0.6)


def test_listed_chargers_need_their_password_and_others_get_the_defaults() -> None:
    listed = {"garage": ChargerSettings("garage", password="s3cret")}

    async def scenario(url: str, fleet: Fleet) -> None:
        for headers in (None, basic("garage", "wrong"), basic("intruder", "s3cret")):
            with pytest.raises(InvalidStatus, match="401"):
                await connect(
                    f"{url}/garage",
                    subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                    additional_headers=headers,
                )
        async with station(Sim16, url, "garage", headers=basic("garage", "s3cret")):
            await until(lambda: fleet.get("garage") is not None)
        async with station(Sim201, url, "visitor"):
            await until(lambda: fleet.get("visitor") is not None)

    serve(scenario, chargers=listed)


def test_a_client_without_an_ocpp_subprotocol_is_refused() -> None:
    async def scenario(url: str, fleet: Fleet) -> None:
        with pytest.raises(InvalidStatus, match="400"):
            await connect(f"{url}/garage", subprotocols=["chat"])  # type: ignore[list-item]
        assert len(fleet) == 0

    serve(scenario)


def test_security_profile_2_basic_auth_over_tls(tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    client = ssl.create_default_context(cafile=str(tls.ca_file))
    listed = {"garage": ChargerSettings("garage", password="s3cret")}

    async def scenario(url: str, fleet: Fleet) -> None:
        assert url.startswith("wss://")
        async with station(
            Sim16, url, "garage", headers=basic("garage", "s3cret"), ssl_context=client
        ) as sim:
            await sim.boot()
            await until(lambda: fleet.get("garage") is not None)

    serve(scenario, chargers=listed, ssl_context=tls_context(str(tls.cert_file), str(tls.key_file)))
