"""Estonian for the English sentences other modules raise (accounts, the app's server, storage).

Matched by pattern, as `hanport.i18n.reason` does for the decoder; a sentence without a pattern
here stays English.
"""

from __future__ import annotations

import re

__all__ = ["translate"]

_SENTENCES: tuple[tuple[str, str], ...] = (
    # hanport.web.accounts
    (
        r"A user name is 1 to 64 characters without spaces\.",
        "Kasutajanimi on 1 kuni 64 märki ilma tühikuteta.",
    ),
    (r"The role must be one of (?P<roles>.+)\.", "Roll peab olema üks järgmistest: {roles}."),
    (r"There is already a user (?P<name>.+)\.", "Kasutaja {name} on juba olemas."),
    (r"There is no user (?P<name>.+)\.", "Kasutajat {name} pole."),
    (
        r"A token's name is 1 to 100 characters, e\.g\. Home Assistant\.",
        "API-võtme nimi on 1 kuni 100 märki, nt Home Assistant.",
    ),
    (
        r"A password needs at least (?P<count>\d+) characters\.",
        "Parool peab olema vähemalt {count} märki pikk.",
    ),
    (r"A password has at most 1024 characters\.", "Parool võib olla kuni 1024 märki pikk."),
    # hanport.web.server and hanport.web.settings
    (
        r"The app would listen on (?P<address>\S+), beyond this machine, and has no account "
        r"yet; create one with 'hanport user add NAME' first \(or keep web\.listen = "
        r"127\.0\.0\.1\)\.",
        "Rakendus kuulaks aadressil {address}, väljaspool seda arvutit, ja sellel pole veel "
        "ühtki kontot; loo enne konto käsuga 'hanport user add NIMI' (või jäta web.listen = "
        "127.0.0.1).",
    ),
    (
        r"The app cannot listen on (?P<where>\S+) \(another program uses it\); stop that "
        r"program or choose another port with --port or web\.port\.",
        "Rakendus ei saa aadressil {where} kuulata (teine programm kasutab seda); peata see "
        "programm või vali teine port valikuga --port või seadega web.port.",
    ),
    (
        r"The app cannot listen on (?P<where>\S+) \((?P<why>.+)\); stop that program or "
        r"choose another port with --port or web\.port\.",
        "Rakendus ei saa aadressil {where} kuulata ({why}); vali teine aadress või port "
        "valikuga --port või seadega web.port.",
    ),
    (
        r"The TLS certificate (?P<cert>\S+) and key (?P<key>\S+) \(web\.tls_cert, "
        r"web\.tls_key\) cannot be used: (?P<why>.+)\.",
        "TLS-sertifikaati {cert} ja võtit {key} (web.tls_cert, web.tls_key) ei saa kasutada: "
        "{why}.",
    ),
    (
        r"TLS needs both web\.tls_cert and web\.tls_key \(HANPORT_WEB_TLS_CERT/_KEY\); set "
        r"both or neither\.",
        "TLS vajab nii seadet web.tls_cert kui ka web.tls_key (HANPORT_WEB_TLS_CERT/_KEY); "
        "määra mõlemad või kumbki mitte.",
    ),
    (
        r"The listen address (?P<value>.+) \(from (?P<where>.+)\) must be an IP address such "
        r"as 127\.0\.0\.1, 0\.0\.0\.0 or 192\.168\.1\.5\.",
        "Kuulamisaadress {value} ({where}) peab olema IP-aadress, nt 127.0.0.1, 0.0.0.0 või "
        "192.168.1.5.",
    ),
    # hanport.store.sqlite
    (
        r"The database (?P<path>.+) cannot be set up \((?P<why>.+)\); make it writable, or set "
        r"database \(or --database\) to another path\.",
        "Andmebaasi {path} ei saa seadistada ({why}); tee see kirjutatavaks või määra database "
        "(või --database) teisele teele.",
    ),
)
_PATTERNS = tuple((re.compile(pattern), estonian) for pattern, estonian in _SENTENCES)


def translate(english: str) -> str:
    for pattern, estonian in _PATTERNS:
        match = pattern.fullmatch(english)
        if match is not None:
            return estonian.format(**match.groupdict())
    return english
