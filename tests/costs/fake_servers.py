"""Local fake price servers with the documented shapes of Elering's and ENTSO-E's APIs.

Each runs `http.server` on 127.0.0.1 (a free port) in a thread for one test; nothing leaves
the machine. `prices` maps each slot's UTC start to (length, EUR/MWh).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

Prices = dict[datetime, tuple[timedelta, Decimal]]
_AMOUNT = re.compile(r">(-?[0-9.]+)</price.amount")


@dataclass
class FakeState:
    prices: Prices = field(default_factory=dict)
    fail_first: int = 0
    """Answer this many requests with HTTP 503 before answering properly."""
    status: int | None = None
    """Answer every request with this status (and a short body) when set."""
    token: str = "good-token"
    requests: list[dict[str, str]] = field(default_factory=list)


def quarter_hours(start: datetime, end: datetime, price: object) -> Prices:
    """Every 15-minute slot of [start, end), priced by `price(slot_start)` (or a constant)."""
    out: Prices = {}
    moment = start
    while moment < end:
        value = price(moment) if callable(price) else price
        out[moment] = (timedelta(minutes=15), Decimal(str(value)))
        moment += timedelta(minutes=15)
    return out


def hours(start: datetime, end: datetime, price: object) -> Prices:
    out: Prices = {}
    moment = start
    while moment < end:
        value = price(moment) if callable(price) else price
        out[moment] = (timedelta(hours=1), Decimal(str(value)))
        moment += timedelta(hours=1)
    return out


def _elering_body(state: FakeState, query: dict[str, str]) -> tuple[int, bytes]:
    try:
        start = datetime.fromisoformat(query["start"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(query["end"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 400, b'{"success":false,"message":"Invalid date"}'
    if end - start > timedelta(days=366):
        return 400, b'{"success":false,"message":"Maximum period is 1 year"}'
    records = [
        f'{{"timestamp":{int(moment.timestamp())},"price":{price}}}'
        for moment, (_, price) in sorted(state.prices.items())
        if start <= moment <= end  # Elering's end is inclusive
    ]
    body = '{"success":true,"data":{"ee":[' + ",".join(records) + '],"fi":[],"lv":[],"lt":[]}}'
    return 200, body.encode()


def _entsoe_body(state: FakeState, query: dict[str, str]) -> tuple[int, bytes]:
    if query.get("securityToken") != state.token:
        return 401, b"<html><body>Unauthorized</body></html>"
    start = datetime.strptime(query["periodStart"], "%Y%m%d%H%M").replace(tzinfo=UTC)
    end = datetime.strptime(query["periodEnd"], "%Y%m%d%H%M").replace(tzinfo=UTC)
    chosen = sorted(item for item in state.prices.items() if start <= item[0] < end)
    if not chosen:
        return 200, (
            b'<?xml version="1.0" encoding="UTF-8"?><Acknowledgement_MarketDocument '
            b'xmlns="urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:0"><Reason>'
            b"<code>999</code><text>No matching data found for Data item Day-ahead Prices"
            b"</text></Reason></Acknowledgement_MarketDocument>"
        )
    return 200, entsoe_document(chosen).encode()


def entsoe_document(chosen: list[tuple[datetime, tuple[timedelta, Decimal]]]) -> str:
    """An A44 document: one Period per run of equal slot length, A03 (repeated points left
    out), and a second TimeSeries (classificationSequence 2) with other prices that must lose."""
    periods: list[str] = []
    run: list[tuple[datetime, tuple[timedelta, Decimal]]] = []
    for item in chosen:
        if run and (item[1][0] != run[-1][1][0] or item[0] != run[-1][0] + run[-1][1][0]):
            periods.append(_period(run))
            run = []
        run.append(item)
    periods.append(_period(run))
    ns = "urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:3"
    series = [
        _series(1, periods),
        _series(
            2, [_AMOUNT.sub(lambda m: f">{Decimal(m[1]) + 1000}</price.amount", p) for p in periods]
        ),
    ]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Publication_MarketDocument xmlns="{ns}">'
        "<mRID>fake</mRID><type>A44</type>"
        + "".join(reversed(series))
        + "</Publication_MarketDocument>"
    )


def _dearer(match: re.Match[str]) -> str:
    return f">{Decimal(match[1]) + 1000}</price.amount"


def _series(rank: int, periods: list[str]) -> str:
    return (
        "<TimeSeries><mRID>1</mRID><businessType>A62</businessType>"
        '<in_Domain.mRID codingScheme="A01">10Y1001A1001A39I</in_Domain.mRID>'
        "<currency_Unit.name>EUR</currency_Unit.name>"
        "<price_Measure_Unit.name>MWH</price_Measure_Unit.name>"
        f"<classificationSequence_AttributeInstanceComponent.position>{rank}"
        "</classificationSequence_AttributeInstanceComponent.position>"
        "<curveType>A03</curveType>" + "".join(periods) + "</TimeSeries>"
    )


def _period(run: list[tuple[datetime, tuple[timedelta, Decimal]]]) -> str:
    step = run[0][1][0]
    resolution = {15: "PT15M", 30: "PT30M", 60: "PT60M"}[int(step.total_seconds() // 60)]
    points = []
    previous = None
    for position, (_, (_, price)) in enumerate(run, start=1):
        if price != previous:  # A03: a point repeating the previous price is left out
            points.append(
                f"<Point><position>{position}</position><price.amount>{price}</price.amount>"
                "</Point>"
            )
        previous = price
    start = run[0][0].strftime("%Y-%m-%dT%H:%MZ")
    end = (run[-1][0] + step).strftime("%Y-%m-%dT%H:%MZ")
    return (
        f"<Period><timeInterval><start>{start}</start><end>{end}</end></timeInterval>"
        f"<resolution>{resolution}</resolution>" + "".join(points) + "</Period>"
    )


class _Handler(BaseHTTPRequestHandler):
    state: FakeState

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        self.state.requests.append({"path": parts.path, **query})
        if self.state.fail_first > 0:
            self.state.fail_first -= 1
            self._send(503, b"Service Unavailable", "text/plain")
        elif self.state.status is not None:
            self._send(self.state.status, b'{"success":false,"message":"nope"}', "text/plain")
        elif parts.path == "/api/nps/price":
            self._send(*_elering_body(self.state, query), "application/json")
        elif parts.path == "/api":
            self._send(*_entsoe_body(self.state, query), "text/xml")
        else:
            self._send(404, b"Not Found", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def fake_server(state: FakeState) -> Iterator[str]:
    """Serve `state` on 127.0.0.1; yields the base URL."""
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def elering_json(prices: Prices) -> bytes:
    """The body Elering would send for all of `prices`."""
    return (
        json.dumps(
            {
                "success": True,
                "data": {
                    "ee": [
                        {"timestamp": int(moment.timestamp()), "price": f"__{price}__"}
                        for moment, (_, price) in sorted(prices.items())
                    ]
                },
            }
        )
        .replace('"__', "")
        .replace('__"', "")
        .encode()
    )
