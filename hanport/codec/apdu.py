"""DLMS APDUs pushed by meters: data-notification (0x0F) and General Block Transfer (0xE0).

0F | long-invoke-id-and-priority (4) | date-time (octet string) | notification body (A-XDR)
E0 | block control | block number (2) | acknowledged block (2) | length | raw data
"""

from __future__ import annotations

from hanport.codec.axdr import AxdrValue, TruncatedError, decode_axdr, read_length
from hanport.codec.record import Record
from hanport.errors import DecodeError

__all__ = [
    "DATA_NOTIFICATION",
    "GENERAL_BLOCK_TRANSFER",
    "LLC_HEADERS",
    "Block",
    "Notification",
    "parse_block",
    "parse_notification",
    "parse_notification_header",
]

DATA_NOTIFICATION = 0x0F
GENERAL_BLOCK_TRANSFER = 0xE0
LLC_HEADERS = (b"\xe6\xe7\x00", b"\xe6\xe6\x00")


class Notification(Record):
    """A data-notification; `size` is how many bytes of the input it used."""

    __slots__ = ("body", "date_time", "size")

    def __init__(self, date_time: bytes | None, body: AxdrValue, size: int) -> None:
        self.date_time = date_time
        self.body = body
        self.size = size


class Block(Record):
    """One block of a General Block Transfer."""

    __slots__ = ("data", "last", "number")

    def __init__(self, last: bool, number: int, data: bytes) -> None:
        self.last = last
        self.number = number
        self.data = data


def parse_notification(apdu: bytes) -> Notification:
    date_time, pos = parse_notification_header(apdu)
    body, end = decode_axdr(apdu, pos)
    return Notification(date_time, body, end)


def parse_notification_header(apdu: bytes) -> tuple[bytes | None, int]:
    """The date-time of a data-notification (None when empty) and where its body starts."""
    if not apdu or apdu[0] != DATA_NOTIFICATION:
        raise DecodeError("decoder.not_notification")
    if len(apdu) < 6:
        raise TruncatedError("decoder.notification_header_cut")
    pos = 5
    date_time: bytes | None = None
    if apdu[pos] == 0x09:
        pos += 1
    length, pos = read_length(apdu, pos)
    if length:
        date_time = apdu[pos : pos + length]
        pos += length
    if pos > len(apdu):
        raise TruncatedError("decoder.notification_time_cut")
    return date_time, pos


def parse_block(apdu: bytes) -> Block:
    if len(apdu) < 7 or apdu[0] != GENERAL_BLOCK_TRANSFER:
        raise DecodeError("decoder.not_block_transfer")
    length, pos = read_length(apdu, 6)
    data = apdu[pos : pos + length]
    if len(data) != length:
        raise DecodeError("decoder.block_short")
    return Block(bool(apdu[1] & 0x80), int.from_bytes(apdu[2:4], "big"), data)
