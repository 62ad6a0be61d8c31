"""The `[web]` section: where the app listens, TLS, and the limits the dashboard draws.

[web]
enabled = true                   # HANPORT_WEB_ENABLED, hanport run --no-web
listen = "127.0.0.1"             # HANPORT_WEB_LISTEN, --listen (0.0.0.0: your network)
port = 8080                      # HANPORT_WEB_PORT, --port
tls_cert = "/etc/hanport/cert.pem"   # HANPORT_WEB_TLS_CERT: serve HTTPS with this certificate
tls_key = "/etc/hanport/key.pem"     # HANPORT_WEB_TLS_KEY
session_days = 14                # HANPORT_WEB_SESSION_DAYS: a login lasts this long unused
hosts = ["hanport.local"]        # HANPORT_WEB_HOSTS="a,b": more names the app answers to
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from hanport.settings.section import Section
from hanport.settings.values import ConfigError, Raw, boolean, existing_file, whole

__all__ = ["WEB", "WEB_KEYS", "WebSettings", "is_loopback", "web_settings"]

WEB_KEYS = (
    "enabled",
    "listen",
    "port",
    "tls_cert",
    "tls_key",
    "fuse_a",
    "session_days",
    "hosts",
)
_LABEL = r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?"
_HOST_NAME = re.compile(rf"\.?{_LABEL}(\.{_LABEL})*")


@dataclass(frozen=True)
class WebSettings:
    enabled: bool = True
    listen: str = "127.0.0.1"
    port: int = 8080
    tls_cert: str | None = None
    tls_key: str | None = None
    session_days: int = 14
    hosts: tuple[str, ...] = ()
    """Host names the app answers to besides this machine's own and any IP address (a name
    with a leading dot: it and every name under it), for a reverse proxy or a local DNS name."""

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None

    @property
    def url(self) -> str:
        host = f"[{self.listen}]" if ":" in self.listen else self.listen
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"


def web_settings(raw: Raw) -> WebSettings:
    cert = existing_file(raw.get("tls_cert"), "settings.what.tls_cert")
    key = existing_file(raw.get("tls_key"), "settings.what.tls_key")
    if (cert is None) != (key is None):
        raise ConfigError("web.tls_pair")
    return WebSettings(
        enabled=boolean(raw.get("enabled"), True),
        listen=_address(raw.get("listen")),
        port=whole(raw.get("port"), 8080, 0, 65535, "settings.what.web_port"),
        tls_cert=cert,
        tls_key=key,
        session_days=whole(raw.get("session_days"), 14, 1, 365, "settings.what.session_days"),
        hosts=_hosts(raw.get("hosts")),
    )


def _hosts(item: tuple[object, str] | None) -> tuple[str, ...]:
    if item is None:
        return ()
    value, where = item
    names = value if isinstance(value, list) else str(value).replace(",", " ").split()
    found: list[str] = []
    for name in names:
        text = str(name).strip().lower().rstrip(".")
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        if not _is_address(text) and not _HOST_NAME.fullmatch(text):
            raise ConfigError("web.host_name", name=name, where=where)
        found.append(text)
    return tuple(found)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _address(item: tuple[object, str] | None) -> str:
    if item is None:
        return WebSettings.listen
    value, where = str(item[0]).strip(), item[1]
    if value in ("localhost", "0.0.0.0", "::"):
        return "127.0.0.1" if value == "localhost" else value
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ConfigError("web.listen_address", value=value, where=where) from None
    return value


def is_loopback(address: str) -> bool:
    return ipaddress.ip_address(address).is_loopback


WEB: Section[WebSettings] = Section("web", WEB_KEYS, lambda raw, before: web_settings(raw))
"""`fuse_a` stays among the keys: it is read as [site] fuse_a, with a note (it moved there)."""
