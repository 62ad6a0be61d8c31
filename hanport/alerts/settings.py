"""The `[alerts]` section: rules, quiet hours, limits and channels (environment: HANPORT_ALERTS_*).

[alerts]
enabled = true
language = "et"                  # en or et, for the messages
repeat_s = 3600                  # repeat a lasting alert at most this often; 0: never
clear_s = 60                     # a reading condition must be gone this long to clear
quiet_hours = "22:00-07:00"      # local time; "" for none
max_per_hour = 20                # messages per channel in any hour
overcurrent = true               # a phase above overcurrent_pct % of the fuse …
overcurrent_pct = 100
overcurrent_s = 60               # … for this long
import_power = false
import_power_w = 15000
import_power_s = 60
voltage_band = true              # a 10-min mean outside [quality] band
voltage_band_s = 600
phase_lost = true
phase_lost_s = 30
broken_neutral = true
broken_neutral_s = 10
data_lost = true                 # no verified reading for data_lost_s
data_lost_s = 300
ev_failsafe = true
ev_failsafe_s = 0
meter_changed = true
decoder_errors = true
decoder_errors_per_hour = 60
monthly_peak = false
monthly_peak_w = 0
mqtt = true                      # alert topics on the [mqtt] broker
webhook_url = "https://example.org/hook"
webhook_token = "…"              # sent as Authorization: Bearer …
webhook_quiet = false            # the webhook honours quiet hours too
email_smtp = "smtp://user:password@mail.example.org:587"   # STARTTLS; smtps://…:465 for TLS
email_from = "hanport@example.org"
email_to = "me@example.org, partner@example.org"
email_ca_file = ""               # CA of a server with a private certificate
ntfy_url = "https://ntfy.sh/my-secret-topic"
ntfy_token = ""
telegram_token = "123456:ABC…"
telegram_chat_id = "123456789"
telegram_api = "https://api.telegram.org"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from urllib.parse import unquote, urlsplit

from hanport.alerts.outbox import QuietHours
from hanport.alerts.rules import DEFAULT_RULES, Rule, RuleKind
from hanport.quality.settings import (
    SettingProblem,
    decimal_setting,
    language_setting,
    whole_setting,
)
from hanport.settings.values import Raw, boolean, existing_file

__all__ = [
    "ALERTS_KEYS",
    "RULE_KEYS",
    "THRESHOLD_KEYS",
    "AlertSettings",
    "EmailSettings",
    "NtfySettings",
    "SettingProblem",
    "TelegramSettings",
    "WebhookSettings",
    "alert_settings",
]

_THRESHOLDS: dict[RuleKind, tuple[str, Decimal, Decimal]] = {
    "overcurrent": ("overcurrent_pct", Decimal(10), Decimal(300)),
    "import_power": ("import_power_w", Decimal(100), Decimal(1_000_000)),
    "decoder_errors": ("decoder_errors_per_hour", Decimal(1), Decimal(100_000)),
    "monthly_peak": ("monthly_peak_w", Decimal(0), Decimal(10_000_000)),
}
_DURATIONS: tuple[RuleKind, ...] = (
    "overcurrent",
    "import_power",
    "voltage_band",
    "phase_lost",
    "broken_neutral",
    "data_lost",
    "ev_failsafe",
)
THRESHOLD_KEYS: dict[RuleKind, str] = {kind: key for kind, (key, _, _) in _THRESHOLDS.items()}
RULE_KEYS: tuple[str, ...] = (
    *(rule.kind for rule in DEFAULT_RULES),
    *(name for name, _, _ in _THRESHOLDS.values()),
    *(f"{kind}_s" for kind in _DURATIONS),
)
"""The keys of the rules (the app may change these)."""
ALERTS_KEYS: tuple[str, ...] = (
    "enabled",
    "language",
    "repeat_s",
    "clear_s",
    "quiet_hours",
    "max_per_hour",
    *(rule.kind for rule in DEFAULT_RULES),
    *(name for name, _, _ in _THRESHOLDS.values()),
    *(f"{kind}_s" for kind in _DURATIONS),
    "mqtt",
    "webhook_url",
    "webhook_token",
    "webhook_quiet",
    "email_smtp",
    "email_from",
    "email_to",
    "email_ca_file",
    "ntfy_url",
    "ntfy_token",
    "telegram_token",
    "telegram_chat_id",
    "telegram_api",
)
_ADDRESS = re.compile(r"^[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+$")


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    token: str | None = None
    quiet: bool = False

    def __repr__(self) -> str:
        return f"WebhookSettings({self.url})"


@dataclass(frozen=True)
class EmailSettings:
    host: str
    port: int
    implicit_tls: bool
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None

    def __repr__(self) -> str:  # never print the password
        return f"EmailSettings({self.host}:{self.port} → {', '.join(self.recipients)})"


@dataclass(frozen=True)
class NtfySettings:
    url: str
    token: str | None = None

    def __repr__(self) -> str:
        return f"NtfySettings({self.url})"


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    chat_id: str
    api: str = "https://api.telegram.org"

    def __repr__(self) -> str:
        return f"TelegramSettings(chat {self.chat_id})"


@dataclass(frozen=True)
class AlertSettings:
    enabled: bool = True
    language: str = "en"
    rules: tuple[Rule, ...] = DEFAULT_RULES
    repeat_s: int = 3600
    clear_s: int = 60
    quiet: QuietHours | None = None
    max_per_hour: int = 20
    mqtt: bool = True
    webhook: WebhookSettings | None = None
    email: EmailSettings | None = None
    ntfy: NtfySettings | None = None
    telegram: TelegramSettings | None = None
    channels: tuple[str, ...] = field(default=())
    """The channels set up, in the order above (mqtt not included)."""


def alert_settings(raw: Raw) -> AlertSettings:
    rules = tuple(_rule(raw, default) for default in DEFAULT_RULES)
    webhook, email = _webhook(raw), _email(raw)
    ntfy, telegram = _ntfy(raw), _telegram(raw)
    named = (("webhook", webhook), ("email", email), ("ntfy", ntfy), ("telegram", telegram))
    return AlertSettings(
        enabled=boolean(raw.get("enabled"), True),
        language=language_setting(raw.get("language")),
        rules=rules,
        repeat_s=whole_setting(raw.get("repeat_s"), 3600, 0, 7 * 86400),
        clear_s=whole_setting(raw.get("clear_s"), 60, 0, 86400),
        quiet=_quiet(raw.get("quiet_hours")),
        max_per_hour=whole_setting(raw.get("max_per_hour"), 20, 1, 3600),
        mqtt=boolean(raw.get("mqtt"), True),
        webhook=webhook,
        email=email,
        ntfy=ntfy,
        telegram=telegram,
        channels=tuple(name for name, value in named if value is not None),
    )


def _rule(raw: Raw, default: Rule) -> Rule:
    kind = default.kind
    threshold = default.threshold
    if kind in _THRESHOLDS:
        name, low, high = _THRESHOLDS[kind]
        if raw.get(name) is not None:
            threshold = decimal_setting(raw.get(name), low, low, high)
    enabled = boolean(raw.get(kind), default.enabled)
    if kind == "import_power" and raw.get("import_power_w") is not None and raw.get(kind) is None:
        enabled = True  # giving the power is asking for the alert
    if enabled and threshold is None and kind == "import_power":
        raise SettingProblem(
            "alerts.setting_needs", where=f"alerts.{kind}", needs="alerts.import_power_w"
        )
    duration = default.duration_s
    if kind in _DURATIONS:
        duration = whole_setting(raw.get(f"{kind}_s"), duration, 0, 86400)
    return Rule(kind, enabled, threshold, duration)


def _quiet(item: tuple[object, str] | None) -> QuietHours | None:
    if item is None or str(item[0]).strip() == "":
        return None
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*", str(item[0]))
    if (
        match is None
        or int(match[1]) > 23
        or int(match[3]) > 23
        or int(match[2]) > 59
        or (int(match[4]) > 59)
    ):
        raise SettingProblem("alerts.setting_quiet", where=item[1], value=item[0])
    start, end = time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4]))
    if start == end:
        raise SettingProblem("alerts.setting_quiet", where=item[1], value=item[0])
    return QuietHours(start, end)


def _text(raw: Raw, name: str) -> str | None:
    item = raw.get(name)
    if item is None or item[0] in ("", None):
        return None
    return str(item[0]).strip()


def _url(raw: Raw, name: str) -> str | None:
    value = _text(raw, name)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingProblem("alerts.setting_url", where=raw[name][1], value=value)
    return value.rstrip("/") if name == "telegram_api" else value


def _webhook(raw: Raw) -> WebhookSettings | None:
    url = _url(raw, "webhook_url")
    if url is None:
        return None
    return WebhookSettings(
        url, _text(raw, "webhook_token"), boolean(raw.get("webhook_quiet"), False)
    )


def _email(raw: Raw) -> EmailSettings | None:
    value = _text(raw, "email_smtp")
    if value is None:
        return None
    where = raw["email_smtp"][1]
    parts = urlsplit(value)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SettingProblem("alerts.setting_smtp", where=where, value=parts.hostname or value[:40])
    try:
        port = parts.port
    except ValueError:
        raise SettingProblem("alerts.setting_smtp", where=where, value=parts.hostname) from None
    sender = _text(raw, "email_from")
    recipients = tuple(a.strip() for a in (_text(raw, "email_to") or "").split(",") if a.strip())
    if sender is None or not recipients:
        raise SettingProblem(
            "alerts.setting_needs",
            where="alerts.email_smtp",
            needs="alerts.email_from, alerts.email_to",
        )
    for address in (sender, *recipients):
        if not _ADDRESS.match(address):
            raise SettingProblem("alerts.setting_address", value=address)
    implicit = parts.scheme == "smtps"
    return EmailSettings(
        host=parts.hostname,
        port=port or (465 if implicit else 587),
        implicit_tls=implicit,
        sender=sender,
        recipients=recipients,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        ca_file=existing_file(raw.get("email_ca_file"), "settings.what.email_ca"),
    )


def _ntfy(raw: Raw) -> NtfySettings | None:
    url = _url(raw, "ntfy_url")
    if url is None:
        return None
    if len(urlsplit(url).path.strip("/")) == 0:
        raise SettingProblem("alerts.setting_ntfy", where=raw["ntfy_url"][1])
    return NtfySettings(url, _text(raw, "ntfy_token"))


def _telegram(raw: Raw) -> TelegramSettings | None:
    token, chat = _text(raw, "telegram_token"), _text(raw, "telegram_chat_id")
    if token is None and chat is None:
        return None
    if token is None or chat is None:
        raise SettingProblem(
            "alerts.setting_needs", where="alerts.telegram_token", needs="alerts.telegram_chat_id"
        )
    if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token):
        raise SettingProblem("alerts.setting_telegram_token", where=raw["telegram_token"][1])
    if not re.fullmatch(r"-?\d+|@[A-Za-z0-9_]{5,}", chat):
        raise SettingProblem(
            "alerts.setting_telegram_chat", where=raw["telegram_chat_id"][1], value=chat
        )
    api = _url(raw, "telegram_api") or "https://api.telegram.org"
    return TelegramSettings(token, chat, api)
