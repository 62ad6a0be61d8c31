"""The `[upstream]` section: the `hanport server` a gateway sends its readings to.

    [upstream]
    url = "mqtts://gw-17:secret@ingest.example.net:8883"  # HANPORT_UPSTREAM_URL (MQTT 3.1.1)
    site = "tallinn-17"          # HANPORT_UPSTREAM_SITE: this home's name on the server
    client_id = "hanport-up"     # HANPORT_UPSTREAM_CLIENT_ID (default hanport-<site>)
    ca_file = "ca.pem"           # HANPORT_UPSTREAM_CA_FILE: CA of the server (mqtts)
    cert_file = "client.pem"     # HANPORT_UPSTREAM_CERT_FILE, with key_file: a client certificate
    key_file = "client.key"      # HANPORT_UPSTREAM_KEY_FILE
    outbox_max = 2000000         # HANPORT_UPSTREAM_OUTBOX_MAX: readings kept while the server is
                                 #   away (23 days at one a second); then the oldest go first
    resend_s = 60                # HANPORT_UPSTREAM_RESEND_S: unconfirmed readings sent again

No url: nothing is sent upstream.
"""

from __future__ import annotations

from dataclasses import dataclass

from hanport.mqtt.settings import MqttSettings, mqtt_settings
from hanport.settings.section import Section
from hanport.settings.values import Raw, SettingError, text_value, whole
from hanport.upstream.wire import safe_name

__all__ = ["UPSTREAM", "UpstreamSettings", "upstream_settings"]

KEYS = ("url", "site", "client_id", "ca_file", "cert_file", "key_file", "outbox_max", "resend_s")


@dataclass(frozen=True)
class UpstreamSettings:
    broker: MqttSettings
    site: str
    outbox_max: int = 2_000_000
    resend_s: int = 60

    def __repr__(self) -> str:
        return f"UpstreamSettings({self.broker.safe_url}, site={self.site})"


def upstream_settings(raw: Raw) -> UpstreamSettings | None:
    names: tuple[str, ...] = ("url", "ca_file", "cert_file", "key_file")
    broker_raw: Raw = {key: raw[key] for key in names if key in raw}
    site_item = raw.get("site")
    site = text_value(site_item, "upstream.what_site")
    if "client_id" in raw:
        broker_raw["client_id"] = raw["client_id"]
    elif site is not None:
        broker_raw["client_id"] = (f"hanport-{site}", raw["url"][1] if "url" in raw else "")
    broker = mqtt_settings(broker_raw)
    if broker is None:
        return None
    if site is None or not safe_name(site):
        where = site_item[1] if site_item else "upstream.site"
        raise SettingError("upstream.setting_site", value=site or "", where=where)
    return UpstreamSettings(
        broker=broker,
        site=site,
        outbox_max=whole(
            raw.get("outbox_max"), 2_000_000, 100, 100_000_000, "upstream.what_outbox"
        ),
        resend_s=whole(raw.get("resend_s"), 60, 1, 86_400, "upstream.what_resend"),
    )


UPSTREAM: Section[UpstreamSettings | None] = Section(
    "upstream", KEYS, lambda raw, before: upstream_settings(raw)
)
