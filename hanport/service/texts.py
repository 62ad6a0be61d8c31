"""The sentences of `hanport service …` in English and Estonian."""

from __future__ import annotations

__all__ = ["say"]

_TEXTS: dict[str, dict[str, str]] = {
    "write": {
        "en": "Write {path} (mode {mode}).",
        "et": "Kirjutan faili {path} (õigused {mode}).",
    },
    "would_write": {
        "en": "Would write {path} (mode {mode}):",
        "et": "Kirjutaksin faili {path} (õigused {mode}):",
    },
    "create_config": {
        "en": "Create {path} (mode {mode}), an example to edit: set your meter's source there.",
        "et": "Loon faili {path} (õigused {mode}), näidise muutmiseks: märgi sinna arvesti "
        "allikas.",
    },
    "would_create_config": {
        "en": "Would create {path} (mode {mode}), an example to edit.",
        "et": "Looksin faili {path} (õigused {mode}), näidise muutmiseks.",
    },
    "keep_config": {
        "en": "Keep {path} as it is.",
        "et": "Jätan faili {path} muutmata.",
    },
    "run": {"en": "Run: {command}", "et": "Käivitan: {command}"},
    "would_run": {"en": "Would run: {command}", "et": "Käivitaksin: {command}"},
    "skip_run": {
        "en": "Skip (not the live system under {root}): {command}",
        "et": "Jätan vahele (kaust {root} pole töötav süsteem): {command}",
    },
    "user_exists": {
        "en": "The system user {user} exists already.",
        "et": "Süsteemi kasutaja {user} on juba olemas.",
    },
    "remove": {"en": "Remove {path}.", "et": "Eemaldan faili {path}."},
    "would_remove": {"en": "Would remove {path}.", "et": "Eemaldaksin faili {path}."},
    "absent": {"en": "{path} is not there.", "et": "Faili {path} pole."},
    "installed": {
        "en": "Installed. Edit {config}, then start hanport now and at every boot with: "
        "sudo systemctl enable --now hanport; its log: journalctl -u hanport -f",
        "et": "Paigaldatud. Muuda faili {config}, siis käivita hanport kohe ja igal alglaadimisel: "
        "sudo systemctl enable --now hanport; logi: journalctl -u hanport -f",
    },
    "uninstalled": {
        "en": "Uninstalled. Kept: the settings in {config}, the readings and backups in {state} "
        "and the user {user}; remove them by hand if you no longer want them.",
        "et": "Eemaldatud. Alles jäid: seaded failis {config}, näidud ja varukoopiad kaustas "
        "{state} ning kasutaja {user}; kustuta need käsitsi, kui neid enam ei vaja.",
    },
    "not_root": {
        "en": "Installing the service changes /etc and needs root: run it with sudo, or add "
        "--dry-run to see what it would write.",
        "et": "Teenuse paigaldamine muudab kausta /etc ja vajab juurkasutaja õigusi: käivita "
        "sudo-ga või lisa --dry-run, et näha, mida see kirjutaks.",
    },
    "no_systemd": {
        "en": "This machine does not run systemd (there is no /run/systemd/system), so there is "
        "no service to install; start `hanport run` another way (docs/install.md).",
        "et": "See masin ei kasuta systemd-d (kausta /run/systemd/system pole), seega pole "
        "teenust, mida paigaldada; käivita `hanport run` muul viisil (docs/install.md).",
    },
    "no_group": {
        "en": "There is no group {group} on this machine; give the serial ports' group with "
        "--group (ls -l /dev/ttyUSB0 shows it, e.g. uucp on Arch Linux).",
        "et": "Selles masinas pole gruppi {group}; anna jadapordi grupp valikuga --group "
        "(ls -l /dev/ttyUSB0 näitab seda, nt Arch Linuxis uucp).",
    },
    "unreachable": {
        "en": "hanport runs from {path}, which the service's user {user} cannot reach; "
        "install it for the whole system (sudo pipx install --global …, see docs/install.md) "
        "and run this again.",
        "et": "hanport käivitub asukohast {path}, kuhu teenuse kasutaja {user} ei pääse; "
        "paigalda see kogu süsteemile (sudo pipx install --global …, vt docs/install.md) ja "
        "käivita see uuesti.",
    },
    "home_read_only": {
        "en": "hanport is installed under {home}, so the service may read home folders "
        "(ProtectHome=read-only); install it with pipx install --global to hide them.",
        "et": "hanport on paigaldatud kausta {home} alla, seega näeb teenus kodukaustu "
        "(ProtectHome=read-only); nende peitmiseks paigalda see käsuga pipx install --global.",
    },
    "command_failed": {
        "en": "{command} failed ({detail}); nothing after it was done.",
        "et": "{command} ebaõnnestus ({detail}); sellele järgnevat ei tehtud.",
    },
    "cannot_write": {
        "en": "Cannot write {path} ({detail}); check that {folder} exists and is writable.",
        "et": "Faili {path} ei saa kirjutada ({detail}); kontrolli, et kaust {folder} on olemas "
        "ja kirjutatav.",
    },
}


def say(key: str, language: str, **values: object) -> str:
    entry = _TEXTS[key]
    return entry.get(language, entry["en"]).format(**values)
