"""The decoder's reasons and the command's texts in Estonian, from real decoder output."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from encoder import (
    LLC,
    array,
    data_notification,
    glo_ciphering,
    hdlc_frame,
    p1_telegram,
    register,
    simple_apdu,
    unsigned,
)

import hanport
from hanport.i18n import default_language, reason, text
from hanport.model import Rejected

KEY = bytes(range(16))
AUTH = bytes(range(16, 32))


def rejected(data: bytes, **keys: bytes) -> str:
    decoder = hanport.Decoder(key=keys.get("key"), auth_key=keys.get("auth_key"))
    items = decoder.feed(data) + decoder.flush()
    assert len(items) == 1
    assert isinstance(items[0], Rejected), items
    return items[0].reason


def damaged_telegram() -> bytes:
    good = p1_telegram(["1-0:1.7.0(0001.011*kW)"])
    return good.replace(b"1.011", b"1.012")


CASES: dict[str, tuple[Callable[[], str], str]] = {
    "checksum": (lambda: rejected(damaged_telegram()), "Kontrollsumma ei klapi"),
    "no key": (
        lambda: rejected(glo_ciphering(simple_apdu(5), key=KEY, auth_key=AUTH)),
        "võtit ei antud",
    ),
    "wrong key": (
        lambda: rejected(
            glo_ciphering(simple_apdu(5), key=KEY, auth_key=AUTH), key=bytes(16), auth_key=AUTH
        ),
        "Vale võti",
    ),
    "no auth key": (
        lambda: rejected(glo_ciphering(simple_apdu(5), key=KEY, auth_key=AUTH), key=KEY),
        "autentimisvõtit ei antud",
    ),
    "unknown layout": (
        lambda: rejected(
            hdlc_frame(LLC + data_notification(array([register("1-0:99.99.9", unsigned(1))])))
        ),
        "Tundmatu loendi paigutus",
    ),
    "cut short": (lambda: rejected(hdlc_frame(LLC + simple_apdu(7))[:-9]), "keset kaadrit"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_common_reason_has_an_estonian_sentence(case: str) -> None:
    make, estonian = CASES[case]
    english = make()
    assert reason(english, "en") == english
    translated = reason(english, "et")
    assert estonian in translated
    assert translated != english


def test_the_values_in_a_reason_are_kept() -> None:
    translated = reason(rejected(damaged_telegram()), "et")
    expected, computed = translated.split("kaadris on ")[1].split(", arvutatud ")
    assert len(expected) == 4
    assert computed[:4].isalnum()
    assert "99.99.9" in reason(CASES["unknown layout"][0](), "et")


def test_an_untranslated_sentence_stays_english() -> None:
    assert reason("Something new happened.", "et") == "Something new happened."


def test_language_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "et_EE.UTF-8")
    monkeypatch.delenv("HANPORT_LANG", raising=False)
    assert default_language() == "et"
    monkeypatch.setenv("HANPORT_LANG", "en")
    assert default_language() == "en"
    assert text("cli.stopped", "et") == "Peatatud."


@pytest.mark.parametrize(
    ("value", "english", "estonian"),
    [
        (Decimal("230.1"), "230.1", "230,1"),
        (4215300, "4215300", "4 215 300"),
        (1011, "1011", "1 011"),
        (999, "999", "999"),
        (-12345, "-12345", "-12 345"),
        (Decimal("-0.910"), "-0.910", "-0,910"),
        (Decimal("12345.678"), "12345.678", "12 345,678"),
        (Decimal("1E+3"), "1000", "1 000"),
        ("LGF5E360", "LGF5E360", "LGF5E360"),
    ],
)
def test_numbers_in_estonian_have_a_decimal_comma_and_thousands_spaces(
    value: object, english: str, estonian: str
) -> None:
    from hanport.i18n import number

    assert number(value, "en") == english
    assert number(value, "et") == estonian


def test_the_live_line_in_estonian() -> None:
    from hanport.cli.commands import live_line
    from hanport.sim.home import HomeSimulator

    (reading,) = hanport.decode(HomeSimulator(seed=1).next_telegram())
    line = live_line(reading, "et")
    assert re.search(r"  võrgust \d[\d ]* W  võrku \d[\d ]* W  L1 \d{3},\d V \d+,\d A  ", line)
    assert re.search(r"energia võrgust \d \d{3} \d{3} Wh$", line)  # 4 215 300 Wh and more
    assert "." not in line.split("  ", 1)[1]


def test_sentences_of_other_modules_are_translated() -> None:
    from hanport.i18n import sentence
    from hanport.web.accounts import AccountError

    error = AccountError("accounts.user_taken", name="ann")
    assert sentence(error, "en") == "There is already a user 'ann'."
    assert sentence(error, "et") == "Kasutaja 'ann' on juba olemas."
    assert sentence("Something else entirely.", "et") == "Something else entirely."
