"""The channels (I/O edges): webhook, ntfy and Telegram over HTTPS (httpx), e-mail over SMTP.

Each `send` delivers one `Message` or raises `ChannelError` with a sentence (EN and ET) that
says what went wrong. `Courier` runs one channel: it queues messages, retries a failed one with
growing pauses (1 s doubling to 5 min), says a failure once in the log naming the setting to
check, and says once when the channel works again.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import socket
import ssl
from collections import deque
from collections.abc import Awaitable, Callable
from email.header import Header
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol
from urllib.parse import urlsplit

from hanport.alerts.messages import Message
from hanport.alerts.settings import EmailSettings, NtfySettings, TelegramSettings, WebhookSettings
from hanport.backoff import Backoff
from hanport.errors import HanError
from hanport.i18n import text

__all__ = [
    "Channel",
    "ChannelError",
    "Courier",
    "EmailChannel",
    "NtfyChannel",
    "TelegramChannel",
    "WebhookChannel",
]

log = logging.getLogger("hanport.alerts")
TIMEOUT_S = 15.0
_NTFY_PRIORITY = {"critical": "5", "warning": "4", "info": "3"}
_NTFY_TAGS = {"critical": "rotating_light", "warning": "warning", "info": "information_source"}


class ChannelError(HanError):
    """An alert channel that could not deliver: a code of `[alerts]` (`alerts.detail_*`)."""

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code, **params)
        self.body = b""


class Channel(Protocol):
    name: str
    setting: str
    """The setting a failure names."""

    async def send(self, message: Message) -> None: ...


class _Http:
    name = "http"
    setting = ""

    def __init__(self, url: str, timeout_s: float = TIMEOUT_S) -> None:
        self.host = urlsplit(url).hostname or url
        self.timeout_s = timeout_s

    async def _post(self, url: str, **request: object) -> bytes:
        import httpx

        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                response = await client.post(url, **request)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise ChannelError("alerts.detail_timeout", host=self.host) from None
        except httpx.HTTPError as error:
            raise _explain(error, self.host) from None
        if response.status_code >= 300:
            refused = ChannelError("alerts.detail_status", status=response.status_code)
            refused.body = response.content[:500]
            raise refused
        return response.content


class WebhookChannel(_Http):
    name = "webhook"
    setting = "alerts.webhook_url"

    def __init__(self, settings: WebhookSettings, timeout_s: float = TIMEOUT_S) -> None:
        super().__init__(settings.url, timeout_s)
        self.settings = settings

    async def send(self, message: Message) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "hanport"}
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        await self._post(self.settings.url, content=message.json().encode(), headers=headers)


class NtfyChannel(_Http):
    name = "ntfy"
    setting = "alerts.ntfy_url"

    def __init__(self, settings: NtfySettings, timeout_s: float = TIMEOUT_S) -> None:
        super().__init__(settings.url, timeout_s)
        self.settings = settings

    async def send(self, message: Message) -> None:
        cleared = message.event == "cleared"
        headers = {
            "Title": _header(message.title),
            "Priority": "2" if cleared else _NTFY_PRIORITY.get(message.severity, "3"),
            "Tags": "white_check_mark" if cleared else _NTFY_TAGS.get(message.severity, "bell"),
            "Content-Type": "text/plain; charset=utf-8",
        }
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        await self._post(self.settings.url, content=message.body.encode(), headers=headers)


class TelegramChannel(_Http):
    name = "telegram"
    setting = "alerts.telegram_token, alerts.telegram_chat_id"

    def __init__(self, settings: TelegramSettings, timeout_s: float = TIMEOUT_S) -> None:
        super().__init__(settings.api, timeout_s)
        self.settings = settings

    async def send(self, message: Message) -> None:
        url = f"{self.settings.api}/bot{self.settings.token}/sendMessage"
        body = {
            "chat_id": self.settings.chat_id,
            "text": f"{message.title}\n\n{message.body}",
            "disable_notification": message.severity == "info" or message.event == "cleared",
        }
        try:
            answer = await self._post(url, json=body)
        except ChannelError as error:
            if error.code != "alerts.detail_status":
                raise
            raise ChannelError(
                "alerts.detail_telegram", reply=_description(error.body, error)
            ) from None
        if b'"ok":true' not in answer.replace(b" ", b""):
            raise ChannelError("alerts.detail_telegram", reply=_description(answer, None))


class EmailChannel:
    name = "email"
    setting = "alerts.email_smtp"

    def __init__(self, settings: EmailSettings, timeout_s: float = TIMEOUT_S) -> None:
        self.settings = settings
        self.timeout_s = timeout_s

    async def send(self, message: Message) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: Message) -> None:
        settings = self.settings
        context = ssl.create_default_context(cafile=settings.ca_file)
        mail = EmailMessage()
        mail["Subject"] = f"[hanport] {message.title}"
        mail["From"] = settings.sender
        mail["To"] = ", ".join(settings.recipients)
        mail["Date"] = formatdate(message.at.timestamp(), localtime=False)
        mail["Message-ID"] = make_msgid("hanport")
        if message.severity == "critical":
            mail["Importance"] = "high"
        mail.set_content(message.body)
        try:
            if settings.implicit_tls:
                server: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host, settings.port, timeout=self.timeout_s, context=context
                )
            else:
                server = smtplib.SMTP(settings.host, settings.port, timeout=self.timeout_s)
            with server:
                if not settings.implicit_tls:
                    server.ehlo()
                    if not server.has_extn("starttls"):
                        raise ChannelError("alerts.detail_no_starttls")
                    server.starttls(context=context)
                    server.ehlo()
                if settings.username:
                    server.login(settings.username, settings.password or "")
                server.send_message(mail)
        except ChannelError:
            raise
        except smtplib.SMTPAuthenticationError:
            raise ChannelError("alerts.detail_login") from None
        except smtplib.SMTPResponseException as error:
            said = error.smtp_error
            said_text = said.decode(errors="replace") if isinstance(said, bytes) else str(said)
            reply = f"{error.smtp_code} {said_text}"
            raise ChannelError("alerts.detail_smtp", reply=reply) from None
        except (smtplib.SMTPException, OSError) as error:
            raise _explain(error, settings.host) from None


class Courier:
    """Delivers one channel's messages in order; never raises."""

    def __init__(
        self,
        channel: Channel,
        language: str = "en",
        *,
        backoff: Backoff | None = None,
        max_waiting: int = 200,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.channel = channel
        self.language = language
        self.backoff = backoff or Backoff(1.0, 300.0)
        self.problem: ChannelError | None = None
        self.sent = 0
        self._waiting: deque[Message] = deque()
        self._max = max_waiting
        self._dropped = 0
        self._wake = asyncio.Event()
        self._sleep = sleep

    def put(self, message: Message) -> None:
        if len(self._waiting) >= self._max:
            self._waiting.popleft()
            self._dropped += 1
            if self._dropped == 1:
                log.warning(
                    "%s",
                    text(
                        "alerts.channel_dropped", self.language, count=1, channel=self.channel.name
                    ),
                )
        self._waiting.append(message)
        self._wake.set()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def status(self) -> dict[str, object]:
        """For the app: is the channel working, and if not, why (in both languages)."""
        problem = self.problem
        return {
            "channel": self.channel.name,
            "ok": problem is None,
            "waiting": self.waiting,
            "sent": self.sent,
            "problem": None
            if problem is None
            else {"en": self._said(problem, "en"), "et": self._said(problem, "et")},
        }

    async def run(self) -> None:
        while True:
            while not self._waiting:
                self._wake.clear()
                await self._wake.wait()
            message = self._waiting[0]
            try:
                await self.channel.send(message)
            except ChannelError as error:
                if self.problem is None or self.problem.code != error.code:
                    log.error("%s", self._said(error, self.language))
                self.problem = error
                await self._sleep(self.backoff.next())
                continue
            except Exception as error:  # a bug in a channel must not stop the alerts
                log.error(
                    "%s",
                    text(
                        "alerts.channel_failed",
                        self.language,
                        channel=self.channel.name,
                        detail=type(error).__name__,
                        setting=self.channel.setting,
                    ),
                )
                await self._sleep(self.backoff.next())
                continue
            if self._waiting and self._waiting[0] is message:
                self._waiting.popleft()
            self.sent += 1
            if self.problem is not None:
                self.problem = None
                log.info(
                    "%s",
                    text(
                        "alerts.channel_recovered",
                        self.language,
                        channel=self.channel.name,
                        count=1 + len(self._waiting),
                    ),
                )
            self._dropped = 0
            self.backoff.reset()

    def _said(self, error: ChannelError, language: str) -> str:
        return text(
            "alerts.channel_failed",
            language,
            channel=self.channel.name,
            detail=error.text(language),
            setting=self.channel.setting,
        )


def _description(body: bytes, error: ChannelError | None) -> str:
    """Telegram's own words: {"ok": false, "error_code": 401, "description": "Unauthorized"}."""
    import json

    try:
        answer = json.loads(body)
        return f"{answer.get('error_code', '')} {answer['description']}".strip()
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"HTTP {error.params['status']}" if error else body[:100].decode(errors="replace")


def _header(value: str) -> str:
    """ASCII as is; anything else RFC 2047-encoded (ntfy decodes it: Estonian titles)."""
    if value.isascii():
        return value
    return Header(value, "utf-8").encode()


def _explain(error: BaseException, host: str) -> ChannelError:
    cause: BaseException = error
    while cause.__cause__ or cause.__context__:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    for found in (error, cause):
        if isinstance(found, ssl.SSLCertVerificationError):
            return ChannelError(
                "alerts.detail_tls", host=host, reason=found.verify_message or found.reason
            )
        if isinstance(found, ConnectionRefusedError):
            return ChannelError("alerts.detail_refused", host=host)
        if isinstance(found, socket.gaierror):
            return ChannelError("alerts.detail_unknown_host", host=host)
        if isinstance(found, TimeoutError | socket.timeout):
            return ChannelError("alerts.detail_timeout", host=host)
    return ChannelError("alerts.detail_other", reply=str(error) or type(error).__name__)
