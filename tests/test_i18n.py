"""The decoder's reasons and the command's texts in Estonian, from real decoder output."""

from __future__ import annotations

from collections.abc import Callable

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
    assert text("stopped", "et") == "Peatatud."
