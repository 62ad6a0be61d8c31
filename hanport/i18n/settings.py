"""The sentences about settings (`hanport.toml`, HANPORT_* variables) and the database, EN and ET.

Looked up through `hanport.i18n.text`; kept apart only so that no module grows too long.
"""

from __future__ import annotations

__all__ = ["SETTING_TEXTS"]

_FILE: dict[str, dict[str, str]] = {
    "settings_missing": {
        "en": "The settings file {path} does not exist; create it or fix the path.",
        "et": "Seadete faili {path} pole; loo see või paranda tee.",
    },
    "settings_unreadable": {
        "en": "Cannot read the settings file {path}: {error}.",
        "et": "Seadete faili {path} ei saa lugeda: {error}.",
    },
    "settings_not_toml": {
        "en": "The settings file {path} is not valid TOML: {error}.",
        "et": "Seadete fail {path} pole korrektne TOML: {error}.",
    },
    "settings_section": {
        "en": "Unknown section [{section}] in {path}; the sections are {names}.",
        "et": "Tundmatu jaotis [{section}] failis {path}; jaotised on {names}.",
    },
    "settings_table": {
        "en": "In {path}, [{section}] must be a table of settings.",
        "et": "Failis {path} peab [{section}] olema seadete tabel.",
    },
    "settings_unknown": {
        "en": "Unknown setting {name} in {path}; the settings are {known}.",
        "et": "Tundmatu seade {name} failis {path}; seaded on {known}.",
    },
}

_VALUES: dict[str, dict[str, str]] = {
    "setting_boolean": {
        "en": "The setting {where} must be true or false, not {value!r}.",
        "et": "Seade {where} peab olema true või false, mitte {value!r}.",
    },
    "setting_toml_boolean": {
        "en": "The setting {where} must be true or false without quotes (a TOML boolean), not "
        "{value!r}.",
        "et": "Seade {where} peab olema true või false ilma jutumärkideta (TOML-i tõeväärtus), "
        "mitte {value!r}.",
    },
    "setting_whole": {
        "en": "The {what} from {where} must be a whole number from {low} to {high}.",
        "et": "Seade {where} ({what}) peab olema täisarv {low} kuni {high}.",
    },
    "setting_toml_whole": {
        "en": "The {what} from {where} must be a whole number from {low} to {high}, without "
        "quotes.",
        "et": "Seade {where} ({what}) peab olema täisarv {low} kuni {high}, ilma jutumärkideta.",
    },
    "setting_number": {
        "en": "The {what} from {where} must be a number from {low} to {high}.",
        "et": "Seade {where} ({what}) peab olema arv {low} kuni {high}.",
    },
    "setting_toml_number": {
        "en": "The {what} from {where} must be a number from {low} to {high}, without quotes.",
        "et": "Seade {where} ({what}) peab olema arv {low} kuni {high}, ilma jutumärkideta.",
    },
    "setting_text": {
        "en": "The {what} from {where} must be text in quotes, not {value!r}.",
        "et": "Seade {where} ({what}) peab olema tekst jutumärkides, mitte {value!r}.",
    },
    "setting_no_file": {
        "en": "The {what} {path} (from {where}) does not exist; fix the path.",
        "et": "Faili {path} ({what}, seade {where}) pole olemas; paranda tee.",
    },
    "setting_source": {
        "en": "{error} (from {where})",
        "et": "{error} (seade {where})",
    },
    "setting_key": {
        "en": "The key from {where} must be 32 hexadecimal digits (16 bytes), as your grid "
        "operator gives it.",
        "et": "Seade {where} peab olema 32 kuueteistkümnendnumbriga võti (16 baiti), nagu "
        "võrguettevõtja selle annab.",
    },
    "setting_zone": {
        "en": "Unknown time zone {value!r} (from {where}); use a name such as Europe/Tallinn.",
        "et": "Tundmatu ajavöönd {value!r} (seade {where}); kasuta nime nagu Europe/Tallinn.",
    },
    "setting_energy_scale": {
        "en": 'The energy scale from {where} must be "auto", 1 or 10 (Wh per count of meters '
        "whose lists carry no scaler), not {value!r}.",
        "et": 'Seade {where} (energia skaala) peab olema "auto", 1 või 10 (Wh ühe ühiku kohta '
        "arvestitel, mille loendis pole skaalat), mitte {value!r}.",
    },
}

_MQTT: dict[str, dict[str, str]] = {
    "mqtt_setting_url": {
        "en": "The broker {value!r} (from {where}) must look like mqtt://user:password@host:1883 "
        "or mqtts://host:8883.",
        "et": "Maakler {value!r} (seade {where}) peab olema kujul "
        "mqtt://kasutaja:parool@host:1883 või mqtts://host:8883.",
    },
    "mqtt_setting_port": {
        "en": "The port in the broker URL from {where} is not a number.",
        "et": "Maakleri aadressi port (seade {where}) pole arv.",
    },
    "mqtt_setting_pair": {
        "en": "An MQTT client certificate needs both mqtt.cert_file and mqtt.key_file.",
        "et": "MQTT kliendisertifikaat vajab nii seadet mqtt.cert_file kui ka mqtt.key_file.",
    },
    "mqtt_setting_name": {
        "en": "The {what} from {where} must be 1 to 128 characters.",
        "et": "Seade {where} ({what}) peab olema 1 kuni 128 märki.",
    },
    "mqtt_setting_topic": {
        "en": "The topic prefix {value!r} from {where} must be a plain topic without #, + or a "
        "leading or trailing /.",
        "et": "Teema eesliide {value!r} (seade {where}) peab olema lihtne teema ilma #, + ning "
        "alguse või lõpu kaldkriipsuta.",
    },
    "mqtt_setting_language": {
        "en": "The language from {where} must be en or et, not {value!r}.",
        "et": "Seade {where} (keel) peab olema en või et, mitte {value!r}.",
    },
}

_DATABASE: dict[str, dict[str, str]] = {
    "database_folder": {
        "en": "The database {path} is a folder; set database (or --database) to a file in it, "
        "e.g. {example}.",
        "et": "Andmebaas {path} on kaust; määra database (või --database) selles olevale failile, "
        "nt {example}.",
    },
    "database_no_folder": {
        "en": "The folder {folder} for the database {name} does not exist; create it, or set "
        "database (or --database) to a path in an existing folder.",
        "et": "Andmebaasi {name} kausta {folder} pole; loo see või määra database (või "
        "--database) olemasolevas kaustas olevale teele.",
    },
    "database_not_created": {
        "en": "The database {path} cannot be created ({why}); check that the folder {folder} is "
        "writable, or set database (or --database) to another path.",
        "et": "Andmebaasi {path} ei saa luua ({why}); kontrolli, et kaust {folder} on "
        "kirjutatav, või määra database (või --database) teisele teele.",
    },
    "database_not_sqlite": {
        "en": "{path} is not a hanport database (not an SQLite file, or damaged); choose another "
        "path with database (or --database), or restore it from a backup.",
        "et": "{path} pole hanporti andmebaas (pole SQLite'i fail või on kahjustatud); vali "
        "seadega database (või --database) teine tee või taasta see varukoopiast.",
    },
    "database_read_only": {
        "en": "The database {path} is read-only (a read-only file, folder or mount); make it "
        "writable, or set database (or --database) to a writable path.",
        "et": "Andmebaas {path} on kirjutuskaitstud (fail, kaust või andmekandja); tee see "
        "kirjutatavaks või määra database (või --database) kirjutatavale teele.",
    },
    "database_unopenable": {
        "en": "The database {path} cannot be opened ({error}); check the file's and the "
        "folder's permissions, or set database (or --database) to another path.",
        "et": "Andmebaasi {path} ei saa avada ({error}); kontrolli faili ja kausta õigusi või "
        "määra database (või --database) teisele teele.",
    },
    "database_locked": {
        "en": "The database {path} is locked by another program; stop it, or wait and try again.",
        "et": "Andmebaas {path} on teise programmi poolt lukus; peata see või oota ja proovi "
        "uuesti.",
    },
    "database_unusable": {
        "en": "The database {path} cannot be used ({error}).",
        "et": "Andmebaasi {path} ei saa kasutada ({error}).",
    },
}

SETTING_TEXTS: dict[str, dict[str, str]] = {**_FILE, **_VALUES, **_MQTT, **_DATABASE}
