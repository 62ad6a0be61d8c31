"""Every sentence `hanport.costs` shows a person, in English and Estonian.

Kept here until the restructuring moves them into the shared catalogue. `text(key, language,
**values)` formats one; a language without its own sentence falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["TEXTS", "Phrase", "text"]


@dataclass(frozen=True)
class Phrase:
    """A part of a sentence from the catalogue, rendered in the sentence's own language."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


TEXTS: dict[str, dict[str, str]] = {
    # prices from a provider or a file
    "price_duplicate": {
        "en": "The prices from {source} list the slot at {start} twice; nothing was stored.",
        "et": "Allika {source} hinnad sisaldavad ajavahemikku {start} kaks korda; midagi ei "
        "salvestatud.",
    },
    "price_misaligned": {
        "en": "The prices from {source} have a slot starting at {start}, which is not on the "
        "market's 15-minute or hourly grid; nothing was stored.",
        "et": "Allika {source} hindades algab ajavahemik kell {start}, mis ei ole turu 15-minuti "
        "ega tunni piiril; midagi ei salvestatud.",
    },
    "price_step": {
        "en": "The prices from {source} come every {minutes} minutes; hanport reads 15-, 30- "
        "and 60-minute prices only.",
        "et": "Allika {source} hinnad tulevad iga {minutes} minuti järel; hanport loeb ainult "
        "15-, 30- ja 60-minutilisi hindu.",
    },
    "price_json": {
        "en": "The answer from {source} is not the JSON the Elering price API sends ({detail}); "
        "check the [prices] url.",
        "et": "Allika {source} vastus ei ole Eleringi hinna-API JSON ({detail}); kontrolli "
        "seadet [prices] url.",
    },
    "price_refused": {
        "en": "{source} answered that the request failed ({detail}).",
        "et": "{source} vastas, et päring ebaõnnestus ({detail}).",
    },
    "price_value": {
        "en": "The price {value!r} from {source} is not a number; nothing was stored.",
        "et": "Allika {source} hind {value!r} ei ole arv; midagi ei salvestatud.",
    },
    "price_csv": {
        "en": "{source} is not an Elering price CSV: the column {column!r} is missing (the "
        'header needs "Ajatempel (UTC)" and "NPS Eesti").',
        "et": "{source} ei ole Eleringi hinna-CSV: veerg {column!r} puudub (päises peavad olema "
        '"Ajatempel (UTC)" ja "NPS Eesti").',
    },
    "price_csv_row": {
        "en": "Line {line} of {source} cannot be read as a price row ({detail}); nothing was "
        "stored.",
        "et": "Faili {source} rida {line} ei ole loetav hinnareana ({detail}); midagi ei "
        "salvestatud.",
    },
    "xml_unsafe": {
        "en": "The answer from {source} declares a DTD or entities, which a price document never "
        "needs; it was refused unread.",
        "et": "Allika {source} vastus kuulutab DTD või olemid, mida hinnadokument kunagi ei "
        "vaja; see lükati kohe tagasi.",
    },
    "xml_size": {
        "en": "The answer from {source} is larger than {limit_mb} MB; it was refused unread.",
        "et": "Allika {source} vastus on suurem kui {limit_mb} MB; see lükati kohe tagasi.",
    },
    "xml_bad": {
        "en": "The answer from {source} is not a readable ENTSO-E price document ({detail}).",
        "et": "Allika {source} vastus ei ole loetav ENTSO-E hinnadokument ({detail}).",
    },
    "entsoe_unit": {
        "en": "ENTSO-E sent prices in {currency} per {unit}; hanport reads EUR per MWh only.",
        "et": "ENTSO-E saatis hinnad ühikus {currency} / {unit}; hanport loeb ainult EUR / MWh.",
    },
    "entsoe_resolution": {
        "en": "ENTSO-E sent a price curve with the resolution {resolution}; hanport reads PT15M, "
        "PT30M and PT60M.",
        "et": "ENTSO-E saatis hinnakõvera sammuga {resolution}; hanport loeb samme PT15M, PT30M "
        "ja PT60M.",
    },
    "entsoe_position": {
        "en": "ENTSO-E sent a price at position {position}, outside its period of {count} "
        "slots; nothing was stored.",
        "et": "ENTSO-E saatis hinna positsioonil {position}, mis jääb väljapoole {count} "
        "ajavahemikuga perioodi; midagi ei salvestatud.",
    },
    # fetching
    "fetch_unreachable": {
        "en": "{source} could not be reached after {attempts} tries ({detail}); hanport keeps "
        "using the prices it has and tries again later.",
        "et": "Allikaga {source} ei saanud {attempts} katsega ühendust ({detail}); hanport "
        "kasutab olemasolevaid hindu ja proovib hiljem uuesti.",
    },
    "fetch_status": {
        "en": "{source} refused the price request with HTTP {status} ({detail}).",
        "et": "{source} lükkas hinnapäringu tagasi vastusega HTTP {status} ({detail}).",
    },
    "fetch_token": {
        "en": "ENTSO-E refused the security token (HTTP {status}); check [prices] entsoe_token "
        "(HANPORT_PRICES_ENTSOE_TOKEN).",
        "et": "ENTSO-E ei aktsepteerinud turvavõtit (HTTP {status}); kontrolli seadet [prices] "
        "entsoe_token (HANPORT_PRICES_ENTSOE_TOKEN).",
    },
    "fetch_none": {
        "en": 'Price fetching is off ([prices] source = "none"); import prices with '
        "hanport prices import FILE.",
        "et": 'Hindade allalaadimine on välja lülitatud ([prices] source = "none"); impordi '
        "hinnad käsuga hanport prices import FILE.",
    },
    # DSO consumption files
    "dso_header": {
        "en": "{source} has no header row with the column {column!r}; for another export give "
        "the columns, e.g. start=Algus,import=Kogus.",
        "et": "Failis {source} puudub päiserida veeruga {column!r}; muu ekspordi puhul anna "
        "veerud, nt start=Algus,import=Kogus.",
    },
    "dso_column": {
        "en": "{source} has no column {column!r} (its columns are {columns}).",
        "et": "Failis {source} puudub veerg {column!r} (veerud on {columns}).",
    },
    "dso_row": {
        "en": "Line {line} of {source} cannot be read ({detail}); nothing was imported.",
        "et": "Faili {source} rida {line} ei ole loetav ({detail}); midagi ei imporditud.",
    },
    "dso_time": {
        "en": "the time {value!r} is not a date and time such as 01.10.2025 00:00",
        "et": "aeg {value!r} ei ole kuupäev ja kellaaeg kujul 01.10.2025 00:00",
    },
    "dso_missing_time": {
        "en": "the local time {value!r} does not exist (the clocks jumped forward then)",
        "et": "kohalikku aega {value!r} ei ole olemas (kell keerati siis edasi)",
    },
    "dso_number": {
        "en": "the amount {value!r} is not a number",
        "et": "kogus {value!r} ei ole arv",
    },
    "dso_negative": {
        "en": "the amount {value!r} is negative",
        "et": "kogus {value!r} on negatiivne",
    },
    "dso_order": {
        "en": "the interval starting {value} overlaps the one before it",
        "et": "intervall algusega {value} kattub eelmisega",
    },
    "dso_mapping": {
        "en": "The column mapping {value!r} must look like start=Algusaeg,import=Tarbimine,"
        'export=Võrku andmine,unit=kWh,decimal="," (keys: {keys}).',
        "et": "Veergude vastavus {value!r} peab olema kujul start=Algusaeg,import=Tarbimine,"
        'export=Võrku andmine,unit=kWh,decimal="," (võtmed: {keys}).',
    },
    "dso_empty": {
        "en": "{source} holds no consumption rows.",
        "et": "Failis {source} pole ühtegi tarbimisrida.",
    },
    # tariffs
    "tariff_unknown": {
        "en": "No {what} is known for {day} ({why}); set [tariff] {key} (HANPORT_TARIFF_{env}) "
        "to the value on your bill (prices excluding VAT).",
        "et": "Kuupäeval {day} pole {what} teada ({why}); sea [tariff] {key} "
        "(HANPORT_TARIFF_{env}) oma arvel olevaks väärtuseks (hinnad ilma käibemaksuta).",
    },
    "tariff_before": {
        "en": "the {preset} preset starts on {first}",
        "et": "eelseade {preset} algab kuupäeval {first}",
    },
    "tariff_after": {
        "en": "the {preset} preset's prices end on {last}: later price lists are not public in "
        "hanport's sources",
        "et": "eelseade {preset} hinnad lõpevad kuupäeval {last}: hilisemad hinnakirjad pole "
        "hanporti allikates avalikud",
    },
    "tariff_not_in_package": {
        "en": "the {preset} package has no such price",
        "et": "paketis {preset} sellist hinda pole",
    },
    "tariff_custom": {
        "en": 'network = "custom" takes every network price from the settings',
        "et": 'network = "custom" võtab kõik võrgutasud seadetest',
    },
    "tariff_fuse": {
        "en": "The {preset} package is for main fuses over {limit} A, and [site] fuse_a is "
        "{fuse} A; choose a package for your connection in [tariff] network.",
        "et": "Pakett {preset} on üle {limit} A peakaitsmetele, aga [site] fuse_a on {fuse} A; "
        "vali oma liitumisele sobiv pakett seadega [tariff] network.",
    },
    "component_network_day_c_kwh": {
        "en": "network day price",
        "et": "võrgutasu päevahinda",
    },
    "component_network_night_c_kwh": {
        "en": "network night price",
        "et": "võrgutasu öist hinda",
    },
    "component_network_peak_c_kwh": {
        "en": "network day-peak price",
        "et": "võrgutasu päeva tipuhinda",
    },
    "component_network_restday_peak_c_kwh": {
        "en": "network rest-day peak price",
        "et": "võrgutasu puhkepäeva tipuhinda",
    },
    "component_network_monthly_eur": {
        "en": "network monthly fee",
        "et": "võrgutasu kuutasu",
    },
    "component_renewable_c_kwh": {
        "en": "renewable energy fee",
        "et": "taastuvenergia tasu",
    },
    "component_excise_c_kwh": {
        "en": "electricity excise",
        "et": "elektriaktsiisi",
    },
    "component_supply_security_c_kwh": {
        "en": "security-of-supply fee",
        "et": "varustuskindluse tasu",
    },
    "component_balancing_c_kwh": {
        "en": "balancing-capacity fee",
        "et": "tasakaalustamisvõimsuse tasu",
    },
    "component_vat_percent": {
        "en": "VAT rate",
        "et": "käibemaksumäära",
    },
    "preset_bad": {
        "en": "The tariff preset file {name} is damaged ({detail}); reinstall hanport.",
        "et": "Tariifi eelseadete fail {name} on vigane ({detail}); paigalda hanport uuesti.",
    },
    # settings
    "setting_choice": {
        "en": "The setting {where} must be one of {choices}, not {value!r}.",
        "et": "Seade {where} peab olema üks järgmistest: {choices}, mitte {value!r}.",
    },
    "setting_network": {
        "en": "The setting {where} names no known network package {value!r}; use one of "
        '{choices}, or "custom" with every network_* price set.',
        "et": "Seade {where} ei nimeta tuntud võrgupaketti {value!r}; kasuta ühte järgmistest: "
        '{choices} või "custom" koos kõigi network_* hindadega.',
    },
    "setting_url": {
        "en": "The setting {where} must be an http:// or https:// address, not {value!r}.",
        "et": "Seade {where} peab olema http:// või https:// aadress, mitte {value!r}.",
    },
    "setting_token": {
        "en": "ENTSO-E needs a security token: set [prices] entsoe_token "
        '(HANPORT_PRICES_ENTSOE_TOKEN), or use source = "elering", which needs none.',
        "et": "ENTSO-E vajab turvavõtit: sea [prices] entsoe_token (HANPORT_PRICES_ENTSOE_TOKEN) "
        'või kasuta source = "elering", mis võtit ei vaja.',
    },
    "setting_price": {
        "en": 'The setting {where} must be a price such as 6.07 or "6.07 from 2027-01-01" '
        "(several steps separated by ;), from {low} to {high} {unit}; {value!r} is not.",
        "et": 'Seade {where} peab olema hind nagu 6.07 või "6.07 from 2027-01-01" (mitu '
        "sammu eraldatuna märgiga ;), vahemikus {low} kuni {high} {unit}; {value!r} seda ei "
        "ole.",
    },
    "setting_fixed": {
        "en": 'seller = "fixed" needs the price: set [tariff] seller_fixed_c_kwh '
        "(HANPORT_TARIFF_SELLER_FIXED_C_KWH), excluding VAT.",
        "et": 'seller = "fixed" vajab hinda: sea [tariff] seller_fixed_c_kwh '
        "(HANPORT_TARIFF_SELLER_FIXED_C_KWH) ilma käibemaksuta.",
    },
    # plan
    "plan_duration": {
        "en": "The duration {value!r} must be a length such as 45m, 3h or 1h30m, at most "
        "{limit_h} hours.",
        "et": "Kestus {value!r} peab olema pikkus nagu 45m, 3h või 1h30m, kõige rohkem "
        "{limit_h} tundi.",
    },
}


def text(key: str, language: str, /, **values: object) -> str:
    entry = TEXTS[key]
    shown = {
        name: text(value.key, language, **value.values) if isinstance(value, Phrase) else value
        for name, value in values.items()
    }
    return entry.get(language, entry["en"]).format(**shown)
