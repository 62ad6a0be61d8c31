"""One connected OCPP station as a `Charger`: what it reported, and the profiles it is sent.

Version-independent: `ocpp16` and `ocpp201` feed it the station's messages and give it a way to
send a profile (`send`, returning the station's answer). On the first send after connecting
(and after every BootNotification) the standing fallback follows the live limit; then the live
limit is sent on every change and refreshed every third of its validity while the controller
keeps confirming it. A station that refuses the station-wide profile is switched to the
TxDefault/TxProfile strategy; a refusal is logged once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from hanport.ev.charger import ChargerReport
from hanport.ev.meter_values import Sample
from hanport.ev.model import Vehicle
from hanport.ev.profiles import TTL_S, Profile, Strategy, profiles_to_send
from hanport.ev.wording import say

__all__ = ["StationLink"]

log = logging.getLogger(__name__)

Send = Callable[[Profile], Awaitable[str]]


class StationLink:
    def __init__(
        self,
        charger_id: str,
        version: str,
        failsafe_a: Decimal,
        strategy: Strategy = "station_max",
        ttl_s: float = TTL_S,
    ) -> None:
        self._id = charger_id
        self.version = version
        self.failsafe_a = failsafe_a
        self.strategy: Strategy = strategy
        self.ttl_s = ttl_s
        self.send: Send | None = None
        self.transaction: tuple[int, int | str] | None = None
        self._report = ChargerReport(charger_id, online=True, kind=f"ocpp {version}")
        self._session_start_wh: Decimal | None = None
        self._wish: tuple[Decimal, int] | None = None
        self._wished_at: datetime | None = None
        self._sent: tuple[Decimal, int, Strategy, object] | None = None
        self._sent_at: datetime | None = None
        self._fallback_due = True
        self._refused = False
        self._wake = asyncio.Event()

    @property
    def id(self) -> str:
        return self._id

    def set_limit(self, limit_a: Decimal, phases: int, now: datetime) -> None:
        self._wish, self._wished_at = (limit_a, phases), now
        if self._sent is None or self._sent[:2] != self._wish:
            self._wake.set()

    def report(self) -> ChargerReport:
        return self._report

    def booted(self, detail: str) -> None:
        self._report = replace(self._report, detail=detail)
        self._fallback_due = True
        self._wake.set()

    def status(self, vehicle: Vehicle) -> None:
        self._report = replace(self._report, vehicle=vehicle)

    def started(self, connector: int, transaction_id: int | str, meter_wh: Decimal | None) -> None:
        self.transaction = (connector, transaction_id)
        self._session_start_wh = meter_wh
        self._report = replace(
            self._report, session_wh=Decimal(0) if meter_wh is not None else None
        )
        self._wake.set()

    def stopped(self, meter_wh: Decimal | None) -> None:
        if meter_wh is not None:
            self._energy(meter_wh)
        self.transaction = None
        self._report = replace(self._report, vehicle="absent", current_a=None, power_w=None)
        self._wake.set()

    def sampled(self, sample: Sample) -> None:
        at = sample.at or datetime.now(UTC)
        if sample.current_a is not None:
            self._report = replace(self._report, current_a=sample.current_a, measured_at=at)
        if sample.power_w is not None:
            self._report = replace(self._report, power_w=sample.power_w)
        if sample.energy_wh is not None:
            self._energy(sample.energy_wh)

    def _energy(self, meter_wh: Decimal) -> None:
        if self._session_start_wh is None:
            self._session_start_wh = meter_wh
        self._report = replace(self._report, session_wh=meter_wh - self._session_start_wh)

    async def run_sender(self) -> None:
        """Send and refresh the profiles until cancelled."""
        while True:
            self._wake.clear()
            await self._send_due()
            with contextlib.suppress(TimeoutError):  # not wait_for: in 3.11 it can swallow a cancel
                async with asyncio.timeout(self.ttl_s / 6):
                    await self._wake.wait()

    async def _send_due(self) -> None:
        wish, wished_at, send = self._wish, self._wished_at, self.send
        if wish is None or wished_at is None or send is None:
            return
        now = datetime.now(UTC)
        key = (*wish, self.strategy, self.transaction)
        refresh = self._sent_at is None or (now - self._sent_at).total_seconds() >= self.ttl_s / 3
        confirmed = (now - wished_at).total_seconds() < self.ttl_s / 3
        if key == self._sent and not self._fallback_due and not (refresh and confirmed):
            return
        profiles = profiles_to_send(
            wish[0],
            wish[1],
            self.failsafe_a,
            now,
            strategy=self.strategy,
            with_fallback=self._fallback_due,
            transaction=self.transaction,
            ttl_s=self.ttl_s,
        )
        for profile in profiles:
            answer = await self._send_one(send, profile)
            if answer != "Accepted":
                self._refusal(profile, answer)
                return
        self._sent, self._sent_at, self._fallback_due = key, now, False
        self._report = replace(self._report, limit_a=profiles[0].limit_a, phases=wish[1])

    async def _send_one(self, send: Send, profile: Profile) -> str:
        try:
            return await send(profile)
        except (TimeoutError, ConnectionError) as error:
            return type(error).__name__
        except Exception as error:  # a station's bad answer must not end the link
            return f"{type(error).__name__}: {error}"

    def _refusal(self, profile: Profile, answer: str) -> None:
        if self.strategy == "station_max" and profile.purpose == "station_max":
            self.strategy = "tx"
            self._fallback_due = True
            self._wake.set()
            return
        if not self._refused:
            self._refused = True
            log.warning(say("ev.event.limit_refused", charger=self._id, detail=answer))
