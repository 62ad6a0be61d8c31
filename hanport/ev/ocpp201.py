"""The central system's side of one OCPP 2.0.1 station (the `ocpp` package's ChargePoint)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ocpp.routing import on
from ocpp.v201 import ChargePoint, call, call_result
from ocpp.v201.enums import Action

from hanport.ev.meter_values import read_meter_values
from hanport.ev.model import Vehicle
from hanport.ev.ocpp16 import SAMPLED
from hanport.ev.ocpp_link import StationLink
from hanport.ev.profiles import Profile, v201_request

__all__ = ["Station201"]

_CONNECTOR: dict[str, Vehicle] = {
    "Available": "absent",
    "Occupied": "connected",
    "Reserved": "absent",
    "Unavailable": "fault",
    "Faulted": "fault",
}
_CHARGING: dict[str, Vehicle] = {
    "Charging": "charging",
    "EVConnected": "connected",
    "SuspendedEV": "suspended_ev",
    "SuspendedEVSE": "connected",
    "Idle": "absent",
}
_ACCEPTED = {"status": "Accepted"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Station201(ChargePoint):
    def __init__(
        self, charger_id: str, connection: Any, link: StationLink, heartbeat_s: int
    ) -> None:
        super().__init__(charger_id, connection)
        self.link = link
        self.heartbeat_s = heartbeat_s
        link.send = self.send_profile

    async def send_profile(self, profile: Profile) -> str:
        result = await self.call(v201_request(profile), suppress=False)
        return str(result.status)

    @on(Action.boot_notification)
    def on_boot(self, charging_station: Mapping[str, Any], reason: str, **_: Any) -> Any:
        station = f"{charging_station.get('vendor_name', '')} {charging_station.get('model', '')}"
        firmware = charging_station.get("firmware_version") or "?"
        self.link.booted(f"{station.strip()}, firmware {firmware}")
        return call_result.BootNotification(
            current_time=_now(), interval=self.heartbeat_s, status="Accepted"
        )

    @on(Action.heartbeat)
    def on_heartbeat(self, **_: Any) -> Any:
        return call_result.Heartbeat(current_time=_now())

    @on(Action.authorize)
    def on_authorize(self, id_token: Mapping[str, Any], **_: Any) -> Any:
        return call_result.Authorize(id_token_info=_ACCEPTED)

    @on(Action.status_notification)
    def on_status(self, connector_status: str, evse_id: int, **_: Any) -> Any:
        if evse_id > 0:
            self.link.status(_CONNECTOR.get(connector_status, "unknown"))
        return call_result.StatusNotification()

    @on(Action.transaction_event)
    def on_transaction(
        self, event_type: str, transaction_info: Mapping[str, Any], **extra: Any
    ) -> Any:
        sample = read_meter_values(extra.get("meter_value") or [])
        energy = sample.energy_wh if sample is not None else None
        if event_type == "Started":
            evse = extra.get("evse") or {}
            self.link.started(
                int(evse.get("id", 1)), str(transaction_info["transaction_id"]), energy
            )
        if sample is not None:
            self.link.sampled(sample)
        state = transaction_info.get("charging_state")
        if state in _CHARGING:
            self.link.status(_CHARGING[state])
        if event_type == "Ended":
            self.link.stopped(energy)
        if extra.get("id_token"):
            return call_result.TransactionEvent(id_token_info=_ACCEPTED)
        return call_result.TransactionEvent()

    @on(Action.meter_values)
    def on_meter_values(self, evse_id: int, meter_value: list[Any], **_: Any) -> Any:
        sample = read_meter_values(meter_value)
        if sample is not None and evse_id > 0:
            self.link.sampled(sample)
        return call_result.MeterValues()

    async def configure(self) -> None:
        """Ask for per-phase currents every 10 s during transactions."""
        variables = [
            ("TxUpdatedMeasurands", SAMPLED),
            ("TxUpdatedInterval", "10"),
        ]
        data = [
            {
                "attribute_value": value,
                "component": {"name": "SampledDataCtrlr"},
                "variable": {"name": name},
            }
            for name, value in variables
        ]
        await self.call(call.SetVariables(set_variable_data=data))
