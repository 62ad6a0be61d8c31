"""The sentences of `hanport backup`, `restore` and `db check` in English and Estonian."""

from __future__ import annotations

from hanport.errors import HanError

__all__ = ["Problem", "say", "size_text"]

_TEXTS: dict[str, dict[str, str]] = {
    "no_database": {
        "en": "There is no database {path}; check the database setting (or --database).",
        "et": "Andmebaasi {path} pole; kontrolli seadet database (või --database).",
    },
    "not_sqlite": {
        "en": "{path} is not an SQLite database, or it is damaged ({detail}).",
        "et": "{path} pole SQLite'i andmebaas või on see kahjustatud ({detail}).",
    },
    "not_hanport": {
        "en": "{path} is an SQLite file but not a hanport database (it has no {table} table).",
        "et": "{path} on SQLite'i fail, aga mitte hanporti andmebaas (selles pole tabelit "
        "{table}).",
    },
    "target_exists": {
        "en": "{path} exists already; choose another name, or delete it first.",
        "et": "{path} on juba olemas; vali teine nimi või kustuta see enne.",
    },
    "no_folder": {
        "en": "The folder {folder} for the backup does not exist; create it or choose another.",
        "et": "Varukoopia kausta {folder} pole olemas; loo see või vali teine.",
    },
    "disk_full": {
        "en": "The backup to {path} failed: the disk is full; free some space or choose a "
        "folder on another disk.",
        "et": "Varundamine faili {path} ebaõnnestus: ketas on täis; vabasta ruumi või vali "
        "kaust teisel kettal.",
    },
    "backup_failed": {
        "en": "The backup to {path} failed ({detail}); nothing was written there.",
        "et": "Varundamine faili {path} ebaõnnestus ({detail}); sinna ei kirjutatud midagi.",
    },
    "copy_damaged": {
        "en": "The copy in {path} failed its integrity check ({detail}); it was deleted: check "
        "the disk, then try again.",
        "et": "Koopia failis {path} ei läbinud terviklikkuse kontrolli ({detail}); see "
        "kustutati: kontrolli ketast ja proovi uuesti.",
    },
    "backed_up": {
        "en": "Backed up {database} to {path} ({size}).",
        "et": "Andmebaas {database} on varundatud faili {path} ({size}).",
    },
    "backup_damaged": {
        "en": "The backup {path} is damaged ({detail}); nothing was restored: choose another "
        "backup.",
        "et": "Varukoopia {path} on kahjustatud ({detail}); midagi ei taastatud: vali teine "
        "varukoopia.",
    },
    "in_use": {
        "en": "The database {path} is in use (is hanport running?); stop it first, e.g. sudo "
        "systemctl stop hanport, then restore.",
        "et": "Andmebaas {path} on kasutusel (kas hanport töötab?); peata see enne, nt sudo "
        "systemctl stop hanport, ja taasta siis.",
    },
    "restore_failed": {
        "en": "Restoring {path} failed ({detail}); the database as it was is in {before}.",
        "et": "Faili {path} taastamine ebaõnnestus ({detail}); andmebaas endisel kujul on "
        "failis {before}.",
    },
    "restore_new_failed": {
        "en": "Restoring {path} failed: {detail}",
        "et": "Faili {path} taastamine ebaõnnestus: {detail}",
    },
    "restored": {
        "en": "Restored {database} from {backup}; the database as it was is kept in {before}.",
        "et": "Andmebaas {database} on taastatud varukoopiast {backup}; endine andmebaas on "
        "alles failis {before}.",
    },
    "restored_new": {
        "en": "Restored {database} from {backup}.",
        "et": "Andmebaas {database} on taastatud varukoopiast {backup}.",
    },
    "check_title": {"en": "Database {path}", "et": "Andmebaas {path}"},
    "check_integrity_ok": {
        "en": "integrity: ok (integrity_check and quick_check)",
        "et": "terviklikkus: korras (integrity_check ja quick_check)",
    },
    "check_integrity_bad": {
        "en": "integrity: DAMAGED: {detail}; restore a backup (hanport restore FILE)",
        "et": "terviklikkus: KAHJUSTATUD: {detail}; taasta varukoopia (hanport restore FAIL)",
    },
    "check_schema": {
        "en": "schema version: {version}",
        "et": "skeemi versioon: {version}",
    },
    "check_files": {
        "en": "files: {size} (write-ahead log {wal}), {pages} pages of {page_size} bytes, "
        "{free} free",
        "et": "failid: {size} (eelkirjutuslogi {wal}), {pages} lehekülge à {page_size} baiti, "
        "{free} vaba",
    },
    "check_table": {
        "en": "table {name}: {size}, rows: {rows}",
        "et": "tabel {name}: {size}, ridu: {rows}",
    },
    "check_meter": {
        "en": "meter {meter}: {count} readings from {first} to {last}",
        "et": "arvesti {meter}: {count} näitu, {first} kuni {last}",
    },
    "check_no_meter": {
        "en": "no readings stored yet",
        "et": "näite pole veel salvestatud",
    },
    "check_not_hanport": {
        "en": "no hanport tables: this is not (yet) a hanport database",
        "et": "hanporti tabeleid pole: see pole (veel) hanporti andmebaas",
    },
    "scheduled": {
        "en": "Backed up the database to {path} ({size}); the newest {keep} backups are kept.",
        "et": "Andmebaas on varundatud faili {path} ({size}); alles hoitakse {keep} uusimat "
        "varukoopiat.",
    },
    "scheduled_failed": {
        "en": "The scheduled backup failed: {reason} It is tried again in an hour.",
        "et": "Ajastatud varundamine ebaõnnestus: {reason} Proovin tunni pärast uuesti.",
    },
    "remove_failed": {
        "en": "The old backup {path} could not be removed ({detail}); remove it by hand.",
        "et": "Vana varukoopiat {path} ei saanud kustutada ({detail}); kustuta see käsitsi.",
    },
}


def say(key: str, language: str, **values: object) -> str:
    entry = _TEXTS[key]
    return entry.get(language, entry["en"]).format(**values)


def size_text(size: int) -> str:
    """Bytes for people: 512 B, 3.4 MB, 1.2 GB (decimal units, as disks are sold)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


class Problem(HanError):
    """One sentence in English (`str`), and in Estonian with `text("et")`."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(say(key, "en", **values))
        self.key = key
        self.values = values

    def text(self, language: str) -> str:
        return say(self.key, language, **self.values)
