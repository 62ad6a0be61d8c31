"""What the devices send, turned into the meter's own bytes: pure functions, no I/O.

* HomeWizard's `/api/v1/telegram` answers the latest valid telegram as text/plain (503 while it
  has none).
* ESPHome's dsmr component publishes the whole telegram, `/` to the CRC line, as the state of
  its `telegram` text sensor.
* Tasmota's serial bridge publishes what its UART received as `{"SerialReceived":"…"}` (or
  `SSerialReceived` for the software serial bridge) on tele/<topic>/RESULT: the text as it came
  with the default SerialDelimiter, or upper-case hex with `SerialDelimiter 254` (binary-safe,
  needed for DLMS meters). A telegram arrives in several such messages.

A telegram whose line ends were turned into bare LF on the way gets its CR LF back: the meter
sends CR LF, and its CRC covers them.
"""

from __future__ import annotations

import json
import re

from hanport.sources.errors import SourceError

__all__ = ["homewizard_telegram", "p1_bytes", "tasmota_chunk"]

_HEX = re.compile(r"(?:[0-9A-F]{2}){4,}")
_TASMOTA_KEYS = ("SerialReceived", "SSerialReceived")


def p1_bytes(text: bytes) -> bytes:
    """A whole telegram as the meter sent it: CR LF line ends, ending with one."""
    body = text.strip(b"\r\n\0 ")
    if b"\r\n" not in body:
        body = body.replace(b"\n", b"\r\n")
    return body + b"\r\n" if body else b""


def homewizard_telegram(status: int, body: bytes, host: str) -> bytes | None:
    """The telegram of one answer; None while the P1 meter has none; SourceError otherwise."""
    if status == 200:
        return p1_bytes(body) or None
    if status == 503:
        return None
    if status in (401, 403):
        raise SourceError("sources.homewizard_refused", host=host, status=status)
    if status == 404:
        raise SourceError("sources.homewizard_no_telegram", host=host)
    raise SourceError("sources.homewizard_status", host=host, status=status)


def tasmota_chunk(payload: bytes, form: str = "auto") -> bytes | None:
    """The UART bytes in one Tasmota message; None for any other message on the topic."""
    try:
        message = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(message, dict):
        return None
    value = next((message[key] for key in _TASMOTA_KEYS if key in message), None)
    if not isinstance(value, str):
        return None
    if form == "hex" or (form == "auto" and _HEX.fullmatch(value)):
        try:
            return bytes.fromhex(value)
        except ValueError:
            return None
    return value.encode("utf-8", errors="replace")
