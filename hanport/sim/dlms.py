"""The simulator's frames in the DLMS/COSEM form: a data-notification in one HDLC frame.

The list is OBIS-tagged with scalers, as Aidon and the Swiss/Austrian Landis+Gyr lists are:
clock, the meter's serial number, power and energy per direction, per-phase voltage and
current. The same household values as the P1 telegrams, with valid HCS and FCS (CRC-16/X-25).
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta

from hanport.codec.crc import crc16_x25

__all__ = ["hdlc_notification"]

_W, _WH, _V, _A = 27, 30, 35, 33


def hdlc_notification(
    now: datetime,
    voltages_dv: list[int],
    currents_da: list[int],
    power_w: tuple[int, int],
    energy_wh: tuple[int, int],
    meter_id: str,
) -> bytes:
    """One HDLC frame (`7E A0 …  7E`) carrying the readings of one moment and the meter id."""
    serial = meter_id.encode("ascii")
    registers = [
        b"\x02\x02" + _obis("0-0:96.1.0") + b"\x09" + bytes([len(serial)]) + serial,
        _register("1-0:1.7.0", _u32(power_w[0]), 0, _W),
        _register("1-0:2.7.0", _u32(power_w[1]), 0, _W),
        _register("1-0:1.8.0", _u32(energy_wh[0]), 0, _WH),
        _register("1-0:2.8.0", _u32(energy_wh[1]), 0, _WH),
    ]
    for c, dv in zip((32, 52, 72), voltages_dv, strict=True):
        registers.append(_register(f"1-0:{c}.7.0", _u16(dv), -1, _V))
    for c, da in zip((31, 51, 71), currents_da, strict=True):
        registers.append(_register(f"1-0:{c}.7.0", _u16(da), -1, _A))
    clock = b"\x02\x02" + _obis("0-0:1.0.0") + b"\x09\x0c" + _cosem_clock(now)
    body = b"\x01" + bytes([len(registers) + 1]) + clock + b"".join(registers)
    apdu = b"\x0f\x40\x00\x00\x00\x00" + body
    return _hdlc(b"\xe6\xe7\x00" + apdu)


def _register(code: str, value: bytes, scaler: int, unit: int) -> bytes:
    """`{OBIS, value, {scaler, unit}}`"""
    scaler_unit = b"\x02\x02\x0f" + struct.pack(">b", scaler) + b"\x16" + bytes([unit])
    return b"\x02\x03" + _obis(code) + value + scaler_unit


def _obis(code: str) -> bytes:
    medium, _, rest = code.partition("-")
    channel, _, cde = rest.partition(":")
    c, d, e = cde.split(".")
    return b"\x09\x06" + bytes([int(medium), int(channel), int(c), int(d), int(e), 255])


def _u32(value: int) -> bytes:
    return b"\x06" + struct.pack(">I", value)


def _u16(value: int) -> bytes:
    return b"\x12" + struct.pack(">H", value)


def _cosem_clock(now: datetime) -> bytes:
    local = now.astimezone(UTC) + timedelta(hours=2)  # Estonian standard time, deviation -120
    return struct.pack(
        ">HBBBBBBBhB",
        local.year,
        local.month,
        local.day,
        local.isoweekday(),
        local.hour,
        local.minute,
        local.second,
        0,
        -120,
        0x00,
    )


def _hdlc(information: bytes) -> bytes:
    length = 2 + 1 + 2 + 1 + 2 + len(information) + 2
    header = bytes([0xA0 | (length >> 8), length & 0xFF, 0x41, 0x08, 0x83, 0x13])
    hcs = crc16_x25(header).to_bytes(2, "little")
    frame = header + hcs + information
    return b"\x7e" + frame + crc16_x25(frame).to_bytes(2, "little") + b"\x7e"
