"""EV charging control as a part of `hanport run`: the `[ev]` section (with its
`[[ev.chargers]]` tables and `HANPORT_EV_*` variables), and its sink when there is anything to
control: an OCPP listener (`ocpp_listen`), a listed charger, or SmartEVSE's feed."""

from __future__ import annotations

from collections.abc import Sequence

from hanport.ev.settings import EV
from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings

__all__ = ["SECTIONS", "sinks"]

SECTIONS = (EV,)


def sinks(settings: Settings, database: str) -> Sequence[Sink]:
    if not settings.get(EV).enabled:
        return []
    from hanport.ev.part import EvSink  # the OCPP package and websockets only when used

    return [EvSink(settings, database)]
