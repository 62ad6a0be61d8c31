"""The `[mqtt]` section: the broker and what is published there.

    [mqtt]
    url = "mqtt://user:password@192.168.1.2:1883"   # HANPORT_MQTT_URL; mqtts://…:8883 for TLS
    client_id = "hanport"            # HANPORT_MQTT_CLIENT_ID
    prefix = "hanport"               # HANPORT_MQTT_PREFIX: topics are <prefix>/<meter_id>/…
    qos = 0                          # HANPORT_MQTT_QOS: 0, 1 or 2
    retain = false                   # HANPORT_MQTT_RETAIN: retain state messages
    per_field_topics = false         # HANPORT_MQTT_PER_FIELD_TOPICS: also <prefix>/<id>/<field>
    discovery = true                 # HANPORT_MQTT_DISCOVERY: Home Assistant device discovery
    discovery_prefix = "homeassistant"   # HANPORT_MQTT_DISCOVERY_PREFIX
    ca_file = "/etc/ssl/certs/my-ca.pem" # HANPORT_MQTT_CA_FILE: CA of the broker (mqtts)
    cert_file = "client.pem"         # HANPORT_MQTT_CERT_FILE: client certificate (mqtts)
    key_file = "client.key"          # HANPORT_MQTT_KEY_FILE
    expire_after_s = 30              # HANPORT_MQTT_EXPIRE_AFTER_S: Home Assistant shows a value
                                     #   as unavailable this long after the last reading; 0: never
    language = "en"                  # HANPORT_MQTT_LANGUAGE: en or et, for Home Assistant names

No url: MQTT is off.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from hanport.settings.section import Section
from hanport.settings.values import (
    Raw,
    SettingError,
    boolean,
    described,
    existing_file,
    text_value,
    whole,
)

__all__ = ["MQTT", "MQTT_KEYS", "MqttSettings", "mqtt_settings"]

MQTT_KEYS = (
    "url",
    "client_id",
    "prefix",
    "qos",
    "retain",
    "per_field_topics",
    "discovery",
    "discovery_prefix",
    "ca_file",
    "cert_file",
    "key_file",
    "expire_after_s",
    "language",
)


@dataclass(frozen=True)
class MqttSettings:
    host: str
    port: int = 1883
    tls: bool = False
    username: str | None = None
    password: str | None = None
    client_id: str = "hanport"
    prefix: str = "hanport"
    qos: int = 0
    retain: bool = False
    per_field_topics: bool = False
    discovery: bool = True
    discovery_prefix: str = "homeassistant"
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    expire_after_s: int = 30
    language: str = "en"

    def __repr__(self) -> str:  # never print the password
        return f"MqttSettings({self.safe_url})"

    @property
    def safe_url(self) -> str:
        user = f"{self.username}:***@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{self.host}:{self.port}"


def mqtt_settings(raw: Raw) -> MqttSettings | None:
    item = raw.get("url")
    value = text_value(item, "settings.what.mqtt_url")
    if item is None or value is None:
        return None
    where = item[1]
    parts = urlsplit(value)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise SettingError("mqtt.setting_url", value=value, where=where)
    try:
        port = parts.port
    except ValueError:
        raise SettingError("mqtt.setting_port", where=where) from None
    tls = parts.scheme == "mqtts"
    cert = existing_file(raw.get("cert_file"), "settings.what.mqtt_cert")
    key = existing_file(raw.get("key_file"), "settings.what.mqtt_key")
    if (cert is None) != (key is None):
        raise SettingError("mqtt.setting_pair")
    return MqttSettings(
        host=parts.hostname,
        port=port or (8883 if tls else 1883),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        client_id=_name(raw.get("client_id"), "hanport", "settings.what.mqtt_client_id"),
        prefix=_topic(raw.get("prefix"), "hanport"),
        qos=whole(raw.get("qos"), 0, 0, 2, "settings.what.mqtt_qos"),
        retain=boolean(raw.get("retain"), False),
        per_field_topics=boolean(raw.get("per_field_topics"), False),
        discovery=boolean(raw.get("discovery"), True),
        discovery_prefix=_topic(raw.get("discovery_prefix"), "homeassistant"),
        ca_file=existing_file(raw.get("ca_file"), "settings.what.mqtt_ca"),
        cert_file=cert,
        key_file=key,
        expire_after_s=whole(raw.get("expire_after_s"), 30, 0, 86_400, "settings.what.mqtt_expire"),
        language=_language(raw.get("language")),
    )


def _name(item: tuple[object, str] | None, default: str, what: str) -> str:
    if item is None:
        return default
    value = (text_value(item, what) or "").strip()
    if not value or len(value) > 128:
        raise SettingError("mqtt.setting_name", what=described(what), where=item[1])
    return value


def _topic(item: tuple[object, str] | None, default: str) -> str:
    if item is None:
        return default
    value = (text_value(item, "settings.what.mqtt_prefix") or "").strip().strip("/")
    if not value or any(c in value for c in "#+\0"):
        raise SettingError("mqtt.setting_topic", value=item[0], where=item[1])
    return value


def _language(item: tuple[object, str] | None) -> str:
    if item is None:
        return "en"
    value = str(item[0]).strip().lower()
    if not isinstance(item[0], str) or value not in ("en", "et"):
        raise SettingError("mqtt.setting_language", value=item[0], where=item[1])
    return value


MQTT: Section[MqttSettings | None] = Section(
    "mqtt", MQTT_KEYS, lambda raw, before: mqtt_settings(raw)
)
