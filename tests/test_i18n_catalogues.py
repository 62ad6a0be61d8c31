"""The catalogues: every code in English and Estonian, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from hanport.errors import ChecksumError, HanError
from hanport.i18n.catalogue import LANGUAGES, catalogue, render


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_english_and_estonian() -> None:
    english, estonian = catalogue("en"), catalogue("et")
    assert english, "the English catalogue is empty"
    assert set(english) == set(estonian)
    for language in LANGUAGES:
        assert all(text.strip() for text in catalogue(language).values())


@pytest.mark.parametrize("code", sorted(catalogue("en")))
def test_both_languages_take_the_same_values(code: str) -> None:
    assert _fields(catalogue("en")[code]) == _fields(catalogue("et")[code])


def test_an_error_renders_in_either_language() -> None:
    error = ChecksumError("P1 telegram", 0x6EEE, 0x1234)
    assert error.code == "decoder.checksum"
    assert str(error).startswith("Checksum mismatch in P1 telegram: the frame says 6EEE, computed")
    assert error.text("et").startswith("Kontrollsumma ei klapi (P1 telegram): kaadris on 6EEE")


def test_parameters_that_are_errors_are_rendered_in_the_same_language() -> None:
    inner = ChecksumError("HDLC frame (FCS)", 1, 2)
    outer = HanError("decoder.internal", error=inner)
    assert "Kontrollsumma" in outer.text("et")
    assert "Checksum mismatch" in str(outer)


def test_a_sentence_without_a_code_stays_as_it_is() -> None:
    assert render("The cable is out.", {}, "et") == "The cable is out."
