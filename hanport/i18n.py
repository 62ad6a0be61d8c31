"""The command line's own sentences in English and Estonian (`--lang`, or LANG=et_EE…)."""

from __future__ import annotations

import os
import re

__all__ = ["default_language", "reason", "text"]

_TEXTS: dict[str, dict[str, str]] = {
    "reading": {"en": "Reading {n}", "et": "Näit {n}"},
    "format": {"en": "format {format}", "et": "vorming {format}"},
    "skipped": {"en": "skipped: {reason}", "et": "vahele jäetud: {reason}"},
    "nothing": {
        "en": "No meter data found: the {size} bytes read hold no P1 telegram, HDLC or M-Bus "
        "frame; check the cable, the line settings and the file.",
        "et": "Arvesti andmeid ei leitud: loetud {size} baidis pole P1-telegrammi, HDLC- ega "
        "M-Bus-kaadrit; kontrolli kaablit, liini seadeid ja faili.",
    },
    "nothing_decoded": {
        "en": "Nothing could be decoded: {reason}",
        "et": "Midagi ei õnnestunud dekodeerida: {reason}",
    },
    "bad_key": {
        "en": "The {name} must be 32 hexadecimal digits (16 bytes).",
        "et": "Võti {name} peab olema 32 kuueteistkümnendnumbrit (16 baiti).",
    },
    "bad_zone": {
        "en": "Unknown time zone {zone!r}; use a name such as Europe/Tallinn.",
        "et": "Tundmatu ajavöönd {zone!r}; kasuta nime nagu Europe/Tallinn.",
    },
    "no_file": {
        "en": "Cannot read {path}: {error}.",
        "et": "Faili {path} ei saa lugeda: {error}.",
    },
    "simulator": {
        "en": "No meter configured: running on the built-in meter simulator (Landis+Gyr E360 "
        "style P1 telegrams every {interval} s). Press Ctrl+C to stop.",
        "et": "Arvestit pole seadistatud: kasutan sisseehitatud arvesti simulaatorit (Landis+Gyr "
        "E360 stiilis P1-telegrammid iga {interval} s järel). Peatamiseks vajuta Ctrl+C.",
    },
    "live": {
        "en": "{time}  import {imp} W  export {exp} W  L1 {v1} V {i1} A  L2 {v2} V {i2} A  "
        "L3 {v3} V {i3} A  energy in {ein} Wh",
        "et": "{time}  võrgust {imp} W  võrku {exp} W  L1 {v1} V {i1} A  L2 {v2} V {i2} A  "
        "L3 {v3} V {i3} A  energia võrgust {ein} Wh",
    },
    "stopped": {"en": "Stopped.", "et": "Peatatud."},
    "exported": {"en": "Exported {rows} rows.", "et": "Eksporditud {rows} rida."},
    "captured": {
        "en": "Wrote {size} bytes to {path} ({frames} verified frames).",
        "et": "Kirjutasin {size} baiti faili {path} ({frames} kontrollitud kaadrit).",
    },
    "pty": {
        "en": "Simulated meter on {path}; read it with: hanport run --source {path}",
        "et": "Simuleeritud arvesti on seadmel {path}; loe seda: hanport run --source {path}",
    },
    "tcp": {
        "en": "Simulated meter on tcp://127.0.0.1:{port}",
        "et": "Simuleeritud arvesti aadressil tcp://127.0.0.1:{port}",
    },
}


def default_language() -> str:
    lang = os.environ.get("HANPORT_LANG") or os.environ.get("LANG", "")
    return "et" if lang.lower().startswith("et") else "en"


def text(key: str, language: str, **values: object) -> str:
    entry = _TEXTS[key]
    return entry.get(language, entry["en"]).format(**values)


_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), estonian)
    for pattern, estonian in (
        (
            r"Checksum mismatch in (?P<what>.+): the frame says (?P<said>\w+), computed "
            r"(?P<computed>\w+); the data was damaged on the line and is dropped\.",
            "Kontrollsumma ei klapi ({what}): kaadris on {said}, arvutatud {computed}; andmed "
            "said liinil kahjustada ja jäetakse kõrvale.",
        ),
        (
            r"The meter sends encrypted frames \(system title (?P<title>\w+)\) and no key was "
            r"given; .*",
            "Arvesti saadab krüpteeritud kaadreid (süsteemitiitel {title}), aga võtit ei antud; "
            "küsi krüpteerimisvõti võrguettevõtjalt ja anna see valikuga --key.",
        ),
        (
            r"The meter authenticates its frames and no authentication key was given; .*",
            "Arvesti autendib oma kaadreid, aga autentimisvõtit ei antud; anna see valikuga "
            "--auth-key.",
        ),
        (
            r"Wrong key: .*",
            "Vale võti: kaadri autentimismärgend ei klapi; kontrolli krüpteerimisvõtit (--key) "
            "ja autentimisvõtit (--auth-key).",
        ),
        (
            r"The frame is not authenticated although an authentication key is set; .*",
            "Kaader pole autenditud, kuigi autentimisvõti on antud; see jäetakse kõrvale "
            "(kahjustatud liinil või mitte sinu arvestilt).",
        ),
        (
            r"Unknown list layout: the frame holds no register hanport knows "
            r"\(OBIS codes (?P<codes>.+)\)\.",
            "Tundmatu loendi paigutus: kaadris pole ühtki hanportile tuntud registrit "
            "(OBIS-koodid {codes}).",
        ),
        (
            r"Unknown list layout: the frame holds no OBIS codes .*",
            "Tundmatu loendi paigutus: kaadris pole OBIS-koode ja see ei vasta ühelegi tuntud "
            "arvesti loendile; saada palun salvestis (hanport capture), et see lisada.",
        ),
        (
            r"The data ends in the middle of a frame; .*",
            "Andmed lõpevad keset kaadrit; ülejäänud osa ei saabunud kunagi.",
        ),
    )
)


def reason(sentence: str, language: str) -> str:
    """A decoder's `Rejected.reason` in `language`; sentences without a translation stay English."""
    if language != "et":
        return sentence
    for pattern, estonian in _REASONS:
        match = pattern.fullmatch(sentence)
        if match is not None:
            return estonian.format(**match.groupdict())
    return sentence
