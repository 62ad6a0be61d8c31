"""Every sentence the EV control shows a person, in English and Estonian.

Keys are `reason.<code>` for the reasons behind a limit (`hanport.ev.model.Reason`), `event.*`
for what the log says, and `error.*` for problems. Placeholders are the reason's parameters;
currents are printed as the law computed them (one decimal at most), moments as HH:MM in the
zone they were given in (local time for slots and departures).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hanport.ev.model import Param, Reason

__all__ = ["LANGUAGES", "TEXTS", "reason_text", "text"]

LANGUAGES = ("en", "et")

TEXTS: dict[str, dict[str, str]] = {
    "reason.starting": {
        "en": "Starting: waiting for the first meter reading.",
        "et": "Käivitub: ootab esimest arvesti näitu.",
    },
    "reason.phase_limit": {
        "en": "L{phase} at {current_a} A; the house draws {base_a} A without the car "
        "(fuse {fuse_a} A, margin {margin_a} A).",
        "et": "Faasil L{phase} on {current_a} A; maja tarbib ilma autota {base_a} A "
        "(peakaitse {fuse_a} A, varu {margin_a} A).",
    },
    "reason.shared": {
        "en": "L{phase} is shared fairly among {chargers} chargers.",
        "et": "Faas L{phase} on jagatud võrdselt {chargers} laadija vahel.",
    },
    "reason.charger_max": {
        "en": "At the charger's maximum of {max_a} A.",
        "et": "Laadija maksimumil {max_a} A.",
    },
    "reason.fixed": {
        "en": "Fixed current of {current_a} A.",
        "et": "Fikseeritud vool {current_a} A.",
    },
    "reason.no_room": {
        "en": "Paused: L{phase} has room for only {room_a} A, below the {min_a} A a car needs.",
        "et": "Peatatud: faasil L{phase} jääb vabaks vaid {room_a} A, autole on vaja vähemalt "
        "{min_a} A.",
    },
    "reason.resume_wait": {
        "en": "Paused: there is room for {room_a} A; charging resumes from {resume_a} A.",
        "et": "Peatatud: vaba on {room_a} A; laadimine jätkub, kui vaba on vähemalt {resume_a} A.",
    },
    "reason.raising": {
        "en": "Raising step by step towards {target_a} A (next step in {next_s} s).",
        "et": "Tõstab järk-järgult {target_a} A poole (järgmine samm {next_s} s pärast).",
    },
    "reason.phase_switch": {
        "en": "Switching to {phases} phase(s) for more power (towards {target_a} A).",
        "et": "Lülitub {phases}-faasilisele laadimisele, et saada rohkem võimsust (eesmärk "
        "{target_a} A).",
    },
    "reason.phase_unmeasured": {
        "en": "Paused: the meter sends no current for L{phase}.",
        "et": "Peatatud: arvesti ei saada faasi L{phase} voolu.",
    },
    "reason.no_vehicle": {
        "en": "No car; {ready_a} A kept ready for the next one.",
        "et": "Autot pole; järgmise jaoks on valmis {ready_a} A.",
    },
    "reason.surplus": {
        "en": "Charging from the solar surplus ({surplus_w} W).",
        "et": "Laeb päikeseelektri ülejäägist ({surplus_w} W).",
    },
    "reason.surplus_low": {
        "en": "The surplus ({surplus_w} W) is below the minimum; pausing in {pause_in_s} s "
        "unless it returns.",
        "et": "Ülejääk ({surplus_w} W) on alla miinimumi; laadimine peatub {pause_in_s} s pärast, "
        "kui ülejääk ei taastu.",
    },
    "reason.surplus_paused": {
        "en": "Paused: the surplus ({surplus_w} W) is too small to charge.",
        "et": "Peatatud: ülejääk ({surplus_w} W) on laadimiseks liiga väike.",
    },
    "reason.surplus_waiting": {
        "en": "Enough surplus ({surplus_w} W); charging starts in {start_in_s} s if it stays.",
        "et": "Ülejääki on piisavalt ({surplus_w} W); laadimine algab {start_in_s} s pärast, "
        "kui see püsib.",
    },
    "reason.cheap_slot": {
        "en": "In a cheap slot until {until}.",
        "et": "Odavas ajavahemikus kuni {until}.",
    },
    "reason.waiting_for_slot": {
        "en": "Waiting for the next cheap slot at {start}.",
        "et": "Ootab järgmist odavat ajavahemikku, mis algab {start}.",
    },
    "reason.no_slot": {
        "en": "No cheap slot is left before the departure at {departure}.",
        "et": "Enne väljasõitu ({departure}) pole ühtki odavat ajavahemikku jäänud.",
    },
    "reason.no_slot_at_all": {
        "en": "No charging slots are set.",
        "et": "Laadimise ajavahemikke pole määratud.",
    },
    "reason.meter_stale": {
        "en": "No meter reading for {age_s} s: fail-safe limit of {failsafe_a} A.",
        "et": "Arvesti näitu pole olnud {age_s} s: ohutu piirang {failsafe_a} A.",
    },
    "reason.no_reading_yet": {
        "en": "No meter reading yet: fail-safe limit of {failsafe_a} A.",
        "et": "Arvesti näitu veel pole: ohutu piirang {failsafe_a} A.",
    },
    "reason.charger_offline": {
        "en": "The charger is not connected; it uses its own fail-safe limit.",
        "et": "Laadija pole ühendatud; see kasutab oma ohutut piirangut.",
    },
    "event.went_stale": {
        "en": "No meter reading for {age_s} s: every charger is set to the fail-safe current of "
        "{failsafe_a} A until readings return.",
        "et": "Arvesti näitu pole {age_s} s: kõik laadijad on seatud ohutule voolule "
        "{failsafe_a} A, kuni näidud naasevad.",
    },
    "event.recovered": {
        "en": "Meter readings are back: charging is controlled again.",
        "et": "Arvesti näidud on tagasi: laadimist juhitakse jälle.",
    },
    "event.charger_connected": {
        "en": "Charger {charger} connected ({detail}).",
        "et": "Laadija {charger} on ühendatud ({detail}).",
    },
    "event.charger_lost": {
        "en": "Charger {charger} disconnected; it falls back to its own fail-safe limit.",
        "et": "Laadija {charger} ühendus katkes; see kasutab oma ohutut piirangut.",
    },
    "event.limit_refused": {
        "en": "Charger {charger} refused the limit ({detail}); it keeps its fail-safe limit.",
        "et": "Laadija {charger} ei võtnud piirangut vastu ({detail}); kehtib tema ohutu piirang.",
    },
    "error.ocpp_listen": {
        "en": "Cannot listen for OCPP chargers on {address}: {detail}. Choose a free port in "
        "ev.ocpp_listen.",
        "et": "OCPP laadijate kuulamine aadressil {address} ei õnnestu: {detail}. Vali "
        "seadistuses ev.ocpp_listen vaba port.",
    },
    "error.goe_unreachable": {
        "en": "The go-e charger {charger} at {address} does not answer ({detail}); check its "
        "address and that its HTTP API v2 is enabled.",
        "et": "go-e laadija {charger} aadressil {address} ei vasta ({detail}); kontrolli "
        "aadressi ja et HTTP API v2 on lubatud.",
    },
}


def text(key: str, language: str = "en", **params: Param) -> str:
    """The sentence `key` in `language` (English when the language is unknown)."""
    forms = TEXTS[key]
    template = forms.get(language, forms["en"])
    return template.format(**{k: _plain(v) for k, v in params.items()})


def reason_text(reason: Reason, language: str = "en") -> str:
    """The sentence for `reason` ("L1 at 23 A; the house draws 7 A without the car …")."""
    return text(f"reason.{reason.code}", language, **dict(reason.params))


def _plain(value: Param) -> str:
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:  # a moment (slot or departure), in the zone it was given in
            return f"{datetime.fromisoformat(value):%H:%M}"
        except ValueError:
            pass
    return str(value)


def _decimal(value: Decimal) -> str:
    """`16`, `7.5`, `-0.4`: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
