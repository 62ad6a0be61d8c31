"""Every sentence of the alerts in English and Estonian: titles, bodies, summaries, problems.

Keys: `<rule>_fired` / `_cleared` / `_occurred` with `_title` and `_body`; `{…}` are figures
(already written in the language: 230,5 V in Estonian).
"""

from __future__ import annotations

__all__ = ["TEXTS", "text"]

TEXTS: dict[str, dict[str, str]] = {
    "overcurrent_fired_title": {
        "en": "{subject} current above {pct} % of the fuse",
        "et": "{subject} vool üle {pct} % peakaitsest",
    },
    "overcurrent_fired_body": {
        "en": "Phase {subject} carries {current_a} A, {load_pct} % of the {fuse_a} A main fuse, "
        "since {since} (limit {pct} % for {duration}). Switch off a large load before the fuse "
        "blows.",
        "et": "Faasis {subject} on vool {current_a} A ehk {load_pct} % {fuse_a} A peakaitsest "
        "alates {since} (piir {pct} % kestusega {duration}). Lülita mõni suur tarbija välja, "
        "enne kui kaitse läbi põleb.",
    },
    "overcurrent_cleared_title": {
        "en": "{subject} current back under the limit",
        "et": "{subject} vool on jälle alla piiri",
    },
    "overcurrent_cleared_body": {
        "en": "Phase {subject} is at {current_a} A again, under {pct} % of the fuse; the highest "
        "was {peak} A. The alert lasted {lasted}.",
        "et": "Faasi {subject} vool on jälle {current_a} A, alla {pct} % peakaitsest; suurim oli "
        "{peak} A. Häire kestis {lasted}.",
    },
    "import_power_fired_title": {
        "en": "Import above {threshold_w} W",
        "et": "Võrgust võetav võimsus üle {threshold_w} W",
    },
    "import_power_fired_body": {
        "en": "The house takes {power_w} W from the grid, more than {threshold_w} W, since "
        "{since}.",
        "et": "Maja võtab võrgust {power_w} W, rohkem kui {threshold_w} W, alates {since}.",
    },
    "import_power_cleared_title": {
        "en": "Import back under {threshold_w} W",
        "et": "Võrgust võetav võimsus on jälle alla {threshold_w} W",
    },
    "import_power_cleared_body": {
        "en": "The house takes {power_w} W again; the highest was {peak} W. The alert lasted "
        "{lasted}.",
        "et": "Maja võtab võrgust jälle {power_w} W; suurim oli {peak} W. Häire kestis {lasted}.",
    },
    "voltage_band_fired_title": {
        "en": "{subject}: 10-minute voltage {mean_v} V, outside {low_v}–{high_v} V",
        "et": "{subject}: 10 minuti pinge {mean_v} V, väljaspool {low_v}–{high_v} V",
    },
    "voltage_band_fired_body": {
        "en": "The 10-minute mean voltage of phase {subject} was {mean_v} V from {since}, outside "
        "the {low_v}–{high_v} V that EN 50160 requires for 95 % of each week.{wide}",
        "et": "Faasi {subject} 10 minuti keskmine pinge oli {mean_v} V alates {since}, väljaspool "
        "vahemikku {low_v}–{high_v} V, mida EN 50160 nõuab 95 % igast nädalast.{wide}",
    },
    "voltage_band_wide": {
        "en": " No 10-minute mean may be outside {wide_v}–{high_v} V at all: keep this for a "
        "complaint to the grid operator (the Quality page makes the report).",
        "et": " Väljaspool vahemikku {wide_v}–{high_v} V ei tohi olla ühtki 10 minuti keskmist: "
        "hoia see alles kaebuse jaoks võrguettevõtjale (aruande teeb kvaliteedi leht).",
    },
    "voltage_band_cleared_title": {
        "en": "{subject} voltage back in the band",
        "et": "{subject} pinge on jälle lubatud vahemikus",
    },
    "voltage_band_cleared_body": {
        "en": "The 10-minute mean of phase {subject} is {mean_v} V again; the furthest out was "
        "{peak} V. It lasted {lasted}.",
        "et": "Faasi {subject} 10 minuti keskmine on jälle {mean_v} V; kõige kaugemal oli "
        "{peak} V. See kestis {lasted}.",
    },
    "phase_lost_fired_title": {"en": "Phase {subject} lost", "et": "Faas {subject} on kadunud"},
    "phase_lost_fired_body": {
        "en": "Phase {subject} shows {voltage_v} while the other phases have voltage, since "
        "{since}. Check the fuses; if they are whole, call the grid operator's fault line.",
        "et": "Faasil {subject} on {voltage_v}, teistel faasidel on pinge olemas, alates {since}. "
        "Kontrolli kaitsmeid; kui need on terved, helista võrguettevõtja rikketelefonile.",
    },
    "phase_lost_cleared_title": {"en": "Phase {subject} is back", "et": "Faas {subject} on tagasi"},
    "phase_lost_cleared_body": {
        "en": "Phase {subject} has {voltage_v} again. It was lost for {lasted}.",
        "et": "Faasil {subject} on jälle {voltage_v}. See oli kadunud {lasted}.",
    },
    "broken_neutral_fired_title": {
        "en": "Broken neutral suspected",
        "et": "Kahtlus: nulljuhe on katkenud",
    },
    "broken_neutral_fired_body": {
        "en": "{high_phases} at {high_v} V while {low_phases} is at {low_v} V, since {since}: the "
        "signature of a broken neutral conductor. It can destroy appliances: switch off "
        "sensitive loads and call the grid operator's fault line now.",
        "et": "{high_phases} pinge on {high_v} V, samal ajal {low_phases} pinge {low_v} V, alates "
        "{since}: see viitab katkenud nulljuhtmele. See võib seadmeid rikkuda: lülita tundlikud "
        "seadmed välja ja helista kohe võrguettevõtja rikketelefonile.",
    },
    "broken_neutral_cleared_title": {
        "en": "Phase voltages normal again",
        "et": "Faasipinged on jälle normaalsed",
    },
    "broken_neutral_cleared_body": {
        "en": "No phase is at or above {high_limit_v} V while another is at or below "
        "{low_limit_v} V any more. It lasted {lasted}; the highest was {peak} V.",
        "et": "Ükski faas pole enam {high_limit_v} V või üle selle samal ajal, kui teine on "
        "{low_limit_v} V või alla selle. See kestis {lasted}; kõrgeim oli {peak} V.",
    },
    "data_lost_fired_title": {"en": "No readings from the meter", "et": "Arvestist ei tule näite"},
    "data_lost_fired_body": {
        "en": "hanport has had no verified reading since {since} ({lasted}). Check the cable or "
        "dongle and the meter's HAN port.",
        "et": "hanport pole saanud ühtegi kontrollitud näitu alates {since} ({lasted}). Kontrolli "
        "kaablit või donglit ja arvesti HAN-porti.",
    },
    "data_lost_cleared_title": {"en": "Readings are back", "et": "Näidud tulevad jälle"},
    "data_lost_cleared_body": {
        "en": "Verified readings arrive again; none came for {lasted}.",
        "et": "Kontrollitud näidud tulevad jälle; {lasted} ei tulnud ühtegi.",
    },
    "ev_failsafe_fired_title": {
        "en": "EV charging in its fail-safe",
        "et": "Elektriauto laadimine on turvarežiimis",
    },
    "ev_failsafe_fired_body": {
        "en": "The control of the charger {subject} has been at its fail-safe current since "
        "{since}.{reason}",
        "et": "Laadija {subject} juhtimine on turvavoolul alates {since}.{reason}",
    },
    "ev_failsafe_cleared_title": {
        "en": "EV charging control is back",
        "et": "Elektriauto laadimise juhtimine töötab jälle",
    },
    "ev_failsafe_cleared_body": {
        "en": "The control of the charger {subject} left its fail-safe after {lasted}.",
        "et": "Laadija {subject} juhtimine väljus turvarežiimist {lasted} pärast.",
    },
    "meter_changed_replaced_title": {"en": "Meter replaced", "et": "Arvesti on vahetatud"},
    "meter_changed_replaced_body": {
        "en": "The meter's id changed from {before} to {after} at {at}. Check that this was "
        "expected (the grid operator replaced the meter).",
        "et": "Arvesti tunnus muutus {at}: {before} → {after}. Kontrolli, kas see oli oodatud "
        "(võrguettevõtja vahetas arvesti).",
    },
    "meter_changed_register_reset_title": {
        "en": "A meter register went down",
        "et": "Arvesti näit vähenes",
    },
    "meter_changed_register_reset_body": {
        "en": "The register {register} went from {before_wh} Wh to {after_wh} Wh at {at}: the "
        "meter was reset or replaced. Check the energy totals around that moment.",
        "et": "Register {register} langes {at} {before_wh} Wh pealt {after_wh} Wh peale: "
        "arvesti lähtestati või vahetati. Vaata selle hetke ümber energia kogusummad üle.",
    },
    "decoder_errors_fired_title": {
        "en": "Many damaged frames from the meter",
        "et": "Arvestilt tuleb palju vigaseid kaadreid",
    },
    "decoder_errors_fired_body": {
        "en": "{count} frames were rejected in the last hour (limit {threshold}): noise on the "
        "line, a loose cable, or a wrong key.",
        "et": "Viimase tunni jooksul lükati tagasi {count} kaadrit (piir {threshold}): müra "
        "liinil, lahtine kaabel või vale võti.",
    },
    "decoder_errors_cleared_title": {
        "en": "Frames from the meter are clean again",
        "et": "Arvesti kaadrid on jälle korras",
    },
    "decoder_errors_cleared_body": {
        "en": "Fewer than {threshold} frames an hour are rejected again; the worst was {peak}.",
        "et": "Tunnis lükatakse jälle tagasi alla {threshold} kaadri; halvim oli {peak}.",
    },
    "monthly_peak_occurred_title": {"en": "New peak for {month}", "et": "Kuu {month} uus tipp"},
    "monthly_peak_occurred_body": {
        "en": "The highest power this month so far: {power_w} W ({at}).",
        "et": "Selle kuu suurim võimsus seni: {power_w} W ({at}).",
    },
    "repeated_prefix": {"en": "Still: ", "et": "Endiselt: "},
    "no_voltage": {"en": "no voltage reading", "et": "pingenäitu pole"},
    "reason": {"en": " Reason: {reason}.", "et": " Põhjus: {reason}."},
    "summary_title": {
        "en": "{count} alert(s) during quiet hours",
        "et": "Vaikse aja jooksul {count} häire(t)",
    },
    "summary_intro": {
        "en": "While quiet hours lasted ({quiet}) these alerts were held back:",
        "et": "Vaikse aja jooksul ({quiet}) jäid need häired ootele:",
    },
    "summary_line": {"en": "• {title} ({start}–{end})", "et": "• {title} ({start}–{end})"},
    "summary_active": {"en": "still on", "et": "kestab"},
    "withheld": {
        "en": "{count} message(s) to this channel were not sent because of alerts.max_per_hour; "
        "the app's alert history has them all.",
        "et": "{count} teade(t) jäi sellesse kanalisse saatmata seade alerts.max_per_hour tõttu; "
        "rakenduse häirete ajaloos on kõik olemas.",
    },
    "footer": {"en": "hanport, {when}", "et": "hanport, {when}"},
    # settings
    "setting_needs": {
        "en": "The setting {where} needs {needs} as well.",
        "et": "Seade {where} vajab ka seadet {needs}.",
    },
    "setting_quiet": {
        "en": "The quiet hours from {where} must look like 22:00-07:00 (local time), not "
        "{value!r}.",
        "et": "Vaikne aeg seadest {where} peab olema kujul 22:00-07:00 (kohalik aeg), mitte "
        "{value!r}.",
    },
    "setting_url": {
        "en": "The address from {where} must start with https:// (or http://), not {value!r}.",
        "et": "Aadress seadest {where} peab algama https:// (või http://), mitte {value!r}.",
    },
    "setting_smtp": {
        "en": "The mail server from {where} must look like smtp://user:password@host:587 "
        "(STARTTLS) or smtps://user:password@host:465.",
        "et": "Meiliserver seadest {where} peab olema kujul smtp://kasutaja:parool@host:587 "
        "(STARTTLS) või smtps://kasutaja:parool@host:465.",
    },
    "setting_address": {
        "en": "{value!r} in alerts.email_from or alerts.email_to is not an e-mail address.",
        "et": "{value!r} seades alerts.email_from või alerts.email_to pole e-posti aadress.",
    },
    "setting_ntfy": {
        "en": "The ntfy address from {where} must name the topic, as https://ntfy.sh/my-topic.",
        "et": "ntfy aadress seadest {where} peab sisaldama teemat, nt https://ntfy.sh/minu-teema.",
    },
    "setting_telegram_token": {
        "en": "The bot token from {where} must look like 123456789:AA… as @BotFather gives it.",
        "et": "Boti võti seadest {where} peab olema kujul 123456789:AA…, nagu @BotFather selle "
        "annab.",
    },
    "setting_telegram_chat": {
        "en": "The chat id from {where} must be a number (or @channelname), not {value!r}.",
        "et": "Vestluse ID seadest {where} peab olema arv (või @kanalinimi), mitte {value!r}.",
    },
    # the channels' trouble, said once in the log (and shown in the app)
    "channel_failed": {
        "en": "Alerts to {channel} fail ({detail}); hanport keeps them and retries with growing "
        "pauses: check {setting}.",
        "et": "Häireid ei õnnestu saata kanalisse {channel} ({detail}); hanport hoiab need alles "
        "ja proovib üha pikemate vahedega uuesti: kontrolli seadet {setting}.",
    },
    "channel_recovered": {
        "en": "Alerts to {channel} work again; {count} waiting message(s) sent.",
        "et": "Häired jõuavad jälle kanalisse {channel}; {count} ootel teade(t) saadetud.",
    },
    "channel_dropped": {
        "en": "{count} alert message(s) to {channel} were dropped because too many were waiting; "
        "the alert history keeps them.",
        "et": "{count} häireteade(t) kanalisse {channel} jäeti ära, sest ootel oli liiga palju; "
        "häirete ajalugu hoiab need alles.",
    },
    "detail_status": {
        "en": "the server answered HTTP {status}",
        "et": "server vastas HTTP {status}",
    },
    "detail_refused": {"en": "{host} refuses connections", "et": "{host} ei võta ühendusi vastu"},
    "detail_timeout": {"en": "no answer from {host}", "et": "{host} ei vasta"},
    "detail_unknown_host": {"en": "the host {host} is not known", "et": "hosti {host} ei leitud"},
    "detail_tls": {
        "en": "the TLS certificate of {host} is not trusted ({reason})",
        "et": "hosti {host} TLS-sertifikaat pole usaldusväärne ({reason})",
    },
    "detail_login": {
        "en": "the SMTP server refused the user name or password",
        "et": "SMTP-server ei võtnud kasutajanime või parooli vastu",
    },
    "detail_no_starttls": {
        "en": "the SMTP server offers no STARTTLS, and hanport sends no mail unencrypted",
        "et": "SMTP-server ei paku STARTTLS-i ja hanport ei saada kirju krüptimata",
    },
    "detail_smtp": {"en": "the SMTP server said {reply}", "et": "SMTP-server vastas {reply}"},
    "detail_telegram": {"en": "Telegram said: {reply}", "et": "Telegram vastas: {reply}"},
    "detail_other": {"en": "{reply}", "et": "{reply}"},
}


class _Values(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "–"  # a figure a notice lacks shows as a dash, never as a crash


def text(key: str, language: str, **values: object) -> str:
    entry = TEXTS[key]
    return entry.get(language, entry["en"]).format_map(_Values(values))
