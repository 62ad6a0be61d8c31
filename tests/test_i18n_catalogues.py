"""The catalogues: every code in English and Estonian, with the same placeholders."""

from __future__ import annotations

import re
import string
import subprocess
import sys
from decimal import Decimal

import pytest

from hanport.errors import ChecksumError, HanError
from hanport.i18n.catalogue import LANGUAGES, Message, catalogue, has, plural, render

SAME_IN_BOTH = frozenset(
    {
        "settings.what.mqtt_qos",  # names of settings and units: the same words in Estonian
        "settings.what.mqtt_expire",
        "cli.os_error",
        "accounts.column_number",
        "costs.detail_http",
        "ev.where_charger",
        "ev.what.stale",
        "quality.col_band",
        "quality.col_trip",
        "quality.col_min",
        "quality.col_max",
        "alerts.summary_line",
        "alerts.footer",
    }
)
"""Codes whose Estonian is rightly the English (anything else the same is untranslated)."""


_SETTING_SYNTAX = frozenset({"costs.setting_price"})
"""Sentences that show a value as it is written in hanport.toml (6.07, with a point)."""


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_english_and_estonian() -> None:
    english, estonian = catalogue("en"), catalogue("et")
    assert len(english) > 600, "the English catalogue is nearly empty"
    assert set(english) == set(estonian)
    for language in LANGUAGES:
        assert all(text.strip() for text in catalogue(language).values())


@pytest.mark.parametrize("code", sorted(catalogue("en")))
def test_both_languages_take_the_same_values(code: str) -> None:
    assert _fields(catalogue("en")[code]) == _fields(catalogue("et")[code])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders(language: str) -> None:
    """No stray brace: each sentence formats with a value for each of its placeholders."""
    for code, template in catalogue(language).items():
        values = dict.fromkeys(_fields(template), "x")
        assert render(code, values, language), code


def test_every_estonian_sentence_is_translated() -> None:
    english, estonian = catalogue("en"), catalogue("et")
    same = {code for code in english if english[code] == estonian[code]}
    lettered = {
        code for code in same if re.search(r"[A-Za-z]{2}", re.sub(r"{[^}]*}", "", english[code]))
    }
    assert lettered <= SAME_IN_BOTH


def test_the_term_for_a_reading_is_nait() -> None:
    estonian = " ".join(catalogue("et").values()).lower()
    assert not re.search(r"\blugem(id|ite|it|ile|i)?\b", estonian)  # "lugemine" is reading
    assert "näit" in estonian
    assert not re.search(r"\bnäite\b", estonian)  # reads as "of an example": ühtki näitu


def test_estonian_numbers_in_the_sentences_have_decimal_commas() -> None:
    """A number written into an Estonian sentence (not a command, version, address or a value to
    write into the settings) has a decimal comma: 0,5 kuni 3600, 195,5–253 V."""
    for code, template in catalogue("et").items():
        if code in _SETTING_SYNTAX:
            continue
        prose = re.sub(r"\S*[/=:_]\S*|\d+\.\d+\.\d+\S*|'[^']*'|\"[^\"]*\"|`[^`]*`", "", template)
        assert not re.search(r"\d\.\d", prose), (code, template)


def test_an_error_renders_in_either_language() -> None:
    error = ChecksumError("decoder.part_p1", 0x6EEE, 0x1234)
    assert error.code == "decoder.checksum"
    assert str(error).startswith("Checksum mismatch in P1 telegram: the frame says 6EEE, computed")
    assert error.text("et").startswith("Kontrollsumma ei klapi (P1-telegramm): kaadris on 6EEE")


def test_parameters_that_are_errors_are_rendered_in_the_same_language() -> None:
    inner = ChecksumError("decoder.part_hdlc", 1, 2)
    outer = HanError("decoder.internal", error=inner)
    assert "Kontrollsumma" in outer.text("et")
    assert "HDLC-kaader (FCS)" in outer.text("et")
    assert "Checksum mismatch" in str(outer)


def test_numbers_are_written_the_way_the_language_writes_them() -> None:
    assert render("web.too_many", {"seconds": 1500}, "et").endswith("1500 sekundi pärast.")
    assert "16 384 baidi" in render("decoder.p1_no_end", {"size": 16384}, "et")
    assert "16384 bytes" in render("decoder.p1_no_end", {"size": 16384}, "en")
    assert "0,5 kuni 3600" in render(
        "settings.number", {"what": "x", "where": "y", "low": 0.5, "high": 3600.0}, "et"
    )
    assert "4,5 A" in render("ev.reason.fixed", {"current_a": Decimal("4.5")}, "et")


def test_a_plural_takes_the_form_for_one() -> None:
    assert plural("export.exported", "en", 1, rows=1) == "Exported 1 row."
    assert plural("export.exported", "en", 2, rows=2) == "Exported 2 rows."
    assert plural("export.exported", "et", 2, rows=2) == "Eksporditud 2 rida."


def test_a_message_is_a_sentence_in_any_language() -> None:
    message = Message("mqtt.detail_closed")
    assert message == "the broker closed the connection"
    assert message.text("et") == "maakler sulges ühenduse"
    assert render("mqtt.tls", {"url": "u", "detail": message, "setting": "s"}, "et").count(
        "maakler"
    )


def test_an_unknown_code_is_no_sentence() -> None:
    with pytest.raises(KeyError):
        render("The cable is out.", {}, "et")
    with pytest.raises(KeyError):
        render("cli.no_such_code", {}, "en")
    assert not has("The cable is out.")


def test_a_language_without_a_catalogue_is_english() -> None:
    assert render("cli.stopped", {}, "fr") == "Stopped."


def test_importing_hanport_reads_no_catalogue() -> None:
    """The catalogues are read on first use: `import hanport` (and decoding good data) does not
    import tomllib or read en.toml."""
    probe = (
        "import sys, hanport\n"
        "hanport.decode(b'')\n"
        "from hanport.i18n import catalogue as c\n"
        "print('tomllib' in sys.modules, bool(c._LOADED))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
