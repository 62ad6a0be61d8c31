"""Source URLs of telegram-publishing devices, parsed without I/O."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from hanport.sources.errors import SourceError

__all__ = [
    "SCHEMES",
    "HomeWizardSource",
    "MqttTelegramSource",
    "TelegramSource",
    "parse_telegram_source",
]

SCHEMES = ("homewizard", "mqtt+tasmota", "mqtts+tasmota", "mqtt+esphome", "mqtts+esphome")


@dataclass(frozen=True)
class HomeWizardSource:
    host: str
    port: int = 80
    interval_s: float = 2.0
    """How often the telegram is fetched. The P1 meter keeps only the latest one, so fetching
    well within the meter's 10 s means none is missed; each is yielded once."""

    def __str__(self) -> str:
        return f"homewizard {self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{_host(self.host)}:{self.port}/api/v1/telegram"


@dataclass(frozen=True)
class MqttTelegramSource:
    kind: str
    """"tasmota" or "esphome"."""
    host: str
    topic: str
    port: int = 1883
    tls: bool = False
    username: str | None = None
    password: str | None = None
    format: str = "auto"
    """Tasmota only: "text", "hex" (SerialDelimiter 254) or "auto" (each message by its look)."""

    def __str__(self) -> str:  # never the password
        return f"{self.kind} mqtt{'s' if self.tls else ''}://{self.host}:{self.port}/{self.topic}"


TelegramSource = HomeWizardSource | MqttTelegramSource


def parse_telegram_source(url: str) -> TelegramSource:
    """Parse one of SCHEMES; raises SourceError saying what to write instead."""
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    try:
        port = parts.port
    except ValueError:
        raise SourceError("sources.telegram_url_port", url=url) from None
    if parts.scheme == "homewizard":
        if not parts.hostname:
            raise SourceError("sources.telegram_url_homewizard", url=url)
        return HomeWizardSource(parts.hostname, port or 80, _interval(options))
    if parts.scheme in SCHEMES:
        kind = parts.scheme.split("+")[1]
        topic = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not topic:
            example = "tele/p1/RESULT" if kind == "tasmota" else "p1/text_sensor/telegram/state"
            raise SourceError(
                "sources.telegram_url_topic",
                url=url,
                example=f"{parts.scheme}://192.0.2.2/{example}",
            )
        if parts.fragment or url.endswith("#") or "+" in topic:
            raise SourceError("sources.telegram_url_wildcard", topic=topic)
        tls = parts.scheme.startswith("mqtts")
        return MqttTelegramSource(
            kind=kind,
            host=parts.hostname,
            topic=topic,
            port=port or (8883 if tls else 1883),
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            format=_format(options, kind),
        )
    raise SourceError("sources.telegram_url_unknown", url=url, schemes=", ".join(SCHEMES))


def _interval(options: dict[str, str]) -> float:
    text = options.get("interval", "2")
    try:
        interval = float(text)
    except ValueError:
        interval = 0.0
    if not 0.5 <= interval <= 3600:
        raise SourceError("sources.telegram_url_interval", value=text)
    return interval


def _format(options: dict[str, str], kind: str) -> str:
    form = options.get("format", "auto")
    if form not in ("auto", "text", "hex") or (kind == "esphome" and form != "auto"):
        raise SourceError("sources.telegram_url_format", value=form)
    return form


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
