"""Every sentence of the costs (the catalogues' `[costs]` table) exists in English and Estonian
with the same fields; a part of a sentence renders in the sentence's language."""

from __future__ import annotations

import string

import pytest

from hanport.costs.errors import TariffError
from hanport.i18n import text
from hanport.i18n.catalogue import Message, catalogue

CODES = sorted(code for code in catalogue("en") if code.startswith("costs."))


def fields(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


@pytest.mark.parametrize("code", CODES)
def test_both_languages_with_the_same_fields(code: str) -> None:
    english, estonian = catalogue("en")[code], catalogue("et")[code]
    assert fields(english) == fields(estonian)
    assert english != estonian or code == "costs.detail_http"
    assert "lugem" not in estonian.lower()  # the term is "näit"


def test_phrases_render_in_the_sentence_s_language() -> None:
    error = TariffError(
        "costs.tariff_unknown",
        what=Message("costs.component_excise_c_kwh"),
        day="2023-01-01",
        why=Message("costs.tariff_before", preset="national.toml", first="2024-01-01"),
        key="excise_c_kwh",
        env="EXCISE_C_KWH",
    )
    assert "No electricity excise is known" in str(error)
    assert "elektriaktsiisi" in error.text("et")
    assert "algab" in error.text("et")
    assert text("costs.plan_duration", "xx", value="9", limit_h=48).startswith("The duration")
