"""What the app's handlers share: the running hanport's view, the accounts, the live streams."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from hanport import __version__
from hanport.runtime.hub import Hub
from hanport.runtime.sink import RuntimeView
from hanport.settings.loader import Settings
from hanport.sources.reader import ReaderState
from hanport.store import Store
from hanport.web.accounts import Accounts
from hanport.web.grid import grid_json, site_json
from hanport.web.limits import LoginLimiter, PasswordGate
from hanport.web.settings import WEB, WebSettings
from hanport.web.setup_code import SetupCode

__all__ = ["AppContext", "context"]


@dataclass
class AppContext:
    """The running hanport (`view`), the accounts, and the browsers' live-stream fan-out."""

    view: RuntimeView
    accounts: Accounts
    hub: Hub = field(default_factory=Hub)
    """The app's own hub: the web sink publishes each reading here for the live streams."""
    setup_code: SetupCode | None = None
    """Needed to create the first account when the app listens beyond loopback."""
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    gate: PasswordGate = field(default_factory=PasswordGate)
    setup_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    started: float = field(default_factory=time.monotonic)
    stopping: bool = False
    streams: set[asyncio.Event] = field(default_factory=set)
    """One event per open live stream: set, it ends the stream."""

    @property
    def settings(self) -> Settings:
        return self.view.settings

    @property
    def web(self) -> WebSettings:
        return self.view.settings.get(WEB)

    @property
    def state(self) -> ReaderState:
        return self.view.reader

    @property
    def store(self) -> Store:
        return self.view.store

    def stop_streams(self) -> None:
        """The server is stopping: end every live stream now (and refuse new ones)."""
        self.stopping = True
        for ended in self.streams:
            ended.set()

    def status(self) -> dict[str, Any]:
        state = self.state
        latest = self.view.latest
        age = None
        if state.last_reading_at is not None:
            age = round((datetime.now(UTC) - state.last_reading_at).total_seconds(), 1)
        stale = state.status in ("stale", "reconnecting") or (
            age is not None and age > 3 * self.settings.interval_s
        )
        return {
            "version": __version__,
            "source": state.source,
            "status": state.status,
            "last_error": state.last_error,
            "last_reading_at": state.last_reading_at.isoformat() if state.last_reading_at else None,
            "age_s": age,
            "stale": stale,
            "readings": state.readings,
            "rejected": state.rejected,
            "reconnects": state.reconnects,
            "bytes_read": state.bytes_read,
            "format": state.format,
            "last_rejection": state.last_rejection,
            "rejected_since_reading": state.rejected_since_reading,
            "unauthenticated": state.unauthenticated,
            "energy_scales": dict(state.energy_scales),
            "unverified": state.unverified,
            "retry_in_s": round(state.retry_in_s, 1) if state.retry_in_s is not None else None,
            "interval_s": self.settings.interval_s,
            **site_json(self.settings.site),
            "grid": grid_json(self.settings.site, latest),
            "meter": (latest.meter_id or "") if latest else None,
            "ev": _ev_json(self.view),
        }

    def status_json(self) -> str:
        return json.dumps(self.status())


def _ev_json(view: RuntimeView) -> dict[str, Any] | None:
    """The EV control's fail-safe state, when `hanport run` controls chargers (else None)."""
    from hanport.ev.control import EvControl
    from hanport.ev.status import failsafe_state

    control = view.find(EvControl)
    if control is None:
        return None
    return {"failsafe": failsafe_state(control.controller, datetime.now(UTC))}


def context(request: Request) -> AppContext:
    found: AppContext = request.app.state.hanport
    return found
