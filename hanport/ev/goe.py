"""go-e chargers over their local HTTP API v2 (`/api/status`, `/api/set`).

The status is polled every `poll_s` (`car` state, `amp`, `frc`, `psm`, `nrg` currents and
power, `wh` session energy, firmware). A limit is set with `amp` (whole amperes) and `frc=2`
(charge; `frc=1` pauses), plus `psm=1`/`psm=2` (one or three phases) for a charger that may
switch. A changed limit is sent at once; the same one again every `refresh_s` as a heartbeat,
which also rewrites a value changed in the go-e app, but only while the controller keeps
confirming it. A charger that does not answer for `offline_after_s` counts as offline (the law
then sees its car as part of the house), and that is logged once, not on every poll.

go-e has no watchdog of its own: if hanport stops, the charger keeps its last current. Set its
own maximum (`ama`, in the go-e app) to what the fuse tolerates; docs/ev.md says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import httpx

from hanport.ev.charger import ChargerReport
from hanport.ev.model import Vehicle
from hanport.ev.wording import say
from hanport.i18n.catalogue import Message

__all__ = ["GoeCharger", "goe_report", "set_query"]

log = logging.getLogger(__name__)

STATUS_KEYS = "car,amp,frc,psm,nrg,wh,alw,err,fwv,typ"
_CAR: dict[int, Vehicle] = {
    1: "absent",
    2: "charging",
    3: "connected",
    4: "suspended_ev",
    5: "fault",
}


def goe_report(charger_id: str, status: dict[str, Any], at: datetime) -> ChargerReport:
    """A report from the JSON of `/api/status`. `nrg` holds U1–U3, UN, I1–I3, P1–P3, PN, P."""
    nrg = status.get("nrg")
    currents: tuple[Decimal | None, ...] | None = None
    power = None
    if isinstance(nrg, list) and len(nrg) >= 12:
        currents = tuple(_decimal(v) for v in nrg[4:7])
        power = _decimal(nrg[11])
    forced_off = status.get("frc") == 1
    amp = _decimal(status.get("amp"))
    return ChargerReport(
        charger_id,
        online=True,
        vehicle=_CAR.get(_whole(status.get("car")), "unknown"),
        current_a=currents,
        power_w=power,
        session_wh=_decimal(status.get("wh")),
        measured_at=at if currents is not None else None,
        limit_a=Decimal(0) if forced_off else amp,
        phases={1: 1, 2: 3}.get(_whole(status.get("psm"))),
        kind="go-e",
        detail=f"go-e {status.get('typ') or ''} firmware {status.get('fwv') or '?'}".strip(),
    )


def set_query(limit_a: Decimal, phases: int, can_switch: bool) -> dict[str, str]:
    """The query of `/api/set` for a limit: 0 pauses (frc=1), else amp in whole amperes."""
    if limit_a <= 0:
        return {"frc": "1"}
    query = {"amp": str(int(limit_a.to_integral_value(ROUND_FLOOR))), "frc": "2"}
    if can_switch:
        query["psm"] = "1" if phases == 1 else "2"
    return query


class GoeCharger:
    def __init__(
        self,
        charger_id: str,
        address: str,
        *,
        can_switch: bool = False,
        poll_s: float = 5.0,
        refresh_s: float = 30.0,
        offline_after_s: float = 20.0,
        timeout_s: float = 4.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._id = charger_id
        self.address = address if address.startswith("http") else f"http://{address}"
        self._can_switch = can_switch
        self._poll_s, self._refresh_s, self._offline_after_s = poll_s, refresh_s, offline_after_s
        self._client = httpx.AsyncClient(
            base_url=self.address, timeout=timeout_s, transport=transport
        )
        self._report = ChargerReport(charger_id, kind="go-e")
        self._seen_at: datetime | None = None
        self._wish: tuple[Decimal, int] | None = None
        self._wished_at: datetime | None = None
        self._sent: tuple[Decimal, int] | None = None
        self._sent_at: datetime | None = None
        self._wake = asyncio.Event()
        self._failing = False

    @property
    def id(self) -> str:
        return self._id

    def set_limit(self, limit_a: Decimal, phases: int, now: datetime) -> None:
        self._wish, self._wished_at = (limit_a, phases), now
        if self._wish != self._sent:
            self._wake.set()

    def report(self) -> ChargerReport:
        return self._report

    async def run(self) -> None:
        """Poll and send until cancelled; never raises for the charger's own failures."""
        try:
            while True:
                await self._poll()
                await self._send_due()
                self._wake.clear()
                with contextlib.suppress(
                    TimeoutError
                ):  # not wait_for: in 3.11 it can swallow a cancel
                    async with asyncio.timeout(self._poll_s):
                        await self._wake.wait()
        finally:
            await self._client.aclose()

    async def _poll(self) -> None:
        now = datetime.now(UTC)
        try:
            response = await self._client.get("/api/status", params={"filter": STATUS_KEYS})
            response.raise_for_status()
            status = response.json()
            if not isinstance(status, dict):
                raise ValueError(Message("ev.error.goe_not_json"))
        except (httpx.HTTPError, ValueError) as error:
            self._failed(error, now)
            return
        self._seen_at = now
        self._report = goe_report(self._id, status, now)
        self._recovered()

    async def _send_due(self) -> None:
        wish, now = self._wish, datetime.now(UTC)
        if wish is None or self._wished_at is None:
            return
        confirmed = (now - self._wished_at).total_seconds() < self._refresh_s
        stale = self._sent_at is None or (now - self._sent_at).total_seconds() >= self._refresh_s
        if wish == self._sent and not (stale and confirmed):
            return
        query = set_query(wish[0], wish[1], self._can_switch)
        try:
            response = await self._client.get("/api/set", params=query)
            response.raise_for_status()
        except httpx.HTTPError as error:
            self._failed(error, now)
            return
        self._sent, self._sent_at = wish, now

    def _failed(self, error: Exception, now: datetime) -> None:
        if self._seen_at is None or (now - self._seen_at).total_seconds() >= self._offline_after_s:
            self._report = ChargerReport(self._id, online=False, kind="go-e", detail=str(error))
        if not self._failing:
            self._failing = True
            log.warning(
                say(
                    "ev.error.goe_unreachable",
                    charger=self._id,
                    address=self.address,
                    detail=str(error) or type(error).__name__,
                )
            )

    def _recovered(self) -> None:
        if self._failing:
            self._failing = False
            log.info("%s", say("ev.event.goe_back", charger=self._id))


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1
