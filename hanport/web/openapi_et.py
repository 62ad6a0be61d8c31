"""The Estonian texts of the OpenAPI document: every summary and description of its operations,
parameters, responses and tags, added next to the English as `x-summary-et` and
`x-description-et` (the app's API page shows them in Estonian)."""

from __future__ import annotations

from typing import Any

from hanport.store.rollups import STAT_FIELDS
from hanport.web.openapi_alerts import ALERTS_ESTONIAN
from hanport.web.openapi_costs import COST_ESTONIAN

__all__ = ["ESTONIAN", "with_estonian"]

_STATS = ", ".join(STAT_FIELDS)

ESTONIAN: dict[str, str] = {
    "Readings of your electricity meter's HAN port, kept on your machine. Authenticate with the "
    "session cookie (and `X-CSRF-Token` on changes) or with `Authorization: Bearer <API token>`. "
    'Errors are `{"error": "…", "code": "…", "params": {…}}`: one sentence saying what is wrong '
    "and what works, in the language of `Accept-Language` (`et` for Estonian, else English) or of "
    "the query parameter `lang=et`, and the code of that sentence, which does not change between "
    "versions or languages.": "Sinu elektriarvesti HAN-pordi näidud, hoitud sinu enda masinas. "
    "Autentimiseks kasuta seansiküpsist (muudatuste korral ka päist `X-CSRF-Token`) või päist "
    '`Authorization: Bearer <API-võti>`. Vead tulevad kujul `{"error": "…", "code": "…", '
    '"params": {…}}`: üks lause selle kohta, mis on valesti ja mis toimiks, päise '
    "`Accept-Language` keeles (`et` eesti keeles, muidu inglise keeles) või päringu parameetri "
    "`lang=et` järgi, ning selle lause kood, mis versioonide ja keelte vahel ei muutu.",
    # data
    "The meters in the database": "Andmebaasis olevad arvestid",
    "meters": "arvestid",
    "The newest reading": "Uusim näit",
    "Meter id; may be left out when there is one meter.": "Arvesti ID; kui arvesteid on üks, "
    "võib selle ära jätta.",
    "the reading and its age in seconds": "näit ja selle vanus sekundites",
    "Every 10-s reading of a period (at most 7 days)": "Perioodi kõik 10-sekundilised näidud "
    "(kuni 7 päeva)",
    "Start, ISO 8601 date or time (local zone when no offset is given).": "Algus: kuupäev või "
    "kellaaeg ISO 8601 kujul (ilma ajavööndi nihketa kohaliku aja järgi).",
    "End (exclusive), ISO 8601; default: now.": "Lõpp (mitte kaasa arvatud), ISO 8601 kujul; "
    "vaikimisi praegune hetk.",
    "Comma-separated Reading fields": "Näidu väljad, komadega eraldatud",
    "readings in time order": "näidud ajalises järjekorras",
    "Rollups (energy from the registers; min/avg/max of power, voltage, current)": "Perioodide "
    "kokkuvõtted (energia registritest; võimsuse, pinge ja voolu min/keskmine/max)",
    "One row per period: the energy imported and exported (Wh) from the meter's cumulative "
    "registers, never from power samples, and min, max, avg, sum and n of power, voltage and "
    "current. The period still open, the one holding the newest reading, comes too: computed "
    "from its readings so far and marked `partial: true` (absent on every other row). Its "
    "figures grow until the period closes; then the same row is stored without the mark.": "Iga "
    "rida on üks periood: võrgust võetud ja võrku antud energia (Wh) arvesti kumulatiivsetest "
    "registritest, mitte kunagi võimsuse väärtustest, ning võimsuse, pinge ja voolu min, max, "
    "avg, sum ja n. Kaasas on ka veel lõppemata periood, see, kus on uusim näit: arvutatud seni "
    "saabunud näitudest ja märgitud `partial: true` (teistel ridadel seda välja pole). Selle "
    "näitajad kasvavad perioodi lõpuni; siis salvestatakse sama rida ilma märketa.",
    "Period length (default 1h)": "Perioodi pikkus (vaikimisi 1h)",
    f"Comma-separated statistics to include: {_STATS} (default: all).": "Statistika, mida "
    f"kaasata, komadega eraldatud: {_STATS} (vaikimisi kõik).",
    "periods in time order; the open one last, marked partial": "perioodid ajalises "
    "järjekorras; lõppemata periood viimasena, märgitud partial",
    "Energy imported and exported per day, month or year": "Võrgust võetud ja võrku antud "
    "energia päeva, kuu või aasta kaupa",
    "default day": "vaikimisi day",
    "energy per period; the open one marked partial": "energia perioodi kaupa; lõppemata "
    "periood märgitud partial",
    "The reader's state": "Arvestiga ühenduse olek",
    "status": "olek",
    "The field table: names, units, Home Assistant classes, labels": "Väljade tabel: nimed, "
    "ühikud, Home Assistanti klassid, nimetused",
    "fields": "väljad",
    "Download readings (or rollups with step) as CSV or JSON lines": "Näitude (või parameetriga "
    "step perioodide kokkuvõtete) allalaadimine CSV- või JSON Lines-failina",
    "rollups instead of readings": "näitude asemel perioodide kokkuvõtted",
    "default csv": "vaikimisi csv",
    "the file": "fail",
    # live
    "Server-Sent Events: `reading` for each reading, `status` every 5 s": "Server-Sent Events: "
    "`reading` iga näidu kohta, `status` iga 5 s järel",
    "an endless event stream": "lõputu sündmuste voog",
    # accounts
    "Who is signed in (and the CSRF token to send with changes)": "Kes on sisse logitud (ja "
    "CSRF-tõend, mis tuleb muudatustega kaasa saata)",
    "the session": "seanss",
    "Sign in; sets the session cookie": "Sisselogimine; seab seansiküpsise",
    "Sign out": "Väljalogimine",
    "signed out": "välja logitud",
    "First start: create the administrator (only while no account exists)": "Esmakäivitus: "
    "administraatori konto loomine (ainult seni, kuni ühtegi kontot pole)",
    "API tokens (an administrator sees everyone's)": "API-võtmed (administraator näeb kõigi omi)",
    "tokens": "võtmed",
    "Create an API token; its secret is shown only in this answer": "API-võtme loomine; võti "
    "on näha ainult selles vastuses",
    "the new token": "uus võti",
    "Revoke an API token": "API-võtme tühistamine",
    "revoked": "tühistatud",
    # tags and the common error
    "Readings, rollups, energy, status": "Näidud, perioodide kokkuvõtted, energia, olek",
    "Readings as they arrive": "Näidud kohe, kui need saabuvad",
    "Signing in, the first start, API tokens": "Sisselogimine, esmakäivitus, API-võtmed",
    "a plain sentence saying what is wrong": "lihtne lause selle kohta, mis on valesti",
    # ev
    "EV charging below the main fuse": "Elektriauto laadimine peakaitsme piires",
    "EV charging: each charger's state, its limit per phase and why": "Elektriauto laadimine: "
    "iga laadija olek, selle voolupiir faasi kohta ja põhjus",
    "the EV control's state": "laadimise juhtimise olek",
    "Every EV limit sent, with its reason": "Kõik saadetud laadimispiirid koos põhjustega",
    "Only this charger's limits.": "Ainult selle laadija piirid.",
    "Start, ISO 8601; default: a day before the end.": "Algus ISO 8601 kujul; vaikimisi ööpäev "
    "enne lõppu.",
    "the limits, oldest first": "piirid, vanimad eespool",
    "Set the EV charging mode (administrators only)": "Laadimisrežiimi valimine (ainult "
    "administraatorile)",
    "Set the departure time for the cheapest mode (administrators only)": "Väljasõiduaja "
    "määramine odavaimate tundide režiimi jaoks (ainult administraatorile)",
    # quality
    "Voltage quality (EN 50160): weekly compliance per phase, events, 10-minute means": "Pinge "
    "kvaliteet (EN 50160): nädala vastavus faasi kaupa, sündmused, 10 minuti keskmised",
    "The weekly figures cover every whole week the days touch; the events and 10-minute means "
    "keep to the days. Figures from 10-s readings cannot show dips under a second, flicker or "
    "harmonics.": "Nädala näitajad hõlmavad iga terviknädalat, mida päevad puudutavad; "
    "sündmused ja 10 minuti keskmised piirduvad päevadega. 10-sekundilistest näitudest ei näe "
    "sekundist lühemaid pingelohke, väreluse ega harmoonikuid.",
    "First day (local date, e.g. 2026-03-02); default: this week's Monday.": "Esimene päev "
    "(kohalik kuupäev, nt 2026-03-02); vaikimisi selle nädala esmaspäev.",
    "Last day, included; default: six days after from.": "Viimane päev (kaasa arvatud); "
    "vaikimisi kuus päeva pärast algust.",
    "summary: without the 10-minute means (default full)": "summary: ilma 10 minuti "
    "keskmisteta (vaikimisi full)",
    "the figures": "näitajad",
    "Download the voltage quality report as PDF or CSV": "Pinge kvaliteedi aruande "
    "allalaadimine PDF- või CSV-failina",
    "default pdf": "vaikimisi pdf",
    "language of the report: en or et (default: the request's)": "aruande keel: en või et "
    "(vaikimisi päringu keel)",
    "the report": "aruanne",
    "Voltage quality as evidence (EN 50160)": "Pinge kvaliteet tõendina (EN 50160)",
}

ESTONIAN.update(COST_ESTONIAN)  # prices, costs, plan (hanport.web.openapi_costs)
ESTONIAN |= ALERTS_ESTONIAN

_SCHEMA_KEYS = frozenset(("schema", "properties", "items", "additionalProperties"))


def with_estonian(node: Any, inside_schema: bool = False) -> None:
    """Add `x-<key>-et` next to every summary and description that has an Estonian text (those
    of schemas are not shown by the app and stay English)."""
    if isinstance(node, list):
        for item in node:
            with_estonian(item, inside_schema)
    elif isinstance(node, dict):
        for key in ("summary", "description"):
            text = node.get(key)
            if isinstance(text, str) and not inside_schema and text in ESTONIAN:
                node[f"x-{key}-et"] = ESTONIAN[text]
        for key, value in list(node.items()):
            if isinstance(value, dict | list):
                with_estonian(value, inside_schema or key in _SCHEMA_KEYS)
