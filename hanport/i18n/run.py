"""The sentences of sources and the reader (`hanport run`'s connection lines), EN and ET.

Looked up through `hanport.i18n.text`; kept apart only so that no module grows too long.
"""

from __future__ import annotations

__all__ = ["RUN_TEXTS"]

RUN_TEXTS: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- source URLs
    "source_unknown": {
        "en": "Unknown source {url!r}; use /dev/ttyUSB0, serial://…, tcp://host:port, "
        "file://capture.bin or sim://.",
        "et": "Tundmatu allikas {url!r}; kasuta /dev/ttyUSB0, serial://…, tcp://host:port, "
        "file://salvestis.bin või sim://.",
    },
    "source_is_file": {
        "en": "{path} is a file, not a serial port; to replay it use {url}",
        "et": "{path} on fail, mitte jadaport; selle taasesitamiseks kasuta {url}",
    },
    "source_tcp": {
        "en": "{url!r} needs a host and a port, e.g. tcp://192.0.2.10:8888.",
        "et": "{url!r} vajab hosti ja porti, nt tcp://192.0.2.10:8888.",
    },
    "source_tcp_port": {
        "en": "The port in {url!r} must be a number from 1 to 65535, e.g. tcp://192.0.2.10:8888.",
        "et": "Aadressi {url!r} port peab olema arv 1 kuni 65535, nt tcp://192.0.2.10:8888.",
    },
    "source_parity": {
        "en": "Parity {parity!r} is not N, E or O.",
        "et": "Paarsus {parity!r} pole N, E ega O.",
    },
    "source_format": {
        "en": "format={format!r} must be p1 or hdlc.",
        "et": "format={format!r} peab olema p1 või hdlc.",
    },
    "source_speed": {
        "en": "speed={value!r} must be a positive number or 'max'.",
        "et": "speed={value!r} peab olema positiivne arv või 'max'.",
    },
    "source_whole": {
        "en": "{name}={value!r} must be a whole number.",
        "et": "{name}={value!r} peab olema täisarv.",
    },
    "source_start": {
        "en": "{name}{value!r} must be a date and time such as 2026-03-28T00:00 (Tallinn time) "
        "or 2026-03-28T00:00+02:00.",
        "et": "{name}{value!r} peab olema kuupäev ja kellaaeg, nt 2026-03-28T00:00 (Tallinna "
        "aeg) või 2026-03-28T00:00+02:00.",
    },
    "source_capture": {
        "en": "Cannot read the capture {path}: {why}.",
        "et": "Salvestist {path} ei saa lugeda: {why}.",
    },
    # ---------------------------------------------------------------- opening a serial port
    "serial_missing": {
        "en": "The serial port {port} does not exist; check that the cable is plugged in "
        "(ls /dev/serial/by-id lists the cables that are).",
        "et": "Jadaporti {port} pole; kontrolli, kas kaabel on ühendatud (ls /dev/serial/by-id "
        "näitab ühendatud kaableid).",
    },
    "serial_denied": {
        "en": "hanport may not open the serial port {port} (permission denied); add the user to "
        "the group dialout (sudo usermod -aG dialout $USER) and log in again.",
        "et": "hanport ei tohi jadaporti {port} avada (juurdepääs keelatud); lisa kasutaja "
        "gruppi dialout (sudo usermod -aG dialout $USER) ja logi uuesti sisse.",
    },
    "serial_busy": {
        "en": "The serial port {port} is in use by another program; stop that program first.",
        "et": "Jadaport {port} on teise programmi kasutuses; peata see programm enne.",
    },
    "serial_not_a_port": {
        "en": "{port} is not a serial port; give the cable's device, e.g. /dev/ttyUSB0.",
        "et": "{port} pole jadaport; anna kaabli seade, nt /dev/ttyUSB0.",
    },
    "serial_folder": {
        "en": "{port} is a folder, not a serial port; give the cable's device, e.g. "
        "/dev/serial/by-id/usb-….",
        "et": "{port} on kaust, mitte jadaport; anna kaabli seade, nt /dev/serial/by-id/usb-….",
    },
    "serial_failed": {
        "en": "Cannot open the serial port {port}: {why}; check that the cable is plugged in and "
        "that you may use the port (group dialout).",
        "et": "Jadaporti {port} ei saa avada: {why}; kontrolli, kas kaabel on ühendatud ja kas "
        "sul on pordi kasutamise õigus (grupp dialout).",
    },
    # ---------------------------------------------------------------- connecting over TCP
    "tcp_refused": {
        "en": "Cannot connect to {host}:{port}: nothing accepts connections there; check the "
        "dongle's address and port, and that it is on.",
        "et": "Ühendus {host}:{port} ebaõnnestus: seal ei võta keegi ühendusi vastu; kontrolli "
        "seadme aadressi ja porti ning et see on sisse lülitatud.",
    },
    "tcp_timeout": {
        "en": "Cannot connect to {host}:{port}: no answer in {seconds} s; check the dongle's "
        "address, that it is on and in the same network.",
        "et": "Ühendus {host}:{port} ebaõnnestus: {seconds} s jooksul vastust ei tulnud; "
        "kontrolli seadme aadressi, et see on sisse lülitatud ja samas võrgus.",
    },
    "tcp_unknown_host": {
        "en": "Cannot connect to {host}:{port}: the host name {host} cannot be found; check it, "
        "or use the dongle's IP address.",
        "et": "Ühendus {host}:{port} ebaõnnestus: hostinime {host} ei leitud; kontrolli seda või "
        "kasuta seadme IP-aadressi.",
    },
    "tcp_unreachable": {
        "en": "Cannot connect to {host}:{port}: that network cannot be reached from here; check "
        "the address and the network.",
        "et": "Ühendus {host}:{port} ebaõnnestus: sellesse võrku siit ei pääse; kontrolli "
        "aadressi ja võrku.",
    },
    "tcp_failed": {
        "en": "Cannot connect to {host}:{port}: {why}; check the dongle's address and that it "
        "is on.",
        "et": "Ühendus {host}:{port} ebaõnnestus: {why}; kontrolli seadme aadressi ja et see on "
        "sisse lülitatud.",
    },
    # ---------------------------------------------------------------- finding line settings
    "detect_trying": {
        "en": "Looking for the line settings of {port}: no verified frame at {tried} in "
        "{seconds} s; trying {setting}.",
        "et": "Otsin pordi {port} liini seadeid: seadetel {tried} ei saabunud {seconds} s jooksul "
        "ühtki kontrollitud kaadrit; proovin {setting}.",
    },
    "detect_found": {
        "en": "Found the line settings of {port}: {setting}.",
        "et": "Pordi {port} liini seaded on leitud: {setting}.",
    },
    "detect_none": {
        "en": "No verified frame arrived on {port} at {tried}; check the cable and whether the "
        "signal needs inverting (hanport doctor tells more).",
        "et": "Pordilt {port} ei saabunud ühtki kontrollitud kaadrit seadetel {tried}; kontrolli "
        "kaablit ja kas signaal vajab inverteerimist (hanport doctor ütleb täpsemalt).",
    },
    # ---------------------------------------------------------------- the reader
    "reader_connected": {
        "en": "Connected: {source}.",
        "et": "Ühendatud: {source}.",
    },
    "reader_ended": {
        "en": "The source {source} has ended ({readings} readings).",
        "et": "Allikas {source} on lõppenud ({readings} näitu).",
    },
    "reader_ended_one": {
        "en": "The source {source} has ended ({readings} reading).",
        "et": "Allikas {source} on lõppenud ({readings} näit).",
    },
    "reader_closed": {
        "en": "The source {source} closed the connection.",
        "et": "Allikas {source} sulges ühenduse.",
    },
    "reader_failed": {
        "en": "Reading {source} failed: {why}.",
        "et": "Allika {source} lugemine ebaõnnestus: {why}.",
    },
    "reader_stale_silent": {
        "en": "No verified reading from {source} for {seconds} s: nothing arrived; check the "
        "cable and that the meter's HAN port is activated.",
        "et": "Allikast {source} pole {seconds} s jooksul ühtki kontrollitud näitu: midagi ei "
        "saabunud; kontrolli kaablit ja et arvesti HAN-port on aktiveeritud.",
    },
    "reader_stale_noise": {
        "en": "No verified reading from {source} for {seconds} s: {bytes} bytes arrived but held "
        "no frame; check the line settings (hanport doctor tells more).",
        "et": "Allikast {source} pole {seconds} s jooksul ühtki kontrollitud näitu: saabus "
        "{bytes} baiti, kuid neis polnud ühtki kaadrit; kontrolli liini seadeid (hanport doctor "
        "ütleb täpsemalt).",
    },
    "reader_stale_rejected": {
        "en": "No verified reading from {source} for {seconds} s: {count} frames rejected since "
        "the last reading ({reason})",
        "et": "Allikast {source} pole {seconds} s jooksul ühtki kontrollitud näitu: viimasest "
        "näidust alates on kõrvale jäetud {count} kaadrit ({reason})",
    },
    "reader_stale_rejected_one": {
        "en": "No verified reading from {source} for {seconds} s: 1 frame rejected since the "
        "last reading ({reason})",
        "et": "Allikast {source} pole {seconds} s jooksul ühtki kontrollitud näitu: viimasest "
        "näidust alates on kõrvale jäetud 1 kaader ({reason})",
    },
    "reader_retry": {
        "en": "{problem}; retrying in {seconds} s.",
        "et": "{problem}; proovin uuesti {seconds} s pärast.",
    },
    "reader_retry_every": {
        "en": "{problem}; retrying every {seconds} s.",
        "et": "{problem}; proovin uuesti iga {seconds} s järel.",
    },
    "reader_rejected": {
        "en": "Frame rejected: {reason}",
        "et": "Kaader jäeti kõrvale: {reason}",
    },
    "reader_unauthenticated": {
        "en": "The meter {title} encrypts its frames but does not authenticate them; a damaged "
        "frame could pass unnoticed.",
        "et": "Arvesti {title} krüpteerib oma kaadrid, kuid ei autendi neid; kahjustatud kaader "
        "võib märkamatult läbi minna.",
    },
    "reader_energy_scale": {
        "en": "The meter {meter} counts energy in steps of {scale} Wh (its list carries no "
        "scaler; meter.energy_scale sets it).",
        "et": "Arvesti {meter} loeb energiat {scale} Wh sammudega (selle loendis pole skaalat; "
        "seade meter.energy_scale määrab selle).",
    },
    "reader_energy_scale_no_id": {
        "en": "The meter on {source} counts energy in steps of {scale} Wh (its list carries no "
        "scaler; meter.energy_scale sets it).",
        "et": "Allika {source} arvesti loeb energiat {scale} Wh sammudega (selle loendis pole "
        "skaalat; seade meter.energy_scale määrab selle).",
    },
    "reader_unverified": {
        "en": "The readings from {source} carry no checksum ({format}): a value damaged on the "
        "line cannot be detected, so they are kept marked unverified.",
        "et": "Allika {source} näitudel pole kontrollsummat ({format}): liinil kahjustunud "
        "väärtust ei saa tuvastada, seega hoitakse neid kontrollimata näitudena.",
    },
    # ---------------------------------------------------------------- the sinks of hanport run
    "sink_lagging": {
        "en": "The {sink} sink is not keeping up; the oldest readings waiting for it are dropped "
        "(for it only) until it catches up.",
        "et": "Väljund {sink} ei jõua järele; sellele ootel vanimad näidud jäetakse (ainult "
        "selle jaoks) vahele, kuni see järele jõuab.",
    },
    "sink_caught_up": {
        "en": "The {sink} sink has caught up ({dropped} readings dropped).",
        "et": "Väljund {sink} on järele jõudnud ({dropped} näitu jäi vahele).",
    },
    "sink_failed": {
        "en": "The {sink} sink stopped with an error: {error}",
        "et": "Väljund {sink} peatus veaga: {error}",
    },
}
