"""The sentences of MQTT publishing and `hanport mqtt test`, EN and ET.

Looked up through `hanport.i18n.text`; kept apart only so that no module grows too long. A
sentence that names the broker's setting says `{setting}`: `mqtt.url`, or the flag it came from.
"""

from __future__ import annotations

__all__ = ["MQTT_TEXTS"]

MQTT_TEXTS: dict[str, dict[str, str]] = {
    "mqtt_connected": {
        "en": "Connected to the MQTT broker {url}.",
        "et": "Ühendus MQTT-maakleriga {url} on olemas.",
    },
    "mqtt_not_configured": {
        "en": "No MQTT broker is configured; set mqtt.url in hanport.toml or pass --url "
        "mqtt://user:password@host:1883.",
        "et": "MQTT-maaklerit pole seadistatud; määra hanport.toml failis mqtt.url või anna "
        "--url mqtt://kasutaja:parool@host:1883.",
    },
    "mqtt_would_publish": {
        "en": "hanport would publish this (from one simulated reading; [retained] marks "
        "retained messages):",
        "et": "hanport avaldaks selle (ühe simuleeritud näidu põhjal; [retained] tähistab "
        "säilitatavaid sõnumeid):",
    },
    "mqtt_auth": {
        "en": "The MQTT broker {url} refused the user name or password ({setting}); check them "
        "in mqtt://user:password@host:port and in the broker's list of users.",
        "et": "MQTT-maakler {url} ei võtnud kasutajanime või parooli vastu ({setting}); kontrolli "
        "neid aadressis mqtt://kasutaja:parool@host:port ja maakleri kasutajate loendis.",
    },
    "mqtt_auth_missing": {
        "en": "The MQTT broker {url} requires a user name and password; put them in {setting} "
        "as mqtt://user:password@host:port.",
        "et": "MQTT-maakler {url} nõuab kasutajanime ja parooli; lisa need seadesse {setting} "
        "kujul mqtt://kasutaja:parool@host:port.",
    },
    "mqtt_client_id": {
        "en": "The MQTT broker {url} refused the client id {client_id!r} (mqtt.client_id); use "
        "a short id of letters and digits.",
        "et": "MQTT-maakler {url} ei nõustunud kliendi ID-ga {client_id!r} (mqtt.client_id); "
        "kasuta lühikest tähtedest ja numbritest ID-d.",
    },
    "mqtt_broker_refused": {
        "en": "The MQTT broker {url} refused the connection: {detail} ({setting}).",
        "et": "MQTT-maakler {url} keeldus ühendusest: {detail} ({setting}).",
    },
    "mqtt_tls_verify_ca": {
        "en": "The MQTT broker's TLS certificate could not be verified with the CA in "
        "{ca_file} ({detail}); set mqtt.ca_file to the CA that signed the broker's certificate "
        "and use the host name it names in {setting}.",
        "et": "MQTT-maakleri TLS-sertifikaati ei õnnestunud failis {ca_file} oleva CA-ga "
        "kontrollida ({detail}); määra mqtt.ca_file sertifikaadi allkirjastanud CA-le ja kasuta "
        "seadesse {setting} sertifikaadis nimetatud hostinime.",
    },
    "mqtt_tls_verify_system": {
        "en": "The MQTT broker's TLS certificate could not be verified with the system's CAs "
        "({detail}); set mqtt.ca_file to the CA that signed the broker's certificate.",
        "et": "MQTT-maakleri TLS-sertifikaati ei õnnestunud süsteemi CA-dega kontrollida "
        "({detail}); määra mqtt.ca_file sertifikaadi allkirjastanud CA-le.",
    },
    "mqtt_tls": {
        "en": "The TLS connection to the MQTT broker {url} failed ({detail}); check that "
        "{setting} uses mqtts:// with the broker's TLS port (usually 8883), and mqtt.cert_file "
        "and mqtt.key_file if the broker wants a client certificate.",
        "et": "TLS-ühendus MQTT-maakleriga {url} ebaõnnestus ({detail}); kontrolli, et {setting} "
        "kasutab mqtts:// ja maakleri TLS-porti (tavaliselt 8883), ning mqtt.cert_file ja "
        "mqtt.key_file, kui maakler nõuab kliendisertifikaati.",
    },
    "mqtt_tls_files": {
        "en": "The MQTT TLS files cannot be loaded ({detail}); check mqtt.ca_file, "
        "mqtt.cert_file and mqtt.key_file.",
        "et": "MQTT TLS-faile ei saa laadida ({detail}); kontrolli seadeid mqtt.ca_file, "
        "mqtt.cert_file ja mqtt.key_file.",
    },
    "mqtt_refused": {
        "en": "Nothing accepts connections at {url} ({setting}); is the MQTT broker running, and "
        "is the port right?",
        "et": "Aadressil {url} ei võta keegi ühendusi vastu ({setting}); kas MQTT-maakler töötab "
        "ja kas port on õige?",
    },
    "mqtt_unknown_host": {
        "en": "The MQTT broker's host name {host} cannot be found ({setting}); check the name or "
        "use its IP address.",
        "et": "MQTT-maakleri hostinime {host} ei leitud ({setting}); kontrolli nime või kasuta "
        "IP-aadressi.",
    },
    "mqtt_no_answer": {
        "en": "The MQTT broker {url} did not answer ({setting}); check the port, and use "
        "mqtts:// if the broker expects TLS.",
        "et": "MQTT-maakler {url} ei vastanud ({setting}); kontrolli porti ja kasuta mqtts://, "
        "kui maakler ootab TLS-i.",
    },
    "mqtt_unreachable": {
        "en": "The MQTT broker {url} cannot be reached ({detail}); check {setting} and the "
        "network.",
        "et": "MQTT-maaklerini {url} ei jõua ({detail}); kontrolli seadet {setting} ja võrku.",
    },
    "mqtt_lost": {
        "en": "The connection to the MQTT broker {url} was lost; hanport reconnects as soon as "
        "it answers again.",
        "et": "Ühendus MQTT-maakleriga {url} katkes; hanport ühendub uuesti, kui see jälle vastab.",
    },
}
