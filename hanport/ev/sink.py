"""The EV control as a sink: readings in, limits out to the chargers, on every reading and tick.

`run_ev_sink` takes each reading as it arrives (a new reading is acted on at once: cuts are
never delayed), and steps the controller every `tick_s` as well, so the meter watchdog fires
when readings stop and raises come when their time is up. Every online charger is told its
limit on every step (the connectors send only changes, and refreshes while confirmed).
`services` (the OCPP central system, the go-e pollers) run alongside; one that fails is logged
and the rest go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

from hanport.ev.charger import Fleet
from hanport.ev.controller import Controller
from hanport.ev.wording import say
from hanport.model import Reading

__all__ = ["run_ev_sink", "step_once", "utc_now"]

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def step_once(controller: Controller, fleet: Fleet, now: datetime) -> int:
    """One step: decide for every online charger and tell it. Returns the number of changes."""
    reports = [charger.report() for charger in fleet]
    changes = 0
    for decision in controller.step(now, reports):
        charger = fleet.get(decision.charger_id)
        if charger is not None:
            charger.set_limit(decision.limit_a, decision.phases, now)
            changes += decision.changed
    return changes


async def run_ev_sink(
    readings: AsyncIterator[Reading],
    controller: Controller,
    fleet: Fleet,
    *,
    tick_s: float = 1.0,
    clock: Callable[[], datetime] = utc_now,
    services: Sequence[Coroutine[Any, Any, None]] = (),
) -> None:
    """Run until cancelled (or until `readings` ends)."""
    wake = asyncio.Event()
    tasks = [asyncio.create_task(_service(s)) for s in services]
    pump = asyncio.create_task(_pump(readings, controller, wake))
    try:
        while not pump.done():
            step_once(controller, fleet, clock())
            wake.clear()
            with contextlib.suppress(TimeoutError):  # not wait_for: in 3.11 it can swallow a cancel
                async with asyncio.timeout(tick_s):
                    await wake.wait()
        step_once(controller, fleet, clock())
        pump.result()
    finally:
        for task in [pump, *tasks]:
            task.cancel()
        await asyncio.gather(pump, *tasks, return_exceptions=True)


async def _pump(
    readings: AsyncIterator[Reading], controller: Controller, wake: asyncio.Event
) -> None:
    async for reading in readings:
        if controller.observe(reading):
            wake.set()


async def _service(service: Coroutine[Any, Any, None]) -> None:
    try:
        await service
    except asyncio.CancelledError:
        raise
    except Exception as error:  # one charger's failure must not stop the control of the others
        log.error("%s", say("ev.event.service_failed", error=error))
