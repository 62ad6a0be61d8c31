"""Every sentence of the voltage-quality figures and reports, in English and Estonian.

`text(key, language, **values)` formats one entry; `number()` and `moment()` write figures the
way each language does (230.5 V and 2026-03-02 18:00 in English, 230,5 V and 02.03.2026 18:00
in Estonian).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["TEXTS", "moment", "number", "text"]

TEXTS: dict[str, dict[str, str]] = {
    # settings
    "setting_number": {
        "en": "The setting {where} must be a number from {low} to {high}, not {value!r}.",
        "et": "Seade {where} peab olema arv vahemikus {low} kuni {high}, mitte {value!r}.",
    },
    "setting_whole": {
        "en": "The setting {where} must be a whole number from {low} to {high}, not {value!r}.",
        "et": "Seade {where} peab olema täisarv vahemikus {low} kuni {high}, mitte {value!r}.",
    },
    "setting_language": {
        "en": "The language from {where} must be en or et, not {value!r}.",
        "et": "Seade {where} peab olema en või et, mitte {value!r}.",
    },
    "setting_weekday": {
        "en": "The setting {where} must be a weekday in English (monday … sunday), not {value!r}.",
        "et": "Seade {where} peab olema nädalapäev inglise keeles (monday … sunday), mitte "
        "{value!r}.",
    },
    "setting_label": {
        "en": "The setting {where} must be at most 120 characters on one line.",
        "et": "Seade {where} tohib olla kuni 120 märki ühel real.",
    },
    "setting_band_order": {
        "en": "The voltage limits must keep quality.wide_low_v ({wide} V) ≤ quality.band_low_v "
        "({low} V) < quality.band_high_v ({high} V); fix the one that is out of order.",
        "et": "Pingepiirid peavad olema järjestuses quality.wide_low_v ({wide} V) ≤ "
        "quality.band_low_v ({low} V) < quality.band_high_v ({high} V); paranda see, mis on "
        "vales kohas.",
    },
    # what the figures and events are called
    "kind_overvoltage": {"en": "Overvoltage", "et": "Ülepinge"},
    "kind_undervoltage": {"en": "Undervoltage", "et": "Alapinge"},
    "kind_unbalance": {"en": "Unbalance", "et": "Pingeasümmeetria"},
    "kind_phase_loss": {"en": "Phase lost", "et": "Faas kadunud"},
    "kind_broken_neutral": {"en": "Broken neutral", "et": "Nulljuhtme katkestus"},
    "kind_pv_trip": {
        "en": "At or above the PV trip level",
        "et": "Päikeseelektrijaama väljalülituse tasemel või üle selle",
    },
    "verdict_pass": {"en": "complies", "et": "vastab"},
    "verdict_fail": {"en": "does not comply", "et": "ei vasta"},
    "verdict_insufficient": {"en": "too little data", "et": "andmeid liiga vähe"},
    "all_phases": {"en": "all", "et": "kõik"},
    "ongoing": {"en": "ongoing", "et": "kestab"},
    # what 10-s data cannot see: the app and the report show this verbatim
    "cannot_see": {
        "en": "What these figures cannot show: the meter reports one voltage per phase every "
        "10 seconds, not the continuous measurement of a class A instrument (EN 61000-4-30). "
        "Dips and swells shorter than a second, interruptions under 10 s, flicker (Pst, Plt), "
        "harmonics (THD) and true negative-sequence unbalance, which needs phase angles, are "
        "invisible in such data; the unbalance given here is the magnitude-only approximation "
        "max |Vi − Vavg| / Vavg. The 10-minute means are means of the 10-s readings, not "
        "RMS over every cycle. They show the supply's steady voltage well and are strong "
        "evidence for a complaint, but the grid operator's own class A measurement decides.",
        "et": "Mida need näitajad ei näita: arvesti annab iga faasi pinge kord 10 sekundi "
        "jooksul, mitte A-klassi mõõteriista pidevat mõõtmist (EN 61000-4-30). Sekundist "
        "lühemad pingelohud ja -tõusud, alla 10 s katkestused, värelus (Pst, Plt), "
        "harmoonikud (THD) ega tegelik vastujärgnevuse asümmeetria, mille jaoks on vaja "
        "faasinurki, selliseid andmeid ei paista; siin antud asümmeetria on ainult "
        "suurustest arvutatud lähend max |Vi − Vavg| / Vavg. 10 minuti keskmised on 10-s "
        "näitude keskmised, mitte iga perioodi efektiivväärtus. Need näitavad toitepinge "
        "püsivat taset hästi ja on kaebuse jaoks tugev tõend, kuid otsustab võrguettevõtja "
        "enda A-klassi mõõtmine.",
    },
}


def text(key: str, language: str, **values: object) -> str:
    entry = TEXTS[key]
    return entry.get(language, entry["en"]).format(**values)


def number(value: Decimal | int | None, places: int = 1, language: str = "en") -> str:
    """`value` rounded half-even to `places`; a decimal comma in Estonian; – for None."""
    if value is None:
        return "–"
    exponent = Decimal(1).scaleb(-places)
    written = f"{Decimal(value).quantize(exponent, ROUND_HALF_EVEN):f}"
    return written.replace(".", ",") if language == "et" else written


def moment(value: datetime, zone: tzinfo, language: str = "en", seconds: bool = False) -> str:
    """Local date and time: 2026-03-02 18:00 (en), 02.03.2026 18:00 (et)."""
    local = value.astimezone(zone)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return local.strftime(("%d.%m.%Y " if language == "et" else "%Y-%m-%d ") + clock)
