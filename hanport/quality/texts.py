"""Every sentence of the voltage-quality figures and reports, in English and Estonian.

`text(key, language, **values)` formats one entry; `number()` and `moment()` write figures the
way each language does (230.5 V and 2026-03-02 18:00 in English, 230,5 V and 02.03.2026 18:00
in Estonian).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["TEXTS", "duration", "moment", "number", "text"]

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
    # the report
    "report_title": {"en": "Supply voltage quality report", "et": "Toitepinge kvaliteedi aruanne"},
    "report_subtitle": {
        "en": "EVS-EN 50160 figures from the electricity meter's HAN port",
        "et": "EVS-EN 50160 näitajad elektriarvesti HAN-pordi andmetest",
    },
    "label_site": {"en": "Site", "et": "Objekt"},
    "label_metering_point": {"en": "Metering point (EIC)", "et": "Mõõtepunkt (EIC)"},
    "label_meter": {"en": "Meter", "et": "Arvesti"},
    "label_connection": {"en": "Connection", "et": "Liitumine"},
    "connection": {
        "en": "{phases}, main fuse {fuse} A, nominal voltage {nominal} V",
        "et": "{phases}, peakaitse {fuse} A, nimipinge {nominal} V",
    },
    "phases_1": {"en": "single-phase", "et": "ühefaasiline"},
    "phases_3": {"en": "three-phase", "et": "kolmefaasiline"},
    "label_period": {"en": "Period", "et": "Periood"},
    "label_created": {"en": "Made", "et": "Koostatud"},
    "not_given": {"en": "not given", "et": "märkimata"},
    "fee_note": {
        "en": "Elektrilevi cuts the network fees by 80 % for as long as the voltage at a site is "
        "confirmed not to meet EVS-EN 50160. This report can be attached to a complaint.",
        "et": "Elektrilevi vähendab võrgutasusid 80 %, kuni on kinnitatud, et pinge objektil ei "
        "vasta standardile EVS-EN 50160. Selle aruande võib lisada kaebusele.",
    },
    "heading_summary": {"en": "Summary", "et": "Kokkuvõte"},
    "summary_phase": {
        "en": "{phase}: {verdict} (weeks failing: {failing} of {weeks}; lowest 10-min mean "
        "{low} V, highest {high} V)",
        "et": "{phase}: {verdict} (nõuetele mittevastavaid nädalaid {failing}/{weeks}; madalaim "
        "10 minuti keskmine {low} V, kõrgeim {high} V)",
    },
    "heading_method": {"en": "Method", "et": "Meetod"},
    "method": {
        "en": "The meter sends every phase's voltage every {interval} s. hanport keeps every "
        "reading and forms 10-minute means per phase on the local clock of {zone} (:00, :10, "
        "…): the exact mean of the readings in the window, shown to 0.01 V. A window with fewer "
        "than {min_samples} of its {expected} readings on a phase is incomplete: it is listed "
        "but left out of the weekly shares, as EN 50160 leaves out flagged intervals. Weeks "
        "start on {weekday} at 00:00. Per week and phase, at least 95 % of the complete "
        "10-minute means must lie within {low}–{high} V and all of them within "
        "{wide}–{high} V; a week whose complete means cover less than {coverage} % of it has "
        "too little data to pass. Unbalance is max |Vi − Vavg| / Vavg of the three means, with "
        "a threshold of {unbalance} %.",
        "et": "Arvesti saadab iga faasi pinge iga {interval} s järel. hanport salvestab iga "
        "näidu ja arvutab iga faasi 10 minuti keskmised ajavööndi {zone} kellaaja järgi (:00, "
        ":10, …): akna näitude täpne keskmine, näidatud 0,01 V täpsusega. Aken, kus faasil on "
        "vähem kui {min_samples} näitu {expected}-st, on puudulik: see on loetelus, kuid "
        "nädala osakaaludesse ei lähe, nagu EN 50160 jätab välja märgistatud intervallid. "
        "Nädal algab {weekday} kell 00:00. Igal nädalal ja faasil peab vähemalt 95 % täielikest "
        "10 minuti keskmistest olema vahemikus {low}–{high} V ja kõik vahemikus "
        "{wide}–{high} V; nädal, mille täielikud keskmised katavad alla {coverage} % nädalast, "
        "on hinnanguks liiga väheste andmetega. Asümmeetria on kolme keskmise "
        "max |Vi − Vavg| / Vavg, piiriga {unbalance} %.",
    },
    "limits_not_en50160": {
        "en": "These limits were changed in the settings and differ from EN 50160's "
        "(207–253 V, 195.5–253 V).",
        "et": "Need piirid on seadetes muudetud ega ole EN 50160 omad (207–253 V, 195,5–253 V).",
    },
    "weekday_0": {"en": "Monday", "et": "esmaspäeval"},
    "weekday_1": {"en": "Tuesday", "et": "teisipäeval"},
    "weekday_2": {"en": "Wednesday", "et": "kolmapäeval"},
    "weekday_3": {"en": "Thursday", "et": "neljapäeval"},
    "weekday_4": {"en": "Friday", "et": "reedel"},
    "weekday_5": {"en": "Saturday", "et": "laupäeval"},
    "weekday_6": {"en": "Sunday", "et": "pühapäeval"},
    "heading_weeks": {
        "en": "Compliance per week and phase",
        "et": "Vastavus nädalate ja faaside kaupa",
    },
    "col_week": {"en": "Week", "et": "Nädal"},
    "col_phase": {"en": "Phase", "et": "Faas"},
    "col_complete": {"en": "Complete", "et": "Täielikke"},
    "col_incomplete": {"en": "Incompl.", "et": "Puudulikke"},
    "col_band": {"en": "{low}–{high} V", "et": "{low}–{high} V"},
    "col_trip": {"en": "≥ {trip} V", "et": "≥ {trip} V"},
    "col_mean_range": {"en": "Mean min–max", "et": "Keskmine min–max"},
    "col_verdict": {"en": "Verdict", "et": "Hinnang"},
    "weeks_note": {
        "en": "Complete and incomplete: 10-minute windows of the week ({expected} in a whole "
        "week). Shares are rounded down. ≥ {trip} V: time at or above the level where PV "
        "inverters disconnect.",
        "et": "Täielikud ja puudulikud: nädala 10 minuti aknad (terves nädalas {expected}). "
        "Osakaalud on ümardatud alla. ≥ {trip} V: aeg, mil pinge oli päikeseelektrijaama "
        "inverteri väljalülitustasemel või üle selle.",
    },
    "unbalance_week": {
        "en": "Week of {week}: unbalance at most {limit} % in {share} % of {windows} complete "
        "windows, highest {peak} %.",
        "et": "Nädal alates {week}: {windows} täielikust aknast {share} % asümmeetriaga kuni "
        "{limit} %, suurim {peak} %.",
    },
    "heading_chart": {
        "en": "10-minute means, week of {week}",
        "et": "10 minuti keskmised, nädal alates {week}",
    },
    "chart_legend": {
        "en": "Green: {low}–{high} V (95 % of the week). Amber: down to {wide} V (100 %). "
        "Gaps: no complete window.",
        "et": "Roheline: {low}–{high} V (95 % nädalast). Kollane: kuni {wide} V (100 %). "
        "Tühimikud: täielikku akent pole.",
    },
    "heading_events": {"en": "Events", "et": "Sündmused"},
    "no_events": {"en": "No events in the period.", "et": "Perioodil sündmusi ei olnud."},
    "col_kind": {"en": "Event", "et": "Sündmus"},
    "col_start": {"en": "Start", "et": "Algus"},
    "col_end": {"en": "End", "et": "Lõpp"},
    "col_duration": {"en": "Duration", "et": "Kestus"},
    "col_min": {"en": "Min V", "et": "Min V"},
    "col_max": {"en": "Max V", "et": "Max V"},
    "col_detail": {"en": "Detail", "et": "Täpsustus"},
    "detail_mean": {"en": "worst mean {mean} V", "et": "halvim keskmine {mean} V"},
    "detail_unbalance": {"en": "peak {pct} %", "et": "suurim {pct} %"},
    "detail_current": {"en": "current up to {current} A", "et": "vool kuni {current} A"},
    "events_more": {
        "en": "… and {more} more events (all of them are in the CSV).",
        "et": "… ja veel {more} sündmust (kõik on CSV-failis).",
    },
    "heading_cannot_see": {
        "en": "What 10-second data cannot show",
        "et": "Mida 10-sekundilised andmed ei näita",
    },
    "page": {"en": "hanport {version} · page {page}", "et": "hanport {version} · lk {page}"},
    # the CSV's section titles and columns
    "csv_events": {"en": "events", "et": "sündmused"},
    "csv_weeks": {"en": "weekly figures", "et": "nädala näitajad"},
}


def duration(seconds: int, language: str = "en") -> str:
    """4 h 10 min, 2 min, 50 s (the same units in both languages)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs and not hours:
        parts.append(f"{secs} s")
    return " ".join(parts) or "0 s"


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
