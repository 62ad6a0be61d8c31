"""The Estonian texts of the money paths of the OpenAPI document (hanport.web.openapi_costs)."""

from __future__ import annotations

__all__ = ["COST_ESTONIAN"]

COST_ESTONIAN: dict[str, str] = {
    "Day-ahead prices, what the energy cost, the plan": "Järgmise päeva hinnad, energia "
    "maksumus, plaan",
    "The stored day-ahead prices": "Salvestatud järgmise päeva hinnad",
    "Each slot's day-ahead price (`eur_mwh`, EUR/MWh excluding VAT, negative prices occur) and "
    "what one more kWh costs then with the network package, the national fees and VAT "
    "(`all_in_eur_kwh`). Decimals are strings. Default: from today's midnight to the last "
    "published slot.": "Iga ajavahemiku järgmise päeva hind (`eur_mwh`, EUR/MWh ilma "
    "käibemaksuta, hind võib olla negatiivne) ja see, mida üks kWh juurde siis maksab koos "
    "võrgupaketi, riiklike tasude ja käibemaksuga (`all_in_eur_kwh`). Kümnendarvud on "
    "stringidena. Vaikimisi tänasest keskööst viimase avaldatud ajavahemikuni.",
    "Start, ISO 8601.": "Algus, ISO 8601 kujul.",
    "End (exclusive), ISO 8601.": "Lõpp (mitte kaasa arvatud), ISO 8601 kujul.",
    "prices in time order": "hinnad ajalises järjekorras",
    "What the energy cost, per 15 minutes, hour, day or month": "Energia maksumus 15 minuti, "
    "tunni, päeva või kuu kaupa",
    "Rows with the energy bought and sold (kWh) and each component of the bill in EUR, exact "
    "decimals as strings: the seller's energy, margin and balancing-capacity fee, the network "
    "price, renewable-energy fee, excise, security-of-supply fee, VAT, and `total_eur`, "
    "everything bought with VAT; `export_eur` is the revenue for energy sold, apart. The fixed "
    "monthly fees come only in month rows (null elsewhere), and a month row is that month's "
    "bills, lines rounded to the cent. Slots without meter data or price are counted in "
    "`gap_slots` and `unpriced_slots`, never priced as zero.": "Read ostetud ja müüdud "
    "energiaga (kWh) ning arve iga osaga eurodes, täpsed kümnendarvud stringidena: müüja "
    "energia, marginaal ja tasakaalustamisvõimsuse tasu, võrgutasu, taastuvenergia tasu, "
    "aktsiis, varustuskindluse tasu, käibemaks ning `total_eur`, kogu ostetu koos "
    "käibemaksuga; `export_eur` on müüdud energia tulu, eraldi. Kuutasud on ainult kuu ridades "
    "(mujal null) ja kuu rida on selle kuu arved, read sendini ümardatud. Ilma arvesti "
    "andmete või hinnata ajavahemikud loetakse väljadesse `gap_slots` ja `unpriced_slots`, "
    "mitte kunagi nullhinnaga.",
    "Row length; day and month rows follow the Tallinn calendar.": "Rea pikkus; päeva ja kuu "
    "read järgivad Tallinna kalendrit.",
    "Billing view: 15m (each quarter at its own price) or 1h (the hour's energy at the mean of "
    "its four quarter prices); default [tariff] billing.": "Arveldusviis: 15m (iga veerandtund "
    "oma hinnaga) või 1h (tunni energia selle nelja veerandtunni keskmise hinnaga); vaikimisi "
    "[tariff] billing.",
    "Meter id; may be left out when there is one meter.": "Arvesti ID; kui arvesteid on üks, "
    "võib selle ära jätta.",
    "cost rows": "maksumuse read",
    "The cheapest time for a load of a given duration": "Odavaim aeg antud kestusega tarbimiseks",
    "Among the known prices of [from, to): the cheapest contiguous window of `duration` (for a "
    "load that must run in one go) and the cheapest quarters adding up to it (for a boiler or "
    "a car that may pause), priced all-in with VAT.": "Teadaolevate hindade seast vahemikus "
    "[from, to): odavaim järjestikune `duration` pikkune aken (tarbijale, mis peab töötama "
    "korraga) ja odavaimad veerandtunnid, mis kokku annavad sama kestuse (boilerile või autole, "
    "mis võib vahepeal seisma jääda), hinnaga koos kõigi tasude ja käibemaksuga.",
    "How long, e.g. 45m, 3h or 1h30m (at most 48 h); default 1h.": "Kui kaua, nt 45m, 3h või "
    "1h30m (kõige rohkem 48 h); vaikimisi 1h.",
    "Start; default now.": "Algus; vaikimisi praegu.",
    "End (exclusive); default: the end of the published prices.": "Lõpp (mitte kaasa arvatud); "
    "vaikimisi avaldatud hindade lõpp.",
    "the window and the slots": "aken ja ajavahemikud",
    "Today, yesterday, this month and its forecast, the price now, this month's peak": "Täna, "
    "eile, see kuu ja selle prognoos, praegune hind, selle kuu tipp",
    "What the Now page shows about money: today so far and yesterday (rows as in "
    "/api/v1/costs), this month's bills so far and the forecast for the whole month (VAT "
    "included), the all-in price now, and for packages with a capacity charge this month's "
    "peak so far with a `warning` when the running period comes near it or beyond.": "Mida "
    "lehekülg Praegu rahast näitab: täna seni ja eile (read nagu /api/v1/costs), selle kuu "
    "arved seni ja kogu kuu prognoos (koos käibemaksuga), praegune hind koos kõigi tasudega "
    "ning võimsustasuga pakettide korral selle kuu tipp seni koos hoiatusega `warning`, kui "
    "käimasolev periood jõuab selle lähedale või üle selle.",
    "the summary": "kokkuvõte",
    "A month's bills, line by line": "Kuu arved rida-realt",
    "The network operator's bill (network energy per time window, renewable-energy fee, "
    "excise, security-of-supply fee, monthly connection fee, capacity) and the seller's bill "
    "(energy, margin, balancing-capacity fee, monthly fee), each line quantity × unit price = "
    "amount rounded to the cent, VAT per bill, and the export revenue apart, from the month's "
    "data so far.": "Võrguettevõtja arve (võrguenergia ajavahemike kaupa, taastuvenergia tasu, "
    "aktsiis, varustuskindluse tasu, võrguühenduse kuutasu, võimsustasu) ja müüja arve "
    "(energia, marginaal, tasakaalustamisvõimsuse tasu, kuutasu), iga rida kogus × ühikuhind "
    "= summa sendini ümardatud, käibemaks arve kaupa ning müügitulu eraldi, kuu seniste "
    "andmete järgi.",
    "The month, e.g. 2026-01; default this month.": "Kuu, nt 2026-01; vaikimisi see kuu.",
    "the bills": "arved",
}
