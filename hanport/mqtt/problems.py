"""Broker trouble as one plain sentence that names the setting to fix, in English or Estonian.

`explain()` turns whatever the MQTT client raised (a refused CONNACK, a TLS or socket error, a
lost connection) into a `Problem`; `ProblemLog` logs each distinct problem once per outage.
"""

from __future__ import annotations

import logging
import socket
import ssl
from dataclasses import dataclass, field

from aiomqtt import MqttCodeError
from aiomqtt.exceptions import MqttConnectError

from hanport.i18n import text
from hanport.mqtt.settings import MqttSettings

__all__ = ["Problem", "ProblemLog", "SetupProblem", "explain"]

log = logging.getLogger("hanport.mqtt")

_AUTH = {4, 5, 134, 135}
_CLIENT_ID = {2, 133}


@dataclass(frozen=True)
class Problem:
    key: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self, language: str = "en") -> str:
        return text(self.key, language, **dict(self.values))


class SetupProblem(Exception):
    """The client could not even be set up (TLS files); carries the `Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


def explain(error: BaseException, settings: MqttSettings, connected: bool = False) -> Problem:
    """The sentence for `error`; `connected`: the session had been established and was lost."""
    url = settings.safe_url
    if isinstance(error, SetupProblem):
        return error.problem
    if connected:
        return Problem("mqtt_lost", (("url", url),))
    if isinstance(error, MqttConnectError):
        return _refused(error, settings)
    cause = _cause(error)
    if isinstance(cause, ssl.SSLCertVerificationError):
        detail = cause.verify_message or cause.reason or str(cause)
        if settings.ca_file:
            values = (("detail", detail), ("ca_file", settings.ca_file))
            return Problem("mqtt_tls_verify_ca", values)
        return Problem("mqtt_tls_verify_system", (("detail", detail),))
    if settings.tls and isinstance(cause, ConnectionResetError | BrokenPipeError | ssl.SSLEOFError):
        return Problem("mqtt_tls", (("url", url), ("detail", "the broker closed the connection")))
    if isinstance(cause, ssl.SSLError):
        return Problem("mqtt_tls", (("url", url), ("detail", cause.reason or str(cause))))
    if isinstance(cause, ConnectionRefusedError):
        return Problem("mqtt_refused", (("url", url),))
    if isinstance(cause, socket.gaierror):
        return Problem("mqtt_unknown_host", (("host", settings.host),))
    if isinstance(cause, ConnectionResetError | BrokenPipeError) or "timed out" in str(error):
        return Problem("mqtt_no_answer", (("url", url),))
    detail = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
    return Problem("mqtt_unreachable", (("url", url), ("detail", detail or type(cause).__name__)))


def _refused(error: MqttCodeError, settings: MqttSettings) -> Problem:
    code = getattr(error.rc, "value", error.rc)
    url = settings.safe_url
    if code in _AUTH:
        return Problem("mqtt_auth" if settings.username else "mqtt_auth_missing", (("url", url),))
    if code in _CLIENT_ID:
        return Problem("mqtt_client_id", (("url", url), ("client_id", settings.client_id)))
    return Problem("mqtt_broker_refused", (("url", url), ("detail", str(error.rc))))


def _cause(error: BaseException) -> BaseException:
    """aiomqtt raises `MqttError(str(exc)) from None`: the socket or TLS error is the context."""
    seen = error
    while (inner := seen.__cause__ or seen.__context__) is not None:
        seen = inner
    return seen


@dataclass
class ProblemLog:
    """Logs each distinct problem once until the broker accepts hanport again."""

    reported: set[Problem] = field(default_factory=set)
    ever_connected: bool = False

    def report(self, problem: Problem) -> None:
        if problem not in self.reported:
            self.reported.add(problem)
            log.error("%s", problem.text())

    def connected(self, settings: MqttSettings) -> None:
        if self.reported or not self.ever_connected:
            log.info("%s", text("mqtt_connected", "en", url=settings.safe_url))
        self.reported.clear()
        self.ever_connected = True
