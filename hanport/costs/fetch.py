"""Fetching day-ahead prices over HTTP (the I/O edge): Elering's dashboard API and ENTSO-E.

Both are read through an `httpx.AsyncClient` the caller may pass (tests point the base URL at
a local fake server). Long ranges are split into requests of at most a year, which both APIs
require. Connection failures, timeouts, HTTP 429 and 5xx are retried with growing pauses
(`Retry`); anything else fails at once. Every failure is one `PriceFetchError` sentence; the
caller keeps the prices it already has.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from hanport.costs.errors import PriceFetchError
from hanport.costs.prices_elering import ELERING_URL, parse_elering_json
from hanport.costs.prices_entsoe import EE_DOMAIN, ENTSOE_URL, parse_entsoe_xml
from hanport.costs.settings import PricesSettings
from hanport.costs.slots import PriceSlot
from hanport.i18n.catalogue import Message

__all__ = [
    "ELERING_URL",
    "ENTSOE_URL",
    "Retry",
    "fetch_elering",
    "fetch_entsoe",
    "fetch_prices",
    "request_ranges",
]

MAX_RANGE = timedelta(days=365)
"""Both APIs refuse a period longer than a year (Elering: HTTP 400 "Maximum period is 1 year")."""
_MILLISECOND = timedelta(milliseconds=1)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Retry:
    """`attempts` tries in all; the pause before try n+1 is first_delay_s × factor^(n-1),
    at most max_delay_s (or longer when the server's Retry-After asks for it, up to that cap)."""

    attempts: int = 4
    first_delay_s: float = 2.0
    factor: float = 3.0
    max_delay_s: float = 120.0

    def delay_s(self, attempt: int) -> float:
        return float(min(self.first_delay_s * self.factor**attempt, self.max_delay_s))


def request_ranges(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """[start, end) cut into consecutive pieces of at most a year."""
    ranges: list[tuple[datetime, datetime]] = []
    while start < end:
        piece_end = min(start + MAX_RANGE, end)
        ranges.append((start, piece_end))
        start = piece_end
    return ranges


async def fetch_elering(
    client: httpx.AsyncClient,
    start: datetime,
    end: datetime,
    *,
    url: str = ELERING_URL,
    area: str = "ee",
    retry: Retry = Retry(),
    sleep: Sleep = asyncio.sleep,
) -> list[PriceSlot]:
    """The slots starting in [start, end). Elering's `end` is inclusive, so each request ends
    one millisecond before the next piece starts."""
    source = _source("Elering", url)
    slots: list[PriceSlot] = []
    for piece_start, piece_end in request_ranges(start, end):
        params = {"start": _iso(piece_start), "end": _iso(piece_end - _MILLISECOND)}
        body = await _get(client, f"{url.rstrip('/')}/api/nps/price", params, source, retry, sleep)
        slots.extend(parse_elering_json(body, area, source))
    return _within(slots, start, end)


async def fetch_entsoe(
    client: httpx.AsyncClient,
    start: datetime,
    end: datetime,
    token: str,
    *,
    url: str = ENTSOE_URL,
    domain: str = EE_DOMAIN,
    retry: Retry = Retry(),
    sleep: Sleep = asyncio.sleep,
) -> list[PriceSlot]:
    """The slots starting in [start, end) from the Transparency Platform (document A44)."""
    source = _source("ENTSO-E", url)
    slots: list[PriceSlot] = []
    for piece_start, piece_end in request_ranges(start, end):
        params = {
            "documentType": "A44",
            "in_Domain": domain,
            "out_Domain": domain,
            "periodStart": _numeric(piece_start),
            "periodEnd": _numeric(piece_end),
            "securityToken": token,
        }
        body = await _get(client, url, params, source, retry, sleep, token=True)
        slots.extend(parse_entsoe_xml(body, source))
    return _within(slots, start, end)


async def fetch_prices(
    settings: PricesSettings,
    start: datetime,
    end: datetime,
    *,
    client: httpx.AsyncClient | None = None,
    retry: Retry = Retry(),
    sleep: Sleep = asyncio.sleep,
) -> list[PriceSlot]:
    """The slots of [start, end) from the provider the [prices] settings name (for
    `hanport prices fetch --from --to` and the daily fetch)."""
    if settings.source == "none":
        raise PriceFetchError("costs.fetch_none")
    own = client is None
    http = client or httpx.AsyncClient(timeout=30.0, headers={"User-Agent": "hanport"})
    try:
        if settings.source == "entsoe":
            return await fetch_entsoe(
                http,
                start,
                end,
                settings.entsoe_token or "",
                url=settings.url,
                retry=retry,
                sleep=sleep,
            )
        return await fetch_elering(http, start, end, url=settings.url, retry=retry, sleep=sleep)
    finally:
        if own:
            await http.aclose()


async def _get(
    client: httpx.AsyncClient,
    url: str,
    params: Mapping[str, str],
    source: str,
    retry: Retry,
    sleep: Sleep,
    token: bool = False,
) -> bytes:
    problem: str = ""
    for attempt in range(retry.attempts):
        wait_s = retry.delay_s(attempt)
        try:
            response = await client.get(url, params=params)
        except httpx.TimeoutException:
            problem = Message("costs.detail_timeout")
        except httpx.TransportError as error:
            problem = str(error) or type(error).__name__
        else:
            status = response.status_code
            if status == 200 or (token and b"Acknowledgement_MarketDocument" in response.content):
                return response.content
            if token and status in (401, 403):
                raise PriceFetchError("costs.fetch_token", status=status)
            if status != 429 and status < 500:
                raise PriceFetchError(
                    "costs.fetch_status", source=source, status=status, detail=_excerpt(response)
                )
            problem = Message("costs.detail_http", status=status)
            wait_s = max(wait_s, min(_retry_after_s(response), retry.max_delay_s))
        if attempt + 1 < retry.attempts:
            await sleep(wait_s)
    raise PriceFetchError(
        "costs.fetch_unreachable", source=source, attempts=retry.attempts, detail=problem
    )


def _within(slots: list[PriceSlot], start: datetime, end: datetime) -> list[PriceSlot]:
    unique = {slot.start: slot for slot in slots if start <= slot.start < end}
    return [unique[moment] for moment in sorted(unique)]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def _numeric(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M")


def _source(name: str, url: str) -> str:
    host = urlsplit(url).netloc
    return f"{name} ({host})" if host else name


def _excerpt(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return text[:157] + "..." if len(text) > 160 else text or "no explanation"


def _retry_after_s(response: httpx.Response) -> float:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else 0.0
