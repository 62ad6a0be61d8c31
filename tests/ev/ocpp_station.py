"""Simulated OCPP stations: the `ocpp` package's own ChargePoint (1.6 and 2.0.1) as a client."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v16.enums import Action as Action16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from ocpp.v201.enums import Action as Action201
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Sim16(ChargePoint16):
    """A 1.6 wallbox that installs every profile it is sent (or refuses ChargePointMax)."""

    def __init__(self, cp_id: str, connection: Any, refuse_station_max: bool = False) -> None:
        super().__init__(cp_id, connection)
        self.profiles: list[dict[str, Any]] = []
        self.config: dict[str, str] = {}
        self.refuse_station_max = refuse_station_max

    @on(Action16.set_charging_profile)
    def on_profile(self, connector_id: int, cs_charging_profiles: dict[str, Any]) -> Any:
        purpose = cs_charging_profiles["charging_profile_purpose"]
        if self.refuse_station_max and purpose == "ChargePointMaxProfile":
            return result16.SetChargingProfile(status="Rejected")
        self.profiles.append({"connector_id": connector_id, **cs_charging_profiles})
        return result16.SetChargingProfile(status="Accepted")

    @on(Action16.change_configuration)
    def on_config(self, key: str, value: str) -> Any:
        self.config[key] = value
        return result16.ChangeConfiguration(status="Accepted")

    async def boot(self) -> Any:
        return await self.call(
            call16.BootNotification(
                charge_point_model="Sim", charge_point_vendor="hanport", firmware_version="1.0"
            )
        )

    async def status(self, status: str, connector: int = 1) -> None:
        await self.call(
            call16.StatusNotification(
                connector_id=connector, error_code="NoError", status=status, timestamp=now()
            )
        )

    async def start_transaction(self, meter_wh: int) -> int:
        result = await self.call(
            call16.StartTransaction(
                connector_id=1, id_tag="car", meter_start=meter_wh, timestamp=now()
            )
        )
        return int(result.transaction_id)

    async def meter(self, amps: list[float], energy_wh: int, transaction: int) -> None:
        samples: list[dict[str, Any]] = [
            {"value": str(a), "measurand": "Current.Import", "phase": f"L{i + 1}", "unit": "A"}
            for i, a in enumerate(amps)
        ]
        samples.append(
            {
                "value": f"{energy_wh / 1000}",
                "measurand": "Energy.Active.Import.Register",
                "unit": "kWh",
            }
        )
        samples.append(
            {"value": str(round(sum(amps) * 230)), "measurand": "Power.Active.Import", "unit": "W"}
        )
        await self.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=transaction,
                meter_value=[{"timestamp": now(), "sampled_value": samples}],
            )
        )

    async def stop_transaction(self, meter_wh: int, transaction: int) -> None:
        await self.call(
            call16.StopTransaction(meter_stop=meter_wh, timestamp=now(), transaction_id=transaction)
        )


class Sim201(ChargePoint201):
    """A 2.0.1 charging station that installs every profile it is sent."""

    def __init__(self, cp_id: str, connection: Any) -> None:
        super().__init__(cp_id, connection)
        self.profiles: list[dict[str, Any]] = []
        self.variables: list[dict[str, Any]] = []

    @on(Action201.set_charging_profile)
    def on_profile(self, evse_id: int, charging_profile: dict[str, Any], **_: Any) -> Any:
        self.profiles.append({"evse_id": evse_id, **charging_profile})
        return result201.SetChargingProfile(status="Accepted")

    @on(Action201.set_variables)
    def on_variables(self, set_variable_data: list[dict[str, Any]], **_: Any) -> Any:
        self.variables += set_variable_data
        results = [
            {"attribute_status": "Accepted", "component": d["component"], "variable": d["variable"]}
            for d in set_variable_data
        ]
        return result201.SetVariables(set_variable_result=results)

    async def boot(self) -> Any:
        station = {"vendor_name": "hanport", "model": "Sim201", "firmware_version": "2.0"}
        return await self.call(call201.BootNotification(charging_station=station, reason="PowerUp"))

    async def status(self, status: str) -> None:
        await self.call(
            call201.StatusNotification(
                timestamp=now(), connector_status=status, evse_id=1, connector_id=1
            )
        )

    async def transaction(
        self, event: str, seq: int, amps: list[float], energy_wh: int, state: str = "Charging"
    ) -> None:
        samples: list[dict[str, Any]] = [
            {"value": a, "measurand": "Current.Import", "phase": f"L{i + 1}"}
            for i, a in enumerate(amps)
        ]
        samples.append(
            {
                "value": energy_wh,
                "measurand": "Energy.Active.Import.Register",
                "unit_of_measure": {"unit": "Wh"},
            }
        )
        await self.call(
            call201.TransactionEvent(
                event_type=event,
                timestamp=now(),
                trigger_reason="MeterValuePeriodic",
                seq_no=seq,
                transaction_info={"transaction_id": "tx-1", "charging_state": state},
                meter_value=[{"timestamp": now(), "sampled_value": samples}],
                evse={"id": 1, "connector_id": 1},
            )
        )


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@contextlib.asynccontextmanager
async def station(
    kind: type[Sim16] | type[Sim201],
    url: str,
    cp_id: str,
    headers: dict[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    **options: Any,
) -> AsyncIterator[Any]:
    """A connected simulated station, serving in the background."""
    protocol = Subprotocol("ocpp1.6" if kind is Sim16 else "ocpp2.0.1")
    connection: ClientConnection = await connect(
        f"{url}/{cp_id}",
        subprotocols=[protocol],
        additional_headers=headers,
        ssl=ssl_context,
    )
    sim = kind(cp_id, connection, **options)
    task = asyncio.create_task(sim.start())
    try:
        yield sim
    finally:
        await connection.close()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
