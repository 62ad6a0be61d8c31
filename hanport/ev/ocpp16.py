"""The central system's side of one OCPP 1.6J station (the `ocpp` package's ChargePoint)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import Action

from hanport.ev.meter_values import read_meter_values
from hanport.ev.model import Vehicle
from hanport.ev.ocpp_link import StationLink
from hanport.ev.profiles import Profile, v16_request

__all__ = ["Station16", "vehicle_of"]

_VEHICLE: dict[str, Vehicle] = {
    "Available": "absent",
    "Preparing": "connected",
    "Charging": "charging",
    "SuspendedEV": "suspended_ev",
    "SuspendedEVSE": "connected",
    "Finishing": "absent",
    "Reserved": "absent",
    "Unavailable": "fault",
    "Faulted": "fault",
}
SAMPLED = "Current.Import,Power.Active.Import,Energy.Active.Import.Register"
_transactions = itertools.count(int(datetime.now(UTC).timestamp()) % 1_000_000)


def vehicle_of(status: str) -> Vehicle:
    return _VEHICLE.get(status, "unknown")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Station16(ChargePoint):
    def __init__(
        self, charger_id: str, connection: Any, link: StationLink, heartbeat_s: int
    ) -> None:
        super().__init__(charger_id, connection)
        self.link = link
        self.heartbeat_s = heartbeat_s
        link.send = self.send_profile

    async def send_profile(self, profile: Profile) -> str:
        result = await self.call(v16_request(profile), suppress=False)
        return str(result.status)

    @on(Action.boot_notification)
    def on_boot(self, charge_point_vendor: str, charge_point_model: str, **extra: Any) -> Any:
        firmware = extra.get("firmware_version") or "?"
        self.link.booted(f"{charge_point_vendor} {charge_point_model}, firmware {firmware}")
        return call_result.BootNotification(
            current_time=_now(), interval=self.heartbeat_s, status="Accepted"
        )

    @on(Action.heartbeat)
    def on_heartbeat(self) -> Any:
        return call_result.Heartbeat(current_time=_now())

    @on(Action.authorize)
    def on_authorize(self, id_tag: str) -> Any:
        return call_result.Authorize(id_tag_info={"status": "Accepted"})

    @on(Action.status_notification)
    def on_status(self, connector_id: int, status: str, **_: Any) -> Any:
        if connector_id > 0:
            self.link.status(vehicle_of(status))
        return call_result.StatusNotification()

    @on(Action.start_transaction)
    def on_start(self, connector_id: int, id_tag: str, meter_start: int, **_: Any) -> Any:
        transaction_id = next(_transactions)
        self.link.started(connector_id, transaction_id, Decimal(meter_start))
        return call_result.StartTransaction(
            transaction_id=transaction_id, id_tag_info={"status": "Accepted"}
        )

    @on(Action.stop_transaction)
    def on_stop(self, meter_stop: int, transaction_id: int, **_: Any) -> Any:
        self.link.stopped(Decimal(meter_stop))
        return call_result.StopTransaction()

    @on(Action.meter_values)
    def on_meter_values(self, connector_id: int, meter_value: list[Any], **_: Any) -> Any:
        sample = read_meter_values(meter_value)
        if sample is not None and connector_id > 0:
            self.link.sampled(sample)
        return call_result.MeterValues()

    async def configure(self) -> None:
        """Ask for per-phase currents every 10 s (a station that refuses keeps its own)."""
        for key, value in (("MeterValuesSampledData", SAMPLED), ("MeterValueSampleInterval", "10")):
            await self.call(call.ChangeConfiguration(key=key, value=value))
