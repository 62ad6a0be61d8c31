"""The [alerts] settings: rules, quiet hours, channels; a bad value is one sentence."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from hanport.alerts.outbox import QuietHours
from hanport.alerts.rules import DEFAULT_RULES, RULE_KINDS
from hanport.alerts.settings import ALERTS_KEYS, AlertSettings, alert_settings
from hanport.quality.settings import SettingProblem
from hanport.settings.values import ConfigError, Raw


def raw(**values: object) -> Raw:
    return {k: (v, f"alerts.{k} in hanport.toml") for k, v in values.items()}


def test_defaults() -> None:
    settings = alert_settings({})
    assert settings == AlertSettings()
    assert settings.rules == DEFAULT_RULES
    assert settings.channels == ()
    assert {r.kind for r in settings.rules if not r.enabled} == {"import_power", "monthly_peak"}
    assert set(RULE_KINDS) <= set(ALERTS_KEYS)
    assert len(ALERTS_KEYS) == len(set(ALERTS_KEYS))


def test_rules_thresholds_and_durations() -> None:
    settings = alert_settings(
        raw(
            overcurrent_pct=90,
            overcurrent_s="30",
            import_power_w=12000,
            data_lost=False,
            quiet_hours="22:30-06:45",
            language="et",
            repeat_s=0,
        )
    )
    rules = {rule.kind: rule for rule in settings.rules}
    assert (rules["overcurrent"].threshold, rules["overcurrent"].duration_s) == (Decimal(90), 30)
    assert rules["import_power"].enabled  # giving the power asks for the alert
    assert rules["import_power"].threshold == Decimal(12000)
    assert not rules["data_lost"].enabled
    assert settings.quiet == QuietHours(time(22, 30), time(6, 45))
    assert (settings.language, settings.repeat_s) == ("et", 0)


def test_channels(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    settings = alert_settings(
        raw(
            webhook_url="https://hooks.example.org/a",
            email_smtp="smtps://u%40x:p%20w@mail.example.org",
            email_from="gw@example.org",
            email_to="a@example.org,b@example.org",
            email_ca_file=str(ca),
            ntfy_url="https://ntfy.sh/topic",
            telegram_token="12:ab",
            telegram_chat_id="@my_channel",
        )
    )
    assert settings.channels == ("webhook", "email", "ntfy", "telegram")
    email = settings.email
    assert email is not None
    assert (email.host, email.port, email.implicit_tls) == ("mail.example.org", 465, True)
    assert (email.username, email.password) == ("u@x", "p w")
    assert "p w" not in repr(settings)
    assert email.recipients == ("a@example.org", "b@example.org")
    assert settings.telegram is not None
    assert settings.telegram.api == "https://api.telegram.org"


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ({"quiet_hours": "10pm-7am"}, "must look like 22:00-07:00"),
        ({"quiet_hours": "25:00-07:00"}, "must look like 22:00-07:00"),
        ({"overcurrent_pct": 5}, "alerts.overcurrent_pct in hanport.toml must be a number from 10"),
        ({"data_lost_s": -1}, "alerts.data_lost_s in hanport.toml must be a whole number"),
        ({"import_power": True}, "alerts.import_power needs alerts.import_power_w as well"),
        ({"webhook_url": "ftp://x"}, "must start with https://"),
        ({"email_smtp": "mail.example.org"}, "must look like smtp://user:password@host:587"),
        ({"email_smtp": "smtp://h", "email_from": "gw@example.org"}, "needs alerts.email_from"),
        ({"email_smtp": "smtp://h", "email_from": "gw", "email_to": "a@b.ee"}, "not an e-mail"),
        ({"ntfy_url": "https://ntfy.sh/"}, "must name the topic"),
        ({"telegram_token": "12:ab"}, "needs alerts.telegram_chat_id"),
        ({"telegram_token": "abc", "telegram_chat_id": "1"}, "as @BotFather gives it"),
        ({"telegram_token": "1:a", "telegram_chat_id": "me"}, "must be a number (or @channelname)"),
        ({"language": "de"}, "must be en or et"),
    ],
)
def test_a_bad_value_is_one_sentence(values: dict[str, object], sentence: str) -> None:
    with pytest.raises(ConfigError) as caught:
        alert_settings(raw(**values))
    assert sentence in str(caught.value)
    assert isinstance(caught.value, SettingProblem)
    assert caught.value.text("et") != str(caught.value)
