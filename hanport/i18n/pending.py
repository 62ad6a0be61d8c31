"""Raise sites in modules that other engineers are rewriting now, until the lead gives them codes.

Delete this module (and its two callers: `catalogue._template`, `HanError.text`) once the sites
listed in docs/translating.md, "Sites waiting for a code", use the catalogue's codes:

- `RENAMED`: the keys of the old Python catalogues that hanport/cli/commands.py,
  hanport/cli/main.py, hanport/runtime/*.py and hanport/settings/loader.py still pass, and the
  code each now has;
- `STORE_TEXTS`: the sentences of hanport/store/connection.py, kept as they were until the store
  moves them into the catalogues' `[store]` table;
- `SENTENCES`: the beginnings of the English sentences hanport/web/server.py and
  hanport/store/sqlite.py still raise literally; they are shown as they are, in English.

No other module may use any of these (tests/test_no_literal_sentences.py checks it).
"""

from __future__ import annotations

__all__ = ["RENAMED", "SENTENCES", "STORE_TEXTS", "Localized", "literal", "pending_template"]

from hanport.errors import HanError

RENAMED: dict[str, str] = {
    "app_at": "cli.app_at",
    "app_setup": "cli.app_setup",
    "app_setup_code": "cli.app_setup_code",
    "cannot_listen": "simulator.cannot_listen",
    "cannot_write": "cli.cannot_write",
    "captured": "capture.captured",
    "captured_one": "capture.captured_one",
    "capturing": "capture.progress",
    "flag_port": "cli.flag_port",
    "flag_speed": "cli.flag_speed",
    "format": "cli.format",
    "live": "cli.live",
    "no_file": "cli.no_file",
    "nothing": "cli.nothing",
    "nothing_decoded": "cli.nothing_decoded",
    "os_error": "cli.os_error",
    "os_error_plain": "cli.os_error_plain",
    "pty": "simulator.pty",
    "reading": "cli.reading",
    "setting_energy_scale": "settings.energy_scale",
    "setting_key": "settings.key",
    "setting_source": "settings.source",
    "setting_zone": "settings.zone",
    "settings_missing": "settings.file_missing",
    "settings_not_toml": "settings.file_not_toml",
    "settings_section": "settings.unknown_section",
    "settings_table": "settings.section_not_table",
    "settings_unknown": "settings.unknown_setting",
    "settings_unreadable": "settings.file_unreadable",
    "simulator": "simulator.running",
    "sink_caught_up": "runtime.sink_caught_up",
    "sink_failed": "runtime.sink_failed",
    "sink_lagging": "runtime.sink_lagging",
    "skipped": "cli.skipped",
    "stopped": "cli.stopped",
    "tcp": "simulator.tcp",
    "write_failed": "capture.write_failed",
    # what hanport/settings/loader.py calls its settings (`described`)
    "meter source": "settings.what.source",
    "database": "settings.what.database",
    "key": "settings.what.key",
    "time zone": "settings.what.timezone",
    "meter's push interval in seconds": "settings.what.interval",
    "retention in days (0: keep all)": "settings.what.retention",
}

STORE_TEXTS: dict[str, dict[str, str]] = {
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

SENTENCES: tuple[str, ...] = (
    "The app cannot listen on ",  # hanport/web/server.py: web.cannot_listen
    "The TLS certificate ",  # hanport/web/server.py: web.tls_unusable
    "The database ",  # hanport/store/sqlite.py (the store's own)
)


class Localized(HanError):
    """hanport/store/connection.py's base for `UnusableDatabase`: a plain `HanError`."""


def pending_template(code: str, language: str) -> str | None:
    """The template of an old key still passed by a module listed above."""
    from hanport.i18n.catalogue import catalogue

    renamed = RENAMED.get(code)
    if renamed is not None:
        return catalogue(language).get(renamed) or catalogue("en").get(renamed)
    stored = STORE_TEXTS.get(code)
    return None if stored is None else stored.get(language, stored["en"])


def literal(code: str) -> str | None:
    """An English sentence raised literally by a module listed above, as it is."""
    return code if code.startswith(SENTENCES) and " " in code else None
