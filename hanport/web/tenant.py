"""The household app and API on `hanport server`, for many sites: each caller sees only the
meters of their sites (hanport.web.scope), an operator every site's."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hanport.runtime.hub import Hub
from hanport.runtime.view import Runtime
from hanport.settings.loader import Settings
from hanport.sources.reader import ReaderState
from hanport.store import local_file, open_store
from hanport.web.accounts import Accounts
from hanport.web.context import AppContext
from hanport.web.scope import SiteStore
from hanport.web.settings import WEB
from hanport.web.setup_code import SetupCode

__all__ = ["tenant_context"]


def tenant_context(settings: Settings, database: str, hub: Hub | None = None) -> AppContext:
    """The app's context over `database` (the server's store), with the accounts beside it.

    The first account cannot be made in the browser (a setup code nobody is shown): the
    operator and the sites' users are made with `hanport user add` on the server. `hub`: where
    the live readings come from (`hanport.server.live.SiteHub`).
    """
    store = SiteStore(open_store(database, ZoneInfo(settings.timezone)))
    live = hub or Hub()
    view = Runtime(settings, live, ReaderState(source="server"), store)
    accounts = Accounts(local_file(database), settings.get(WEB).session_days)
    return AppContext(view, accounts, hub=live, setup_code=SetupCode())
