"""The rules as the app shows and changes them: the `[alerts]` keys of the rules only.

    {"overcurrent": true, "overcurrent_pct": 100, "overcurrent_s": 60, "import_power": false, …}

A change from the app (PUT /api/v1/alerts/settings) is checked exactly as the file's keys are
(`alert_settings`), names every rule (a rule left out takes its default), applies to the
running alerts at once, and is kept in the database (a record of kind "alert_rules"), so that
it outlasts a restart; the file's rule keys count again when that record is removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from hanport.alerts.rules import DEFAULT_RULES, Rule
from hanport.alerts.settings import RULE_KEYS, THRESHOLD_KEYS, alert_settings
from hanport.store.base import Record

__all__ = [
    "DEFAULTS",
    "RULES_KIND",
    "edits_record",
    "rule_keys",
    "rules_from",
    "rules_json",
    "saved_rules",
]

RULES_KIND = "alert_rules"
_AT = datetime(1970, 1, 1, tzinfo=UTC)


def rules_from(values: Mapping[str, object]) -> tuple[Rule, ...]:
    """The rules the keys give (`SettingProblem` for one that is wrong; unknown keys are
    refused by name)."""
    from hanport.alerts.settings import SettingProblem

    unknown = sorted(set(values) - set(RULE_KEYS))
    if unknown:
        raise SettingProblem("alerts.setting_unknown", where=unknown[0], known=", ".join(RULE_KEYS))
    raw = {key: (value, f"alerts.{key}") for key, value in values.items() if value is not None}
    return alert_settings(raw).rules


def rule_keys(rules: tuple[Rule, ...]) -> dict[str, object]:
    """The keys (and values) that give `rules`."""
    keys: dict[str, object] = {}
    for rule in rules:
        keys[rule.kind] = rule.enabled
        threshold = THRESHOLD_KEYS.get(rule.kind)
        if threshold is not None and rule.threshold is not None:
            keys[threshold] = rule.threshold
        if f"{rule.kind}_s" in RULE_KEYS:
            keys[f"{rule.kind}_s"] = rule.duration_s
    return keys


def rules_json(rules: tuple[Rule, ...]) -> list[dict[str, object]]:
    """Each rule for the app: its kind, severity, and the keys that set it."""
    return [
        {
            "kind": rule.kind,
            "severity": rule.severity,
            "enabled": rule.enabled,
            "threshold": rule.threshold,
            "threshold_key": THRESHOLD_KEYS.get(rule.kind),
            "duration_s": rule.duration_s,
            "duration_key": f"{rule.kind}_s" if f"{rule.kind}_s" in RULE_KEYS else None,
        }
        for rule in rules
    ]


def edits_record(rules: tuple[Rule, ...]) -> Record:
    return Record(RULES_KIND, "", _AT, "", {"rules": rule_keys(rules)})


def saved_rules(record: Record | None) -> tuple[Rule, ...] | None:
    """The rules a saved record gives; None when there is none or it no longer parses."""
    if record is None:
        return None
    values = record.data.get("rules")
    if not isinstance(values, Mapping):
        return None
    try:
        return rules_from({str(k): _plain(v) for k, v in values.items()})
    except Exception:  # a record of a newer or older hanport: the file's rules then
        return None


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


DEFAULTS = rule_keys(DEFAULT_RULES)
