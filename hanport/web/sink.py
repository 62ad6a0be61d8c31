"""The app as a sink of `hanport run`: its socket is bound when it is built (so a port in use
is said at start), it serves until the readings end, and it fans each reading out to the
browsers' live streams itself."""

from __future__ import annotations

import asyncio
import contextlib

from hanport.i18n import text
from hanport.runtime.hub import Hub, Subscription
from hanport.runtime.sink import RuntimeView
from hanport.store import local_file
from hanport.web.accounts import Accounts
from hanport.web.server import bind, serve, setup_code
from hanport.web.settings import WebSettings
from hanport.web.setup_code import setup_code_for

__all__ = ["WebSink"]


class WebSink:
    name = "web"
    queue_size = 50

    def __init__(self, web: WebSettings, database: str) -> None:
        self.web = web
        self.database = database
        self.listener = bind(web)

    @property
    def url(self) -> str:
        port = self.listener.getsockname()[1]  # the port given, or the free one found for 0
        return self.web.url.rsplit(":", 1)[0] + f":{port}"

    def announcement(self, language: str) -> str:
        """What `hanport run` prints: where the app is, and the setup code while it needs one."""
        accounts = Accounts(local_file(self.database))
        try:
            key = "cli.app_at" if accounts.count() else "cli.app_setup"
        finally:
            accounts.close()
        code = setup_code(self.listener) if key == "cli.app_setup" else None
        key = "cli.app_setup_code" if code else key
        return text(key, language, url=self.url, code=code)

    async def run(self, readings: Subscription, view: RuntimeView) -> None:
        from hanport.web.api_costs import warm_costs
        from hanport.web.app import create_app
        from hanport.web.context import AppContext

        accounts = Accounts(local_file(self.database), self.web.session_days)
        context = AppContext(view, accounts, Hub(), setup_code=setup_code_for(self.listener))
        app = create_app(context)
        server = asyncio.create_task(serve(app, self.listener, self.web, context.stop_streams))
        warm = asyncio.create_task(warm_costs(app, context))
        try:
            async for reading in readings:
                context.hub.publish(reading)
                if server.done():
                    break
        finally:
            warm.cancel()
            server.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await server
            self.listener.close()
            accounts.close()

    def close(self) -> None:
        """Give the socket back when the app is built but never run (start failed later)."""
        self.listener.close()
