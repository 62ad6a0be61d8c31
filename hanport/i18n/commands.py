"""The sentences of `hanport export`, `doctor`, `capture`, `simulate`, `user`, `token`, EN and ET.

Looked up through `hanport.i18n.text`; kept apart only so that no module grows too long.
"""

from __future__ import annotations

__all__ = ["COMMAND_TEXTS"]

_FLAGS: dict[str, dict[str, str]] = {
    "flag_positive": {
        "en": "{flag} must be more than 0, not {value}.",
        "et": "{flag} peab olema suurem kui 0, mitte {value}.",
    },
    "flag_not_negative": {
        "en": "{flag} must be 0 or more, not {value}.",
        "et": "{flag} peab olema 0 või suurem, mitte {value}.",
    },
    "flag_speed": {
        "en": "--speed {value!r} must be a positive number (times faster than the meter) or max.",
        "et": "--speed {value!r} peab olema positiivne arv (mitu korda arvestist kiirem) või max.",
    },
    "flag_port": {
        "en": "{flag} {value} must be a port from 1 to 65535.",
        "et": "{flag} {value} peab olema port 1 kuni 65535.",
    },
    "cannot_write": {
        "en": "Cannot write {path}: {why}; check that the folder exists and is writable.",
        "et": "Faili {path} ei saa kirjutada: {why}; kontrolli, et kaust on olemas ja kirjutatav.",
    },
    "cannot_listen": {
        "en": "Cannot listen on 127.0.0.1:{port}: {why}; choose another port.",
        "et": "Aadressil 127.0.0.1:{port} ei saa kuulata: {why}; vali teine port.",
    },
    "os_error": {
        "en": "{path}: {why}.",
        "et": "{path}: {why}.",
    },
    "os_error_plain": {
        "en": "The operating system refused: {why}.",
        "et": "Operatsioonisüsteem keeldus: {why}.",
    },
}

_CAPTURE: dict[str, dict[str, str]] = {
    "captured_one": {
        "en": "Wrote {size} bytes to {path} (1 verified frame).",
        "et": "Kirjutasin {size} baiti faili {path} (1 kontrollitud kaader).",
    },
    "write_failed": {
        "en": "Writing {path} failed: {why}; what was written so far is kept.",
        "et": "Faili {path} kirjutamine ebaõnnestus: {why}; seni kirjutatu jääb alles.",
    },
    "capturing": {
        "en": "Recording: {bytes} bytes, {frames} verified frames so far",
        "et": "Salvestan: seni {bytes} baiti, {frames} kontrollitud kaadrit",
    },
}

_EXPORT: dict[str, dict[str, str]] = {
    "export_rows": {"en": "{rows} rows", "et": "{rows} rida"},
    "export_rows_one": {"en": "{rows} row", "et": "{rows} rida"},
    "export_no_database": {
        "en": "There is no database {database}; run hanport run first, or pass --database.",
        "et": "Andmebaasi {database} pole; käivita enne hanport run või anna --database.",
    },
    "export_order": {
        "en": "--to must come after --from.",
        "et": "--to peab olema hiljem kui --from.",
    },
    "export_moment": {
        "en": "{flag} {value!r} is not a date or time like 2026-06-01 or 2026-06-01T12:00.",
        "et": "{flag} {value!r} pole kuupäev ega kellaaeg kujul 2026-06-01 või 2026-06-01T12:00.",
    },
    "export_empty": {
        "en": "The database {database} holds no readings yet; hanport run keeps them there.",
        "et": "Andmebaasis {database} pole veel ühtki näitu; hanport run salvestab need sinna.",
    },
    "export_no_meter": {
        "en": "The database has no meter {meter!r}; it has {known}.",
        "et": "Andmebaasis pole arvestit {meter!r}; seal on {known}.",
    },
    "export_which_meter": {
        "en": "The database has {count} meters; choose one with --meter ({known}).",
        "et": "Andmebaasis on {count} arvestit; vali üks valikuga --meter ({known}).",
    },
}

_DOCTOR: dict[str, dict[str, str]] = {
    "doctor_listening": {
        "en": "Listening to {source}: {left} s left, {bytes} bytes, {frames} frames "
        "({readings} verified) so far",
        "et": "Kuulan allikat {source}: jäänud {left} s, seni {bytes} baiti, {frames} kaadrit "
        "({readings} kontrollitud)",
    },
    "doctor_listening_one": {
        "en": "Listening to {source}: {left} s left, {bytes} bytes, 1 frame ({readings} "
        "verified) so far",
        "et": "Kuulan allikat {source}: jäänud {left} s, seni {bytes} baiti, 1 kaader "
        "({readings} kontrollitud)",
    },
    "doctor_source": {"en": "Source", "et": "Allikas"},
    "doctor_listened": {"en": "Listened", "et": "Kuulatud"},
    "doctor_bytes": {"en": "Bytes seen", "et": "Saabunud baite"},
    "doctor_bytes_value": {
        "en": "{bytes} ({junk} outside frames)",
        "et": "{bytes} ({junk} väljaspool kaadreid)",
    },
    "doctor_format": {"en": "Format", "et": "Vorming"},
    "doctor_none_found": {"en": "none found", "et": "ei leitud"},
    "doctor_verified": {"en": "Verified frames", "et": "Kontrollitud kaadreid"},
    "doctor_rejected": {"en": "Rejected frames", "et": "Kõrvale jäetud kaadreid"},
    "doctor_rejected_value": {
        "en": "{count} ({checksum} checksum errors)",
        "et": "{count} ({checksum} kontrollsumma viga)",
    },
    "doctor_interval": {"en": "Interval", "et": "Intervall"},
    "doctor_first_rejection": {"en": "First rejection", "et": "Esimese kõrvalejätu põhjus"},
    "doctor_unverified": {"en": "Unverified", "et": "Kontrollimata"},
    "doctor_unverified_value": {
        "en": "{count} readings came without a checksum; damage on the line cannot be detected",
        "et": "{count} näitu saabus ilma kontrollsummata; liinil tekkinud vigu ei saa tuvastada",
    },
    "doctor_unauthenticated": {"en": "Unauthenticated", "et": "Autentimata"},
    "doctor_energy_scale": {"en": "Energy scale", "et": "Energia skaala"},
    "doctor_energy_scale_value": {
        "en": "meter {meter}: {scale} Wh per count (no scaler in its list)",
        "et": "arvesti {meter}: {scale} Wh ühe ühiku kohta (loendis pole skaalat)",
    },
    "doctor_no_bytes": {
        "en": "No bytes arrived in {seconds} s: check the cable, that the grid operator has "
        "activated the HAN port, and (P1) that Data Request (pin 2) gets +5 V.",
        "et": "{seconds} s jooksul ei saabunud ühtki baiti: kontrolli kaablit, et võrguettevõtja "
        "on HAN-pordi aktiveerinud ja (P1) et andmepäringu viik (viik 2) saab +5 V.",
    },
    "doctor_noise": {
        "en": "Bytes arrive but no frame can be found in them: the line speed is wrong (try "
        "115200 8N1, 9600 8N1 or 2400 8E1) or the signal is inverted (the P1 data line is "
        "inverted; use a reader that inverts it).",
        "et": "Baidid saabuvad, kuid neist ei leia ühtki kaadrit: liini kiirus on vale (proovi "
        "115200 8N1, 9600 8N1 või 2400 8E1) või signaal on inverteeritud (P1 andmeliin on "
        "inverteeritud; kasuta lugejat, mis selle ümber pöörab).",
    },
    "doctor_damaged": {
        "en": "{errors} of {total} frames were damaged on the line: use a shorter cable away from "
        "power cables, and check the reader's power supply.",
        "et": "{total} kaadrist {errors} said liinil kahjustada: kasuta lühemat kaablit "
        "toitekaablitest eemal ja kontrolli lugeja toiteallikat.",
    },
    "doctor_undecodable": {
        "en": "Frames arrive but none could be decoded; send a capture (hanport capture).",
        "et": "Kaadrid saabuvad, kuid ühtki ei õnnestunud dekodeerida; saada salvestis "
        "(hanport capture).",
    },
    "doctor_pace": {"en": ", one every {s} s", "et": ", üks iga {s} s järel"},
    "doctor_all_well": {
        "en": "All well: {readings} verified readings ({format}{pace}).",
        "et": "Kõik on korras: {readings} kontrollitud näitu ({format}{pace}).",
    },
    "doctor_all_well_one": {
        "en": "All well: {readings} verified reading ({format}{pace}).",
        "et": "Kõik on korras: {readings} kontrollitud näit ({format}{pace}).",
    },
}

_ACCOUNTS: dict[str, dict[str, str]] = {
    "user_exists": {
        "en": "There is already a user {name!r}; 'hanport user password {name}' sets a new "
        "password.",
        "et": "Kasutaja {name!r} on juba olemas; 'hanport user password {name}' määrab uue "
        "parooli.",
    },
    "no_accounts": {
        "en": "No accounts yet; create the first with: hanport user add NAME",
        "et": "Kontosid veel pole; loo esimene käsuga: hanport user add NIMI",
    },
    "no_tokens": {
        "en": "No API tokens yet; create one with: hanport token create NAME --user USER",
        "et": "API-võtmeid veel pole; loo üks käsuga: hanport token create NIMI --user KASUTAJA",
    },
    "column_user": {"en": "USER", "et": "KASUTAJA"},
    "column_role": {"en": "ROLE", "et": "ROLL"},
    "column_number": {"en": "NUMBER", "et": "NUMBER"},
    "column_token": {"en": "NAME", "et": "NIMI"},
    "column_created": {"en": "CREATED", "et": "LOODUD"},
    "column_used": {"en": "LAST USED", "et": "VIIMATI KASUTATUD"},
    "never": {"en": "never", "et": "mitte kunagi"},
}

COMMAND_TEXTS: dict[str, dict[str, str]] = {
    **_FLAGS,
    **_CAPTURE,
    **_EXPORT,
    **_DOCTOR,
    **_ACCOUNTS,
}
