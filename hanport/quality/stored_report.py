"""The report of a period from the database, for `hanport quality report`, the API and the app.

The windows and events the quality sink kept (records `quality_*`) are read; what it has not
sealed yet (the hour under way, or everything when the part never ran) is computed from the
stored readings in memory and added. Nothing is written: the sink is the one writer of the
records, so a report made while hanport runs never counts a window twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import cast

from hanport.grid import Site
from hanport.quality.analysis import QualityState
from hanport.quality.events import Event
from hanport.quality.keeper import advance_stored, hour_floor
from hanport.quality.records import load_events, load_state, load_windows
from hanport.quality.report import QualityReport, SiteInfo, build_report, report_span
from hanport.quality.settings import QualitySettings
from hanport.quality.windows import Method, Window
from hanport.store import RecordStore, Store

__all__ = ["MAX_REPORT_DAYS", "ReportRequest", "stored_figures", "stored_report"]

MAX_REPORT_DAYS = 400


@dataclass(frozen=True)
class ReportRequest:
    meter: str
    first_day: date
    last_day: date
    settings: QualitySettings
    site: Site
    interval_s: float
    language: str
    created: datetime


def stored_figures(
    store: Store, meter: str, method: Method, start: datetime, end: datetime
) -> tuple[list[Window], list[Event]]:
    """The windows starting in [start, end) and the events overlapping it: kept ones, and the
    ones the unsealed readings give (ongoing at the newest reading)."""
    records = cast(RecordStore, store)
    state = load_state(records, meter)
    windows = load_windows(records, meter, start, end)
    events = {_key(e): e for e in load_events(records, meter, start, end)}
    resume = start
    if state is not None and state.seen_ts is not None:
        resume = hour_floor(datetime.fromtimestamp(state.seen_ts, UTC))
    newest = store.latest(meter)
    moment = None if newest is None else newest.meter_time or newest.received_at
    if resume < end and moment is not None and moment >= resume:
        until = min(end, moment + timedelta(seconds=method.interval_s))
        update = advance_stored(store, meter, state or QualityState(), (resume, end), until, method)
        windows += [w for w in update.windows if start <= w.start < end]
        for event in (*update.events, *update.state.open_events):
            events[_key(event)] = event
    found = sorted((e for e in events.values() if e.start < end and e.end > start), key=_order)
    return sorted(windows, key=lambda w: w.start), found


def stored_report(store: Store, request: ReportRequest) -> QualityReport:
    """The report of `request`'s days (their whole weeks for the weekly figures)."""
    if request.last_day < request.first_day:
        raise ValueError("The period ends before it starts.")
    zone = store.zone
    method = Method.for_site(request.settings, request.site, zone, request.interval_s)
    span = report_span(request.first_day, request.last_day, method)
    windows, events = stored_figures(store, request.meter, method, *span)
    latest = store.latest(request.meter)
    info = SiteInfo(
        meter_id=request.meter,
        meter_model=(latest.meter_model or "") if latest is not None else "",
        site_name=request.settings.site_name,
        metering_point=request.settings.metering_point,
        fuse_a=request.site.fuse_a,
        nominal_v=request.site.nominal_v,
    )
    return build_report(
        info,
        request.first_day,
        request.last_day,
        windows,
        events,
        method,
        request.created,
        request.language,
    )


def _key(event: Event) -> tuple[str, tuple[int, ...], datetime]:
    return (event.kind, event.phases, event.start)


def _order(event: Event) -> tuple[datetime, str, tuple[int, ...]]:
    return (event.start, event.kind, event.phases)
