"""An independent encoder for the test suite: builds what meters send, byte for byte.

Nothing here imports hanport: the CRCs are computed bit by bit, the A-XDR, APDU, HDLC and M-Bus
layouts are written from the protocol notes (docs: ../shared/reference/protocol.md §2 and §4),
and AES-GCM comes straight from `cryptography`. Tests decode what this module builds, so a bug
would have to be made twice, the same way, to go unnoticed.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from datetime import datetime

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "LLC",
    "array",
    "bcd",
    "bit_string",
    "boolean",
    "cosem_clock",
    "crc16_arc",
    "crc16_x25",
    "data_notification",
    "date_time",
    "double_long",
    "double_long_unsigned",
    "enum",
    "float32",
    "float64",
    "gbt_blocks",
    "glo_ciphering",
    "hdlc_address",
    "hdlc_frame",
    "hdlc_frames",
    "integer",
    "length",
    "long",
    "long64",
    "long64_unsigned",
    "long_unsigned",
    "mbus_frame",
    "mbus_frames",
    "null",
    "obis",
    "octet_string",
    "p1_telegram",
    "register",
    "scaler_unit",
    "simple_apdu",
    "structure",
    "unsigned",
    "utf8_string",
    "visible_string",
]

LLC = b"\xe6\xe7\x00"
"""The LLC header that precedes the APDU in the first HDLC information field."""


# --------------------------------------------------------------------------------- checksums


def crc16_arc(data: bytes) -> int:
    """CRC-16/ARC: poly 0x8005 reflected (0xA001), init 0, no xorout. P1 telegrams."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def crc16_x25(data: bytes) -> int:
    """CRC-16/X-25: poly 0x1021 reflected (0x8408), init and xorout 0xFFFF. HDLC HCS/FCS."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


# ---------------------------------------------------------------------------------------- P1


def p1_telegram(
    lines: Sequence[str],
    *,
    header: str = "LGF5E360",
    eol: str = "\r\n",
    crc: str = "upper",
) -> bytes:
    """`/header`, a blank line, the data lines, `!` and the CRC.

    `crc`: "upper" (4 digits), "lower" (4 lower-case digits), "short" (no zero padding, so 3
    digits when the CRC is below 0x1000), "none" (`!` and the line end only), or "bad" (the
    correct CRC plus one, 4 digits).
    """
    body = ("/" + header + eol + eol + "".join(line + eol for line in lines) + "!").encode()
    value = crc16_arc(body)
    if crc == "none":
        digits = ""
    elif crc == "upper":
        digits = f"{value:04X}"
    elif crc == "lower":
        digits = f"{value:04x}"
    elif crc == "short":
        digits = f"{value:X}"
    elif crc == "bad":
        digits = f"{(value + 1) & 0xFFFF:04X}"
    else:
        raise ValueError(crc)
    return body + (digits + eol).encode()


# -------------------------------------------------------------------------------------- HDLC


def hdlc_address(value: int, size: int) -> bytes:
    """An HDLC address of `size` bytes (1, 2 or 4): 7 bits per byte, low bit set on the last."""
    out = bytearray()
    for index in range(size):
        shift = 7 * (size - 1 - index)
        out.append(((value >> shift) & 0x7F) << 1)
    out[-1] |= 0x01
    return bytes(out)


def hdlc_frame(
    information: bytes,
    *,
    dst: bytes = b"\x41",
    src: bytes = b"\x08\x83",
    control: int = 0x13,
    segmented: bool = False,
    flags: bool = True,
) -> bytes:
    """One HDLC frame type 3 with HCS (when there is information) and FCS, with its flags."""
    header_size = 2 + len(dst) + len(src) + 1
    size = header_size + (2 + len(information) if information else 0) + 2
    if size > 0x7FF:
        raise ValueError("HDLC frame too long")
    fmt = 0xA000 | (0x0800 if segmented else 0) | size
    header = fmt.to_bytes(2, "big") + dst + src + bytes([control])
    body = header
    if information:
        body += crc16_x25(header).to_bytes(2, "little") + information
    body += crc16_x25(body).to_bytes(2, "little")
    return b"\x7e" + body + b"\x7e" if flags else body


def hdlc_frames(
    information: bytes,
    max_information: int,
    *,
    dst: bytes = b"\x41",
    src: bytes = b"\x08\x83",
    control: int = 0x13,
    shared_flags: bool = False,
) -> bytes:
    """The information field split over segmented frames (segmentation bit on all but the last).

    With `shared_flags`, consecutive frames share one flag byte (`…7E A8…` instead of `7E 7E`).
    """
    pieces = [
        information[i : i + max_information] for i in range(0, len(information), max_information)
    ] or [b""]
    out = b""
    for index, piece in enumerate(pieces):
        frame = hdlc_frame(
            piece, dst=dst, src=src, control=control, segmented=index < len(pieces) - 1
        )
        out += frame[1:] if shared_flags and out else frame
    return out


# ------------------------------------------------------------------------------------- M-Bus


def mbus_frame(
    segment: bytes,
    *,
    ci: int = 0x10,
    control: int = 0x53,
    address: int = 0xFF,
    stsap: int = 0x01,
    dtsap: int = 0x67,
) -> bytes:
    """One M-Bus long frame: 68 L L 68 | C A CI STSAP DTSAP data | CS 16."""
    body = bytes([control, address, ci, stsap, dtsap]) + segment
    if len(body) > 255:
        raise ValueError("M-Bus frame too long")
    return bytes([0x68, len(body), len(body), 0x68]) + body + bytes([sum(body) & 0xFF, 0x16])


def mbus_frames(apdu: bytes, max_segment: int = 245) -> bytes:
    """The APDU split over long frames: CI 0x00.. for the first ones, 0x1n for the last."""
    pieces = [apdu[i : i + max_segment] for i in range(0, len(apdu), max_segment)]
    out = b""
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        out += mbus_frame(piece, ci=(0x10 if last else 0x00) | (index & 0x0F))
    return out


# ------------------------------------------------------------------------------------- A-XDR


def length(value: int, *, long_form: int = 0) -> bytes:
    """A-XDR length: one byte below 0x80, else 0x81 nn / 0x82 nn nn (or `long_form` bytes)."""
    if value < 0x80 and not long_form:
        return bytes([value])
    size = long_form or max(1, (value.bit_length() + 7) // 8)
    return bytes([0x80 | size]) + value.to_bytes(size, "big")


def null() -> bytes:
    return b"\x00"


def array(items: Sequence[bytes]) -> bytes:
    return b"\x01" + length(len(items)) + b"".join(items)


def structure(items: Sequence[bytes]) -> bytes:
    return b"\x02" + length(len(items)) + b"".join(items)


def boolean(value: bool) -> bytes:
    return b"\x03" + (b"\x01" if value else b"\x00")


def bit_string(bits: int, data: bytes) -> bytes:
    return b"\x04" + length(bits) + data


def double_long(value: int) -> bytes:
    return b"\x05" + struct.pack(">i", value)


def double_long_unsigned(value: int) -> bytes:
    return b"\x06" + struct.pack(">I", value)


def octet_string(data: bytes) -> bytes:
    return b"\x09" + length(len(data)) + data


def visible_string(text: str) -> bytes:
    data = text.encode("latin-1")
    return b"\x0a" + length(len(data)) + data


def utf8_string(text: str) -> bytes:
    data = text.encode("utf-8")
    return b"\x0c" + length(len(data)) + data


def bcd(value: int) -> bytes:
    return b"\x0d" + bytes([value])


def integer(value: int) -> bytes:
    return b"\x0f" + struct.pack(">b", value)


def long(value: int) -> bytes:
    return b"\x10" + struct.pack(">h", value)


def unsigned(value: int) -> bytes:
    return b"\x11" + struct.pack(">B", value)


def long_unsigned(value: int) -> bytes:
    return b"\x12" + struct.pack(">H", value)


def long64(value: int) -> bytes:
    return b"\x14" + struct.pack(">q", value)


def long64_unsigned(value: int) -> bytes:
    return b"\x15" + struct.pack(">Q", value)


def enum(value: int) -> bytes:
    return b"\x16" + bytes([value])


def float32(value: float) -> bytes:
    return b"\x17" + struct.pack(">f", value)


def float64(value: float) -> bytes:
    return b"\x18" + struct.pack(">d", value)


def date_time(clock: bytes) -> bytes:
    """A COSEM date-time with its own tag (0x19)."""
    if len(clock) != 12:
        raise ValueError("a COSEM date-time has 12 bytes")
    return b"\x19" + clock


def obis(code: str) -> bytes:
    """`"1-0:1.8.0"` (group F = 255) or `"1-0:1.8.0.3"` → the 6-byte OBIS octet string."""
    medium, _, rest = code.partition("-")
    channel, _, groups = rest.partition(":")
    parts = [int(medium), int(channel), *(int(p) for p in groups.split("."))]
    if len(parts) == 5:
        parts.append(255)
    return octet_string(bytes(parts))


def scaler_unit(scaler: int, unit: int) -> bytes:
    """`{scaler, unit}`: value = raw × 10^scaler, unit per the DLMS enumeration (27 = W …)."""
    return structure([integer(scaler), enum(unit)])


def register(code: str, value: bytes, scaler: int | None = None, unit: int | None = None) -> bytes:
    """`{obis, value}` or, with a scaler and unit, `{obis, value, {scaler, unit}}`."""
    if scaler is None or unit is None:
        return structure([obis(code), value])
    return structure([obis(code), value, scaler_unit(scaler, unit)])


def cosem_clock(
    local: datetime | None,
    *,
    deviation: int | None = None,
    status: int = 0xFF,
    hundredths: int = 0xFF,
) -> bytes:
    """12-byte COSEM date-time; None gives an all-unspecified clock.

    `deviation` is in minutes with UTC = local + deviation (CET = −60); None = unspecified.
    """
    dev = 0x8000 if deviation is None else deviation & 0xFFFF
    if local is None:
        return b"\xff\xff\xff\xff\xff\xff\xff\xff\xff" + dev.to_bytes(2, "big") + bytes([status])
    return (
        local.year.to_bytes(2, "big")
        + bytes(
            [
                local.month,
                local.day,
                local.isoweekday(),
                local.hour,
                local.minute,
                local.second,
                hundredths,
            ]
        )
        + dev.to_bytes(2, "big")
        + bytes([status])
    )


# -------------------------------------------------------------------------------------- APDU


def data_notification(
    body: bytes,
    *,
    invoke_id: int = 0x40000000,
    clock: bytes | None = None,
    tagged_clock: bool = False,
) -> bytes:
    """0F | long-invoke-id-and-priority | date-time (00, 0C+12, or Kaifa's 09 0C+12) | body."""
    if clock is None:
        stamp = b"\x00"
    else:
        stamp = (b"\x09" if tagged_clock else b"") + length(len(clock)) + clock
    return b"\x0f" + invoke_id.to_bytes(4, "big") + stamp + body


def gbt_blocks(apdu: bytes, size: int, *, streaming: bool = True) -> list[bytes]:
    """General Block Transfer: E0 | control | block number | acknowledged | length | raw data.

    Control bit 7 marks the last block, bit 6 streaming; the window size is 1.
    """
    pieces = [apdu[i : i + size] for i in range(0, len(apdu), size)]
    blocks = []
    for number, piece in enumerate(pieces, 1):
        control = (0x80 if number == len(pieces) else 0) | (0x40 if streaming else 0) | 0x01
        blocks.append(
            bytes([0xE0, control])
            + number.to_bytes(2, "big")
            + b"\x00\x00"
            + length(len(piece))
            + piece
        )
    return blocks


# -------------------------------------------------------------------------------- encryption


def glo_ciphering(
    plaintext: bytes,
    *,
    key: bytes,
    auth_key: bytes | None = None,
    system_title: bytes = b"LGZ\x01\x02\x03\x04\x05",
    frame_counter: int = 1,
    security_control: int = 0x30,
    long_form: int = 0,
) -> bytes:
    """general-glo-ciphering: DB 08 | system title | length | SC | FC | ciphertext | [tag].

    SC 0x30: AES-128-GCM, AAD = SC ‖ AK, tag truncated to 12 bytes.
    SC 0x20: encryption only, i.e. AES-CTR from the GCM counter block IV ‖ 00000002, no tag.
    SC 0x10: authentication only: the plaintext is sent as is, AAD = SC ‖ AK ‖ plaintext.
    """
    if len(system_title) != 8:
        raise ValueError("the system title has 8 bytes")
    counter = frame_counter.to_bytes(4, "big")
    nonce = system_title + counter
    authenticated = bool(security_control & 0x10)
    encrypted = bool(security_control & 0x20)
    if authenticated and auth_key is None:
        raise ValueError("an authenticated frame needs the authentication key")
    aad = bytes([security_control]) + (auth_key or b"")
    if encrypted and authenticated:
        sealed = AESGCM(key).encrypt(nonce, plaintext, aad)
        payload = sealed[:-16] + sealed[-16:-4]
    elif encrypted:
        encryptor = Cipher(algorithms.AES(key), modes.CTR(nonce + b"\x00\x00\x00\x02")).encryptor()
        payload = encryptor.update(plaintext) + encryptor.finalize()
    elif authenticated:
        tag = AESGCM(key).encrypt(nonce, b"", aad + plaintext)
        payload = plaintext + tag[:12]
    else:
        payload = plaintext
    content = bytes([security_control]) + counter + payload
    return b"\xdb\x08" + system_title + length(len(content), long_form=long_form) + content


# ----------------------------------------------------------------------------- ready-made


def simple_apdu(power_w: int = 1011, voltage_dv: int = 2307, *, note: str = "") -> bytes:
    """A small Aidon-style data-notification: P+ in W and U1 in 0.1 V, and an optional text
    register (0-0:96.13.0) to make the APDU as long as a test needs."""
    registers = [
        register("1-0:1.7.0", double_long_unsigned(power_w), 0, 27),
        register("1-0:32.7.0", long_unsigned(voltage_dv), -1, 35),
    ]
    if note:
        registers.append(register("0-0:96.13.0", visible_string(note)))
    return data_notification(array(registers))
