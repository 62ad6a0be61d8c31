"""The HomeWizard Wi-Fi P1 meter: its latest telegram, fetched every `interval_s` over the local
HTTP API (v1, switched on in the HomeWizard Energy app). The meter keeps only the latest
telegram, so one seen before is not yielded again."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import AsyncIterator

from hanport.sources.errors import SourceError
from hanport.sources.payloads import homewizard_telegram
from hanport.sources.urls import HomeWizardSource

__all__ = ["homewizard_stream"]

_TIMEOUT_S = 5.0
_MAX_BYTES = 64 * 1024
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # a LAN device: no proxy


async def homewizard_stream(source: HomeWizardSource) -> AsyncIterator[bytes]:
    last: bytes | None = None
    while True:
        status, body = await asyncio.to_thread(_fetch, source)
        telegram = homewizard_telegram(status, body, source.host)
        if telegram is not None and telegram != last:
            last = telegram
            yield telegram
        await asyncio.sleep(source.interval_s)


def _fetch(source: HomeWizardSource) -> tuple[int, bytes]:
    request = urllib.request.Request(source.url, headers={"Accept": "text/plain"})
    try:
        with _OPENER.open(request, timeout=_TIMEOUT_S) as answer:
            return int(answer.status), answer.read(_MAX_BYTES)
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        text = getattr(reason, "strerror", None) or str(reason)
        raise SourceError(
            "sources.homewizard_unreachable", host=source.host, port=source.port, detail=text
        ) from None
