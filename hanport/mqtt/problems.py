"""Broker trouble as one plain sentence that names the setting to fix, in English or Estonian.

`explain()` turns whatever the MQTT client raised (a refused CONNACK, a TLS or socket error, a
lost connection) into an `MqttProblem` (a code of the catalogue's `[mqtt]` table and its
parameters); `ProblemLog` logs each distinct problem once per outage.
"""

from __future__ import annotations

import logging
import socket
import ssl
from dataclasses import dataclass, field

from aiomqtt import MqttCodeError
from aiomqtt.exceptions import MqttConnectError

from hanport.errors import HanError
from hanport.i18n import text
from hanport.i18n.catalogue import Message
from hanport.mqtt.settings import MqttSettings

__all__ = ["MqttProblem", "ProblemLog", "SetupProblem", "explain"]

log = logging.getLogger("hanport.mqtt")

_AUTH = {4, 5, 134, 135}
_CLIENT_ID = {2, 133}


class MqttProblem(HanError):
    """What went wrong with the broker; `setting` names where its URL came from."""

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The same problem again has the same key (it is logged once per outage)."""
        return self.code, tuple(sorted((name, str(value)) for name, value in self.params.items()))


class SetupProblem(MqttProblem):
    """The client could not even be set up (its TLS files)."""


def explain(
    error: BaseException, settings: MqttSettings, connected: bool = False, setting: str = "mqtt.url"
) -> MqttProblem:
    """The sentence for `error`; `connected`: the session had been established and was lost;
    `setting`: where the broker's URL was given (`mqtt.url`, or the flag `--url`)."""
    if isinstance(error, MqttProblem):
        return error
    url = settings.safe_url
    if connected:
        return MqttProblem("mqtt.lost", url=url)
    if isinstance(error, MqttConnectError):
        return _refused(error, settings, setting)
    cause = _cause(error)
    if isinstance(cause, ssl.SSLCertVerificationError):
        detail = cause.verify_message or cause.reason or str(cause)
        if settings.ca_file:
            return MqttProblem(
                "mqtt.tls_verify_ca", detail=detail, ca_file=settings.ca_file, setting=setting
            )
        return MqttProblem("mqtt.tls_verify_system", detail=detail)
    if settings.tls and isinstance(cause, ConnectionResetError | BrokenPipeError | ssl.SSLEOFError):
        closed = Message("mqtt.detail_closed")
        return MqttProblem("mqtt.tls", url=url, detail=closed, setting=setting)
    if isinstance(cause, ssl.SSLError):
        return MqttProblem("mqtt.tls", url=url, detail=cause.reason or str(cause), setting=setting)
    if isinstance(cause, ConnectionRefusedError):
        return MqttProblem("mqtt.refused", url=url, setting=setting)
    if isinstance(cause, socket.gaierror):
        return MqttProblem("mqtt.unknown_host", host=settings.host, setting=setting)
    if isinstance(cause, ConnectionResetError | BrokenPipeError) or "timed out" in str(error):
        return MqttProblem("mqtt.no_answer", url=url, setting=setting)
    detail = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
    return MqttProblem(
        "mqtt.unreachable", url=url, detail=detail or type(cause).__name__, setting=setting
    )


def _refused(error: MqttCodeError, settings: MqttSettings, setting: str) -> MqttProblem:
    code = getattr(error.rc, "value", error.rc)
    url = settings.safe_url
    if code in _AUTH:
        return MqttProblem(
            "mqtt.auth" if settings.username else "mqtt.auth_missing", url=url, setting=setting
        )
    if code in _CLIENT_ID:
        return MqttProblem("mqtt.client_id", url=url, client_id=settings.client_id)
    return MqttProblem("mqtt.broker_refused", url=url, detail=str(error.rc), setting=setting)


def _cause(error: BaseException) -> BaseException:
    """aiomqtt raises `MqttError(str(exc)) from None`: the socket or TLS error is the context."""
    seen = error
    while (inner := seen.__cause__ or seen.__context__) is not None:
        seen = inner
    return seen


@dataclass
class ProblemLog:
    """Logs each distinct problem once until the broker accepts hanport again."""

    reported: set[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=set)
    ever_connected: bool = False

    def report(self, problem: MqttProblem) -> None:
        if problem.key not in self.reported:
            self.reported.add(problem.key)
            log.error("%s", problem)

    def connected(self, settings: MqttSettings) -> None:
        if self.reported or not self.ever_connected:
            log.info("%s", text("mqtt.connected", "en", url=settings.safe_url))
        self.reported.clear()
        self.ever_connected = True
