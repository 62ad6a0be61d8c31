"""`hanport run`'s log says hanport's sentences, not a line per HTTP request of its libraries."""

from __future__ import annotations

import logging

import httpx
import pytest

from hanport.cli.commands import run_logging


def test_a_price_fetch_leaves_no_request_line_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    run_logging()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"success": True}))
    with caplog.at_level(logging.INFO), httpx.Client(transport=transport) as client:
        assert client.get("http://prices.example/api/nps/price").status_code == 200
        logging.getLogger("hanport").info("Stored 96 day-ahead prices.")
    assert [r.getMessage() for r in caplog.records] == ["Stored 96 day-ahead prices."]
