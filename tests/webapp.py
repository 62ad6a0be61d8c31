"""An app over a database of simulated readings, for the API tests (no server, no reader)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from starlette.types import ASGIApp

import hanport
from hanport.model import Reading
from hanport.runtime.hub import Hub
from hanport.runtime.view import Runtime
from hanport.settings.loader import Settings
from hanport.sim.home import HomeSimulator
from hanport.sources.reader import ReaderState
from hanport.store.sqlite import SqliteStore
from hanport.web.accounts import Accounts
from hanport.web.app import create_app
from hanport.web.context import AppContext
from hanport.web.settings import WebSettings
from hanport.web.setup_code import SetupCode

ZONE = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def simulated(count: int, seed: int = 4, start: datetime = START) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=start)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(count)))


@dataclass
class WebApp:
    app: ASGIApp
    context: AppContext
    readings: list[Reading]


def make_app(
    database: Path,
    hours: float = 3,
    clock: Callable[[], float] | None = None,
    setup_code: SetupCode | None = None,
) -> WebApp:
    """The app over `hours` of simulated readings; it answers to Host: testserver (the test
    client's) like a name listed in [web] hosts."""
    readings = simulated(int(hours * 360))
    store = SqliteStore(database, ZONE)
    store.write(readings)
    store.close()
    reader_store = SqliteStore(database, ZONE)
    accounts = Accounts(database, clock=clock) if clock else Accounts(database)
    hub = Hub()
    state = ReaderState("sim://")
    state.status = "connected"
    settings = Settings(sections={"web": WebSettings(hosts=("testserver",))})
    view = Runtime(settings, hub, state, reader_store)
    context = AppContext(view, accounts, hub, setup_code=setup_code)
    return WebApp(create_app(context), context, readings)
