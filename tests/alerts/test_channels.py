"""Each channel against a real server on loopback; retries and what the log says."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from decimal import Decimal
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from alerts.servers import PASSWORD, http_server, run_async, smtp_server
from hanport.alerts.channels import (
    ChannelError,
    Courier,
    EmailChannel,
    NtfyChannel,
    TelegramChannel,
    WebhookChannel,
)
from hanport.alerts.engine import Notice
from hanport.alerts.messages import Message, render_notice
from hanport.alerts.settings import alert_settings
from hanport.backoff import Backoff
from hanport.quality.scenarios import TALLINN
from hanport.settings.values import Raw

T0 = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)


def notice(severity: str = "critical") -> Notice:
    figures: dict[str, object] = {
        "high_phases": "L1",
        "low_phases": "L3",
        "high_v": Decimal("266.4"),
        "low_v": Decimal(188),
        "since": T0,
        "duration_s": 10,
    }
    return Notice("broken_neutral", "site", "fired", severity, T0, T0, figures)  # type: ignore[arg-type]


def message(language: str = "et") -> Message:
    return render_notice(notice(), language, TALLINN)


def raw(**values: object) -> Raw:
    return {k: (v, f"alerts.{k} in hanport.toml") for k, v in values.items()}


@run_async
async def test_the_webhook_gets_json_with_exact_numbers_and_the_token() -> None:
    with http_server() as server:
        settings = alert_settings(raw(webhook_url=f"{server.url}/hook", webhook_token="t0k"))
        assert settings.webhook is not None
        await WebhookChannel(settings.webhook).send(message("en"))
        (request,) = server.wait(1)
    assert request.path == "/hook"
    assert request.headers["Authorization"] == "Bearer t0k"
    body = json.loads(request.body, parse_float=Decimal)
    assert (body["event"], body["rule"], body["severity"]) == (
        "fired",
        "broken_neutral",
        "critical",
    )
    assert body["figures"]["high_v"] == Decimal("266.4")
    assert body["started"] == "2026-01-12T10:00:00+02:00"
    assert body["title"] == "Broken neutral suspected"


@run_async
async def test_ntfy_gets_an_estonian_title_its_priority_and_tags() -> None:
    with http_server() as server:
        settings = alert_settings(raw(ntfy_url=f"{server.url}/hanport-test", ntfy_token="tk"))
        assert settings.ntfy is not None
        await NtfyChannel(settings.ntfy).send(message("et"))
        (request,) = server.wait(1)
    assert request.path == "/hanport-test"
    assert str(make_header(decode_header(request.headers["Title"]))) == (
        "Kahtlus: nulljuhe on katkenud"
    )
    assert (request.headers["Priority"], request.headers["Tags"]) == ("5", "rotating_light")
    assert request.headers["Authorization"] == "Bearer tk"
    assert "266,4 V" in request.body.decode()


@run_async
async def test_telegram_gets_the_message_for_its_chat() -> None:
    with http_server() as server:
        settings = alert_settings(
            raw(telegram_token="123:abc_DEF", telegram_chat_id="-1001", telegram_api=server.url)
        )
        assert settings.telegram is not None
        await TelegramChannel(settings.telegram).send(message("en"))
        (request,) = server.wait(1)
    assert request.path == "/bot123:abc_DEF/sendMessage"
    body = json.loads(request.body)
    assert body["chat_id"] == "-1001"
    assert body["text"].startswith("Broken neutral suspected\n\nL1 at 266.4 V")
    assert body["disable_notification"] is False


@run_async
async def test_telegram_says_why_it_refused() -> None:
    refusal = b'{"ok":false,"error_code":401,"description":"Unauthorized"}'
    with http_server([(401, refusal)]) as server:
        settings = alert_settings(
            raw(telegram_token="1:x", telegram_chat_id="5", telegram_api=server.url)
        )
        assert settings.telegram is not None
        with pytest.raises(ChannelError, match="Telegram said: 401 Unauthorized"):
            await TelegramChannel(settings.telegram).send(message("en"))


@run_async
async def test_email_over_starttls_with_login(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as box:
        settings = alert_settings(
            raw(
                email_smtp=box.url(),
                email_from="gw@example.org",
                email_to="me@example.org, you@example.org",
                email_ca_file=str(box.ca_file),
            )
        )
        assert settings.email is not None
        await EmailChannel(settings.email).send(message("et"))
        (mail,) = box.wait(1)
    assert mail["Subject"] == "[hanport] Kahtlus: nulljuhe on katkenud"
    assert mail["Importance"] == "high"
    assert box.envelopes == [("gw@example.org", ["me@example.org", "you@example.org"])]
    content = mail.get_body().get_content()  # type: ignore[union-attr]
    assert "L1 pinge on 266,4 V" in content


@run_async
async def test_email_refuses_a_server_without_starttls(tmp_path: Path) -> None:
    with smtp_server(tmp_path, starttls=False) as box:
        settings = alert_settings(
            raw(email_smtp=box.url(), email_from="gw@example.org", email_to="me@example.org")
        )
        assert settings.email is not None
        with pytest.raises(ChannelError, match="offers no STARTTLS") as caught:
            await EmailChannel(settings.email).send(message("en"))
    assert "STARTTLS-i" in caught.value.text("et")
    assert not box.mails


@run_async
async def test_email_with_a_wrong_password_or_an_untrusted_certificate(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as box:
        wrong = alert_settings(
            raw(
                email_smtp=box.url("wrong"),
                email_from="gw@example.org",
                email_to="me@example.org",
                email_ca_file=str(box.ca_file),
            )
        )
        assert wrong.email is not None
        with pytest.raises(ChannelError, match="refused the user name or password"):
            await EmailChannel(wrong.email).send(message("en"))
        untrusted = alert_settings(
            raw(
                email_smtp=box.url(PASSWORD), email_from="gw@example.org", email_to="me@example.org"
            )
        )
        assert untrusted.email is not None
        with pytest.raises(ChannelError, match="certificate of localhost is not trusted"):
            await EmailChannel(untrusted.email).send(message("en"))


@run_async
async def test_a_failing_channel_is_retried_and_said_once(caplog: pytest.LogCaptureFixture) -> None:
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        await asyncio.sleep(0)

    with http_server([(503, b""), (503, b""), (503, b"")]) as server:
        settings = alert_settings(raw(webhook_url=server.url))
        assert settings.webhook is not None
        courier = Courier(WebhookChannel(settings.webhook), "en", sleep=pause)
        task = asyncio.create_task(courier.run())
        with caplog.at_level(logging.INFO, logger="hanport.alerts"):
            courier.put(message("en"))
            courier.put(render_notice(notice("warning"), "en", TALLINN))
            await asyncio.to_thread(server.wait, 5)
            for _ in range(200):
                if courier.sent == 2:
                    break
                await asyncio.sleep(0.01)
        task.cancel()
    assert courier.sent == 2
    assert pauses == [1.0, 2.0, 4.0]  # backoff, then reset after the success
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [
        "Alerts to webhook fail (the server answered HTTP 503); hanport keeps them and retries "
        "with growing pauses: check alerts.webhook_url."
    ]
    recovered = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert recovered == ["Alerts to webhook work again; 2 waiting message(s) sent."]
    assert courier.status()["ok"] is True


@run_async
async def test_a_server_that_is_not_there_is_named() -> None:
    with http_server() as server:
        url = server.url
    settings = alert_settings(raw(webhook_url=url))
    assert settings.webhook is not None
    courier = Courier(WebhookChannel(settings.webhook), "et", backoff=Backoff(30, 30))
    task = asyncio.create_task(courier.run())
    courier.put(message("et"))
    for _ in range(300):
        if courier.problem is not None:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    status = courier.status()
    assert status["ok"] is False
    problem = status["problem"]
    assert isinstance(problem, dict)
    assert "127.0.0.1 refuses connections" in problem["en"]
    assert "alerts.webhook_url" in problem["et"]
    assert courier.waiting == 1  # kept for the next try
