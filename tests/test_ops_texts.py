"""Every sentence of `hanport service`, `backup`, `restore` and `db check` exists in English
and Estonian, with the same placeholders, and the Estonian uses "näit" for a reading."""

from __future__ import annotations

import string

import pytest

from hanport.backup import texts as backup_texts
from hanport.service import texts as service_texts

TABLES = {"service": service_texts._TEXTS, "backup": backup_texts._TEXTS}


def _fields(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_sentence_in_both_languages(table: str) -> None:
    for key, entry in TABLES[table].items():
        assert set(entry) == {"en", "et"}, key
        assert _fields(entry["en"]) == _fields(entry["et"]), key
        assert entry["en"] != entry["et"], key
        assert "lugem" not in entry["et"].lower(), key  # the term is näit, näidud


def test_problems_speak_both_languages() -> None:
    problem = backup_texts.Problem("in_use", path="/var/lib/hanport/hanport.db")
    assert str(problem).startswith("The database /var/lib/hanport/hanport.db is in use")
    assert problem.text("et").startswith("Andmebaas /var/lib/hanport/hanport.db on kasutusel")
    assert backup_texts.size_text(999) == "999 B"
    assert backup_texts.size_text(90_400_000) == "90.4 MB"
