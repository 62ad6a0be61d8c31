"""DLMS APDUs pushed by meters → `Reading`: decryption, the list's registers, the energy scale.

Whether the bytes were checked is tracked on the way: by the frame that carried them (HDLC
FCS, M-Bus checksum) or by the authentication tag of general-glo-ciphering. An APDU with
neither (a bare APDU, a raw ciphered APDU without tag) makes an unverified reading, and a
plaintext without tag must be exactly one data-notification, so that a wrong key or damaged
ciphertext is not read as values.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from hanport.codec.apdu import DATA_NOTIFICATION, parse_notification, parse_notification_header
from hanport.codec.cipher import GLO_CIPHERING, decrypt, parse_ciphered
from hanport.codec.clock import cosem_datetime
from hanport.codec.energy_scale import EnergyScales
from hanport.codec.entries import add_entries
from hanport.codec.layouts import read_list
from hanport.codec.normalize import ReadingBuilder
from hanport.codec.record import Record
from hanport.codec.registers import scan_registers
from hanport.errors import DecodeError
from hanport.model import Reading

__all__ = ["Opened", "open_apdu", "read_notification"]

_AUTHENTICATED = 0x10
_NOTIFICATION = bytes([DATA_NOTIFICATION])
_CIPHERED = bytes([GLO_CIPHERING])
_MAKERS = {b"LGZ": "landis+gyr", b"KAM": "kamstrup", b"KFM": "kaifa", b"AID": "aidon"}
_INCOMPLETE = "decoder.incomplete"


class Opened(Record):
    """A ciphered APDU after decryption: its plaintext, the maker its system title names,
    whether anything `checked` its bytes, and its sender when no tag authenticated it."""

    __slots__ = ("apdu", "checked", "maker", "unauthenticated_sender")

    def __init__(
        self,
        apdu: bytes,
        checked: bool,
        maker: str | None = None,
        unauthenticated_sender: str | None = None,
    ) -> None:
        self.apdu = apdu
        self.checked = checked
        self.maker = maker
        self.unauthenticated_sender = unauthenticated_sender


def open_apdu(apdu: bytes, checked: bool, key: bytes | None, auth_key: bytes | None) -> Opened:
    """Decrypt a general-glo-ciphering APDU (others pass as they are). Raises HanError.

    `checked`: the frame that carried the APDU had a checksum of its own.
    """
    if apdu[:1] != _CIPHERED:
        return Opened(apdu, checked)
    ciphered = parse_ciphered(apdu)
    plaintext = decrypt(ciphered, key, auth_key)
    authenticated = bool(ciphered.security_control & _AUTHENTICATED)
    return Opened(
        plaintext,
        checked or authenticated,
        _MAKERS.get(ciphered.system_title[:3]),
        None if authenticated else ciphered.sender,
    )


def read_notification(
    apdu: bytes,
    zone: tzinfo,
    scales: EnergyScales,
    received_at: datetime | None,
    *,
    maker: str | None = None,
    checked: bool = True,
    unauthenticated: bool = False,
) -> Reading:
    """The reading of a data-notification. Raises DecodeError or UnknownLayoutError.

    `checked`: something verified the bytes (a frame checksum, a tag); `unauthenticated`: a
    plaintext decrypted without tag, which must be exactly one notification.
    """
    if apdu[:1] != _NOTIFICATION:
        raise DecodeError("decoder.dlms_type", type=f"0x{apdu[:1].hex().upper() or '--'}")
    if unauthenticated and _incomplete(apdu):
        raise DecodeError(_INCOMPLETE)
    date_time, body_start = parse_notification_header(apdu)
    builder = _read_list(apdu, body_start, zone, maker, scales.presumed)
    presumed = builder.energy_scale is not None
    if presumed and scales.configured is None and not scales.confirms(builder):
        builder = _read_list(apdu, body_start, zone, maker, None)  # another meter's list
    if date_time is not None:
        time = cosem_datetime(date_time, zone)
        if time is not None:
            builder.values.setdefault("meter_time", time)
    if (
        builder.ambiguous is not None
        or scales.learning
        or (presumed and (builder.values.get("meter_id") or "") not in scales.found)
    ):
        scales.resolve(builder, received_at)
    if not checked:
        builder.values["verified"] = False
    return builder.build(received_at)


def _read_list(
    apdu: bytes, body_start: int, zone: tzinfo, maker: str | None, energy_scale: int | None
) -> ReadingBuilder:
    builder = ReadingBuilder()
    entries = scan_registers(apdu, body_start)
    if entries is not None:
        add_entries(entries, builder, zone, maker, energy_scale)
    else:
        read_list(parse_notification(apdu).body, builder, zone, maker, energy_scale)
    return builder


def _incomplete(apdu: bytes) -> bool:
    """Whether a plaintext without authentication tag is anything but one whole notification."""
    try:
        return parse_notification(apdu).size != len(apdu)
    except (DecodeError, ValueError, IndexError):
        return True
