"""Every sentence of the costs catalogue exists in English and Estonian with the same fields."""

from __future__ import annotations

import string

import pytest

from hanport.costs.errors import TariffError
from hanport.costs.texts import TEXTS, Phrase, text


def fields(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_both_languages_with_the_same_fields(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == {"en", "et"}
    assert fields(entry["en"]) == fields(entry["et"])
    assert entry["en"] != entry["et"]
    assert "lugem" not in entry["et"].lower()  # the term is "näit"


def test_phrases_render_in_the_sentence_s_language() -> None:
    error = TariffError(
        "tariff_unknown",
        what=Phrase("component_excise_c_kwh"),
        day="2023-01-01",
        why=Phrase("tariff_before", {"preset": "national.toml", "first": "2024-01-01"}),
        key="excise_c_kwh",
        env="EXCISE_C_KWH",
    )
    assert "No electricity excise is known" in str(error)
    assert "elektriaktsiisi" in error.in_language("et")
    assert "algab" in error.in_language("et")
    assert text("plan_duration", "xx", value="9", limit_h=48).startswith("The duration")
