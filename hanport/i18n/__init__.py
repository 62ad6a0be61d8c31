"""The command line's own sentences in English and Estonian (`--lang`, or LANG=et_EE…).

Every sentence `hanport` prints or logs is a key here (most in `hanport.i18n.run`,
`i18n_commands`, `i18n_settings` and `i18n_mqtt`); errors raised with a key (`Localized`) are
printed in the chosen language, and the decoder's and other modules' English sentences are
translated by pattern (`reason`, `sentence`). Numbers in Estonian use a decimal comma and a space
between thousands.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal

from hanport.errors import HanError
from hanport.i18n.commands import COMMAND_TEXTS
from hanport.i18n.mqtt import MQTT_TEXTS
from hanport.i18n.run import RUN_TEXTS
from hanport.i18n.settings import SETTING_TEXTS
from hanport.i18n.sources import SOURCE_TEXTS

__all__ = [
    "Localized",
    "Phrase",
    "default_language",
    "legacy_texts",
    "number",
    "plural",
    "reason",
    "sentence",
    "text",
]

_TEXTS: dict[str, dict[str, str]] = {
    **RUN_TEXTS,
    **COMMAND_TEXTS,
    **SETTING_TEXTS,
    **MQTT_TEXTS,
    **SOURCE_TEXTS,
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
    "password": {"en": "Password: ", "et": "Parool: "},
    "password_again": {"en": "Password again: ", "et": "Parool uuesti: "},
    "password_mismatch": {
        "en": "The two passwords differ; nothing was changed.",
        "et": "Paroolid ei ühti; midagi ei muudetud.",
    },
    "user_added": {
        "en": "Created the account {name} ({role}).",
        "et": "Konto {name} ({role}) on loodud.",
    },
    "password_set": {
        "en": "New password set for {name}; their sessions were signed out.",
        "et": "Kasutaja {name} parool on muudetud; tema seansid on lõpetatud.",
    },
    "user_removed": {
        "en": "Removed the account {name} and its tokens.",
        "et": "Konto {name} ja selle võtmed on eemaldatud.",
    },
    "no_user": {
        "en": "There is no user {name!r}; 'hanport user list' shows the accounts.",
        "et": "Kasutajat {name!r} pole; 'hanport user list' näitab kontosid.",
    },
    "no_token": {
        "en": "There is no token {id}; 'hanport token list' shows the tokens and their numbers.",
        "et": "Võtit {id} pole; 'hanport token list' näitab võtmeid ja nende numbreid.",
    },
    "token_created": {
        "en": "Created API token {id} ({name}); it is shown only now:",
        "et": "API-võti {id} ({name}) on loodud; seda näidatakse ainult nüüd:",
    },
    "token_revoked": {"en": "Revoked API token {id}.", "et": "API-võti {id} on tühistatud."},
    "app_at": {
        "en": "The hanport app is at {url} (sign in there).",
        "et": "hanporti rakendus on aadressil {url} (logi seal sisse).",
    },
    "app_setup": {
        "en": "The hanport app is at {url}; open it in a browser to create the administrator "
        "account (or run: hanport user add NAME).",
        "et": "hanporti rakendus on aadressil {url}; ava see brauseris, et luua administraatori "
        "konto (või käivita: hanport user add NIMI).",
    },
    "exported": {"en": "Exported {rows} rows.", "et": "Eksporditud {rows} rida."},
    "exported_one": {"en": "Exported {rows} row.", "et": "Eksporditud {rows} rida."},
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
    "app_setup_code": {
        "en": "The hanport app is at {url}; open it in a browser and create the administrator "
        "account with the one-time setup code {code} (or run: hanport user add NAME).",
        "et": "hanporti rakendus on aadressil {url}; ava see brauseris ja loo administraatori "
        "konto ühekordse seadistuskoodiga {code} (või käivita: hanport user add NIMI).",
    },
}


def default_language() -> str:
    lang = os.environ.get("HANPORT_LANG") or os.environ.get("LANG", "")
    return "et" if lang.lower().startswith("et") else "en"


def text(key: str, language: str, /, **values: object) -> str:
    """The sentence `key` in `language` (English where it has no translation yet)."""
    from hanport.i18n.catalogue import has, render

    if not has(key):
        raise KeyError(key)
    return render(key, values, language)


def legacy_texts() -> dict[str, dict[str, str]]:
    """The texts still kept here in Python, by key (the catalogues' TOML files come first)."""
    return _TEXTS


def plural(key: str, language: str, count: int, /, **values: object) -> str:
    """`key` for several, `key_one` for exactly one (English "1 row", "2 rows")."""
    singular = f"{key}_one"
    return text(singular if count == 1 and singular in _TEXTS else key, language, **values)


class _Values(dict[str, object]):
    """The values of a sentence; a setting a sentence names is `mqtt.url` unless told."""

    def __missing__(self, name: str) -> object:
        if name == "setting":
            return "mqtt.url"
        raise KeyError(name)


class Phrase(str):
    """A piece of a sentence (where a setting was given, what it is) with its Estonian form."""

    estonian: str

    def __new__(cls, english: str, estonian: str) -> Phrase:
        phrase = super().__new__(cls, english)
        phrase.estonian = estonian
        return phrase

    def text(self, language: str) -> str:
        return self.estonian if language == "et" else str(self)


class Localized(HanError):
    """An error raised with a text key (the codes' first form): the same as `HanError`."""

    @property
    def key(self) -> str:
        return self.code

    @property
    def values(self) -> dict[str, object]:
        return dict(self.params)


def sentence(error: BaseException | str, language: str) -> str:
    """What to print for an error: its own translation, a known English sentence translated, or
    the English sentence as it is."""
    if isinstance(error, HanError):
        return error.text(language)
    english = str(error)
    if language != "et":
        return english
    from hanport.i18n.foreign import translate

    return translate(english)


def number(value: object, language: str) -> str:
    """An exact number for people: `230.1`, `4215300` in English; `230,1`, `4 215 300` in
    Estonian. Anything else is returned as text."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return str(value)
    digits = format(value, "f") if isinstance(value, Decimal) else str(value)
    if language != "et":
        return digits
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    whole, dot, fraction = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    grouped = " ".join([whole, *groups])
    return f"{sign}{grouped}{',' if dot else ''}{fraction}"


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
        (
            r"The P1 telegram has no checksum, although this meter sent checksums before; .*",
            "P1-telegrammil puudub kontrollsumma, kuigi see arvesti on varem kontrollsummaga "
            "telegramme saatnud; telegramm võis olla kahjustatud või muudetud, seetõttu "
            "jäetakse see kõrvale.",
        ),
        (
            r"The P1 telegram has no checksum, although its version \((?P<version>[^)]*)\) "
            r"always carries one; .*",
            "P1-telegrammil puudub kontrollsumma, kuigi selle versioonis ({version}) on "
            "kontrollsumma alati olemas; telegramm võis olla kahjustatud või muudetud, seetõttu "
            "jäetakse see kõrvale.",
        ),
        (
            r"The P1 telegram has no checksum, although meters that identify as "
            r"(?P<identification>.+) always send one; .*",
            "P1-telegrammil puudub kontrollsumma, kuigi arvestid tunnusega {identification} "
            "saadavad selle alati; telegramm võis olla kahjustatud või muudetud, seetõttu "
            "jäetakse see kõrvale.",
        ),
        (
            r"The P1 telegram was cut off: .*",
            "P1-telegramm katkes: uus telegramm algas enne eelmise lõpurida (!); pooleli jäänud "
            "telegramm jäetakse kõrvale.",
        ),
        (
            r"The P1 telegram holds a byte that is not text \((?P<byte>0x[0-9A-F]{2})\); .*",
            "P1-telegrammis on bait, mis pole tekst ({byte}); see sai liinil kahjustada ja "
            "jäetakse kõrvale.",
        ),
        (
            r"The P1 telegram has no end line \(!\) within (?P<size>\d+) bytes; .*",
            "P1-telegrammil pole {size} baidi jooksul lõpurida (!); see jäetakse kõrvale.",
        ),
        (
            r"The HDLC frame does not end where its length field says .*",
            "HDLC-kaader ei lõpe seal, kus selle pikkusväli ütleb (seal pole lõpulippu 7E); "
            "kaader katkes või sai kahjustada ja jäetakse kõrvale.",
        ),
        (
            r"The M-Bus frame does not end where its length field says .*",
            "M-Busi kaader ei lõpe seal, kus selle pikkusväli ütleb (seal pole lõpubaiti 16); "
            "kaader katkes või sai kahjustada ja jäetakse kõrvale.",
        ),
        (
            r"A DLMS message in several frames was interrupted: .*",
            "Mitmest kaadrist koosnev DLMS-sõnum katkes: uus sõnum algas enne, kui eelmise "
            "viimane kaader saabus, seetõttu jäetakse pooleli jäänud sõnum kõrvale.",
        ),
        (
            r"The data ends before the last frame of a DLMS message in several frames "
            r"arrived; .*",
            "Andmed lõppesid enne, kui mitmest kaadrist koosneva DLMS-sõnumi viimane kaader "
            "saabus; pooleli jäänud sõnum jäetakse kõrvale.",
        ),
        (
            r"The decrypted frame is not one complete DLMS data-notification; .*",
            "Dekrüpteeritud kaader pole üks terviklik DLMS-i andmeteade: võti on vale või kaader "
            "sai kahjustada, ja autentimismärgendit, mis seda näitaks, kaadril pole; seetõttu "
            "jäetakse see kõrvale.",
        ),
        (
            r"A DLMS message in several frames grew beyond 64 KiB without its last frame; .*",
            "Mitmest kaadrist koosnev DLMS-sõnum kasvas üle 64 KiB, ilma et viimane kaader "
            "oleks saabunud; see jäetakse kõrvale.",
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
