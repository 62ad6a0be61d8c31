"""Every sentence of `hanport service`, `backup`, `restore` and `db check` exists in English
and Estonian, with the same placeholders, and the Estonian uses "näit" for a reading."""

from __future__ import annotations

import string

import pytest

from hanport.backup.errors import BackupProblem
from hanport.i18n.catalogue import catalogue
from hanport.i18n.formats import size_text


def _fields(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


@pytest.mark.parametrize("table", ["service", "backup"])
def test_every_sentence_in_both_languages(table: str) -> None:
    english, estonian = catalogue("en"), catalogue("et")
    codes = [code for code in english if code.startswith(f"{table}.")]
    assert len(codes) > 15
    for code in codes:
        assert _fields(english[code]) == _fields(estonian[code]), code
        assert english[code] != estonian[code], code
        assert "lugem" not in estonian[code].lower(), code  # the term is näit, näidud


def test_problems_speak_both_languages() -> None:
    problem = BackupProblem("backup.in_use", path="/var/lib/hanport/hanport.db")
    assert str(problem).startswith("The database /var/lib/hanport/hanport.db is in use")
    assert problem.text("et").startswith("Andmebaas /var/lib/hanport/hanport.db on kasutusel")
    assert size_text(999) == "999 B"
    assert size_text(90_400_000) == "90.4 MB"
    assert size_text(90_400_000, "et") == "90,4 MB"
