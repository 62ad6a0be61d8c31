"""Every reason the law can give has a sentence in English and Estonian (`[ev.reason]`)."""

from __future__ import annotations

import asyncio
import re
import string
from decimal import Decimal
from pathlib import Path

from hanport.ev.model import Reason
from hanport.ev.wording import logs_in, reason_text, say
from hanport.i18n.catalogue import LANGUAGES, catalogue

SOURCE = Path(__file__).parents[2] / "hanport" / "ev"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_reason_code_in_the_code_has_both_sentences() -> None:
    codes = set()
    for module in SOURCE.glob("*.py"):
        codes |= set(re.findall(r'Reason\(\s*"([a-z_]+)"', module.read_text(encoding="utf-8")))
    assert len(codes) > 15
    for code in codes:
        assert all(f"ev.reason.{code}" in catalogue(language) for language in LANGUAGES), code


def test_both_languages_use_the_same_placeholders() -> None:
    for code in (c for c in catalogue("en") if c.startswith("ev.")):
        assert _fields(catalogue("en")[code]) == _fields(catalogue("et")[code]), code


def test_numbers_are_printed_plainly() -> None:
    reason = Reason("no_room", {"phase": 2, "room_a": Decimal("4.50"), "min_a": 6})
    assert reason_text(reason) == "Paused: L2 has room for only 4.5 A, below the 6 A a car needs."
    assert "4,5 A" in reason_text(reason, "et")  # a decimal comma in Estonian
    assert "näit" in say("ev.reason.no_reading_yet", "et", failsafe_a=0)
    assert say("ev.reason.fixed", "fr", current_a=10) == "Fixed current of 10 A."


def test_moments_are_shown_as_local_hours_and_minutes() -> None:
    reason = Reason("cheap_slot", {"until": "2026-01-16T07:00:00+02:00"})
    assert reason_text(reason) == "In a cheap slot until 07:00."
    assert reason_text(reason, "et") == "Odavas ajavahemikus kuni 07:00."


def test_the_log_speaks_the_language_it_was_given_in_every_task_started_after() -> None:
    async def child() -> str:
        return say("ev.event.charger_lost", charger="wb")

    async def run() -> tuple[str, str, str]:
        before = say("ev.event.charger_lost", charger="wb")
        logs_in("et")
        inherited = await asyncio.create_task(child())
        return before, inherited, say("ev.event.charger_lost", "en", charger="wb")

    before, inherited, explicit = asyncio.run(run())
    assert before.startswith("Charger wb disconnected")
    assert inherited.startswith("Laadija wb ühendus katkes")
    assert explicit == before
    assert say("ev.event.charger_lost", charger="wb") == before  # another context: English
