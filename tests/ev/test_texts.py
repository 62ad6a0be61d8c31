"""Every reason the law can give has a sentence in English and Estonian."""

from __future__ import annotations

import re
from pathlib import Path

from hanport.ev.model import Reason
from hanport.ev.texts import LANGUAGES, TEXTS, reason_text, text

SOURCE = Path(__file__).parents[2] / "hanport" / "ev"


def test_every_reason_code_in_the_code_has_both_sentences() -> None:
    codes = set()
    for module in SOURCE.glob("*.py"):
        codes |= set(re.findall(r'Reason\(\s*"([a-z_]+)"', module.read_text(encoding="utf-8")))
    assert len(codes) > 15
    for code in codes:
        assert set(TEXTS[f"reason.{code}"]) == set(LANGUAGES), code


def test_both_languages_use_the_same_placeholders() -> None:
    for key, forms in TEXTS.items():
        names = {lang: set(re.findall(r"{(\w+)}", form)) for lang, form in forms.items()}
        assert names["en"] == names["et"], key


def test_numbers_are_printed_plainly() -> None:
    reason = Reason(
        "no_room", {"phase": 2, "room_a": __import__("decimal").Decimal("4.50"), "min_a": 6}
    )
    assert reason_text(reason) == "Paused: L2 has room for only 4.5 A, below the 6 A a car needs."
    assert "näit" in text("reason.no_reading_yet", "et", failsafe_a=0)
    assert text("reason.fixed", "fr", current_a=10) == "Fixed current of 10 A."


def test_moments_are_shown_as_local_hours_and_minutes() -> None:
    reason = Reason("cheap_slot", {"until": "2026-01-16T07:00:00+02:00"})
    assert reason_text(reason) == "In a cheap slot until 07:00."
    assert reason_text(reason, "et") == "Odavas ajavahemikus kuni 07:00."
