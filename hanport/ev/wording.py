"""The EV control's sentences, from the catalogues' `[ev]` table, with its figures as people read
them: currents as the law computed them (no trailing zeros; a decimal comma in Estonian),
moments as HH:MM in the zone they were given in (local time for slots and departures).

Codes are `ev.reason.<code>` for the reasons behind a limit (`hanport.ev.model.Reason`),
`ev.event.*` for what the log says, and `ev.error.*` for problems.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal

from hanport.ev.model import Reason
from hanport.i18n.catalogue import render

__all__ = ["logs_in", "reason_text", "say"]

_LOG_LANGUAGE: ContextVar[str] = ContextVar("ev_log_language", default="en")


def logs_in(language: str) -> None:
    """What the EV control says without a language of its own is in `language` from here on, in
    this task and every task it starts (the OCPP central system, the go-e pollers)."""
    _LOG_LANGUAGE.set(language)


def say(code: str, language: str | None = None, **params: object) -> str:
    """The sentence `code` (a code of `[ev]`) in `language` (English for any other), by default
    the language the log is in (`logs_in`)."""
    chosen = language or _LOG_LANGUAGE.get()
    return render(code, {name: _plain(value) for name, value in params.items()}, chosen)


def reason_text(reason: Reason, language: str = "en") -> str:
    """The sentence for `reason` ("L1 at 23 A; the house draws 7 A without the car …")."""
    return say(f"ev.reason.{reason.code}", language, **dict(reason.params))


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:  # a moment (slot or departure), in the zone it was given in
            return f"{datetime.fromisoformat(value):%H:%M}"
        except ValueError:
            pass
    return value


def _decimal(value: Decimal) -> Decimal:
    """`16`, `7.5`, `-0.4`: no exponent, no trailing zeros (written in the sentence's language)."""
    plain = value.normalize()
    return Decimal(0) if plain.is_zero() else plain
