"""The sentences of the HTTP and MQTT telegram sources (HomeWizard, Tasmota, ESPHome), EN and ET.

Looked up through `hanport.i18n.text`; kept apart only so that no module grows too long.
"""

from __future__ import annotations

__all__ = ["SOURCE_TEXTS"]

SOURCE_TEXTS: dict[str, dict[str, str]] = {
    "homewizard_unreachable": {
        "en": "Cannot reach the HomeWizard P1 meter at {host}:{port} ({detail}); check its "
        "address in the HomeWizard Energy app and that it is on your network.",
        "et": "HomeWizardi P1-arvestit aadressil {host}:{port} ei saa kätte ({detail}); "
        "kontrolli selle aadressi HomeWizard Energy rakenduses ja et see on sinu võrgus.",
    },
    "homewizard_refused": {
        "en": "The HomeWizard P1 meter at {host} refuses its local API (HTTP {status}); switch "
        "on 'Local API' for it in the HomeWizard Energy app.",
        "et": "HomeWizardi P1-arvesti aadressil {host} keeldub kohalikust API-st (HTTP "
        "{status}); lülita HomeWizard Energy rakenduses sisse 'Local API'.",
    },
    "homewizard_no_telegram": {
        "en": "The device at {host} has no /api/v1/telegram (HTTP 404): it is not a HomeWizard "
        "P1 meter, or its firmware is too old; update it in the HomeWizard Energy app.",
        "et": "Seadmel aadressil {host} pole /api/v1/telegram (HTTP 404): see pole HomeWizardi "
        "P1-arvesti või selle püsivara on liiga vana; uuenda seda HomeWizard Energy rakenduses.",
    },
    "homewizard_status": {
        "en": "The HomeWizard P1 meter at {host} answered HTTP {status}; restart it.",
        "et": "HomeWizardi P1-arvesti aadressil {host} vastas HTTP {status}; taaskäivita see.",
    },
    "telegram_broker_failed": {
        "en": "The MQTT broker {host}:{port} for the {kind} telegrams failed ({detail}); check "
        "its address, user and password.",
        "et": "MQTT-maakler {host}:{port} ({kind} telegrammide jaoks) ei toiminud ({detail}); "
        "kontrolli selle aadressi, kasutajanime ja parooli.",
    },
    "telegram_url_port": {
        "en": "The port in {url!r} is not a number.",
        "et": "Aadressi {url!r} port pole arv.",
    },
    "telegram_url_homewizard": {
        "en": "{url!r} needs the P1 meter's address, e.g. homewizard://192.0.2.20.",
        "et": "{url!r} vajab P1-arvesti aadressi, nt homewizard://192.0.2.20.",
    },
    "telegram_url_topic": {
        "en": "{url!r} needs the broker and the topic, e.g. {example}.",
        "et": "{url!r} vajab maaklerit ja teemat, nt {example}.",
    },
    "telegram_url_wildcard": {
        "en": "The topic {topic!r} must name one device's topic, without # or +.",
        "et": "Teema {topic!r} peab nimetama ühe seadme teemat, ilma märkideta # ja +.",
    },
    "telegram_url_unknown": {
        "en": "Unknown source {url!r}; telegram sources are {schemes}.",
        "et": "Tundmatu allikas {url!r}; telegrammide allikad on {schemes}.",
    },
    "telegram_url_interval": {
        "en": "interval={value!r} must be seconds between fetches, 0.5 to 3600.",
        "et": "interval={value!r} peab olema sekundeid päringute vahel, 0,5 kuni 3600.",
    },
    "telegram_url_format": {
        "en": "format={value!r} must be auto, text or hex (Tasmota only).",
        "et": "format={value!r} peab olema auto, text või hex (ainult Tasmota).",
    },
}
