"""The command line's own sentences in English and Estonian (`--lang`, or LANG=et_EE…)."""

from __future__ import annotations

import os

__all__ = ["default_language", "text"]

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
}


def default_language() -> str:
    lang = os.environ.get("HANPORT_LANG") or os.environ.get("LANG", "")
    return "et" if lang.lower().startswith("et") else "en"


def text(key: str, language: str, **values: object) -> str:
    entry = _TEXTS[key]
    return entry.get(language, entry["en"]).format(**values)
