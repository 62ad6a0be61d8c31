"""general-glo-ciphering: AES-128-GCM (SC 0x30), encryption only (0x20), authentication only
(0x10), keys that are missing or wrong, and encrypted P1 telegrams."""

from __future__ import annotations

from decimal import Decimal

import pytest
from encoder import (
    LLC,
    double_long_unsigned,
    glo_ciphering,
    hdlc_frame,
    long_unsigned,
    mbus_frames,
    octet_string,
    p1_telegram,
    simple_apdu,
    structure,
)

import hanport
from hanport.codec.cipher import decrypt, frame_length, parse_ciphered
from hanport.errors import DecryptionError
from hanport.model import Reading, Rejected

KEY = bytes.fromhex("000102030405060708090A0B0C0D0E0F")
AUTH = bytes.fromhex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF")
OTHER = bytes.fromhex("0F0E0D0C0B0A09080706050403020100")
LUX_AUTH = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
TITLE = bytes.fromhex("4D4D4D0000BC614E")

# DLMS Green Book: the general-glo-ciphering example (EK, AK, system title, counter 01234567).
GREEN_PLAIN = bytes.fromhex("01011000112233445566778899AABBCCDDEEFF0000065F1F0400007E1F04B0")
GREEN_CIPHER = bytes.fromhex(
    "801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE6841DB204D39EE6FDB8E356855"
)


Key = bytes | str | None


def items(data: bytes, key: Key = None, auth_key: Key = None) -> list[Reading | Rejected]:
    decoder = hanport.Decoder(key=key, auth_key=auth_key)
    return decoder.feed(data) + decoder.flush()


def only(data: bytes, key: Key = None, auth_key: Key = None) -> Reading | Rejected:
    result = items(data, key, auth_key)
    assert len(result) == 1, result
    return result[0]


def reading(data: bytes, key: Key = None, auth_key: Key = None) -> Reading:
    item = only(data, key, auth_key)
    assert isinstance(item, Reading), item
    return item


def rejected(data: bytes, key: Key = None, auth_key: Key = None) -> Rejected:
    item = only(data, key, auth_key)
    assert isinstance(item, Rejected), item
    return item


def sealed(apdu: bytes, sc: int = 0x30) -> bytes:
    """An encrypted APDU in an HDLC frame, as Landis+Gyr and Kamstrup send it."""
    return hdlc_frame(LLC + glo_ciphering(apdu, key=KEY, auth_key=AUTH, security_control=sc))


# ------------------------------------------------------------------- published test vectors


def test_encoder_matches_the_green_book_example() -> None:
    frame = glo_ciphering(
        GREEN_PLAIN, key=KEY, auth_key=AUTH, system_title=TITLE, frame_counter=0x01234567
    )
    assert frame == b"\xdb\x08" + TITLE + b"\x30\x30\x01\x23\x45\x67" + GREEN_CIPHER


def test_encoder_matches_the_green_book_gmac_example() -> None:
    frame = glo_ciphering(
        bytes.fromhex("4B35366956616759"),
        key=KEY,
        auth_key=AUTH,
        system_title=TITLE,
        frame_counter=0x01234567,
        security_control=0x10,
    )
    assert frame.endswith(bytes.fromhex("4B35366956616759FE1466AFB3DBCD4F9389E2B7"))


def test_green_book_example_decrypts() -> None:
    apdu = b"\xdb\x08" + TITLE + b"\x30\x30\x01\x23\x45\x67" + GREEN_CIPHER
    assert frame_length(apdu, 0) == len(apdu)
    ciphered = parse_ciphered(apdu)
    assert ciphered.system_title == TITLE
    assert ciphered.security_control == 0x30
    assert ciphered.frame_counter == b"\x01\x23\x45\x67"
    assert decrypt(ciphered, KEY, AUTH) == GREEN_PLAIN
    with pytest.raises(DecryptionError, match="Wrong key"):
        decrypt(ciphered, OTHER, AUTH)


def test_sender_is_the_maker_code_and_serial() -> None:
    ciphered = parse_ciphered(glo_ciphering(b"\x0f", key=KEY, auth_key=AUTH))
    assert ciphered.sender == "LGZ0102030405"
    numeric = glo_ciphering(b"\x0f", key=KEY, auth_key=AUTH, system_title=bytes(8))
    assert parse_ciphered(numeric).sender == "0000000000000000"


# ----------------------------------------------------------------------------- decoding


def test_authenticated_and_encrypted() -> None:
    decoder = hanport.Decoder(key=KEY, auth_key=AUTH)
    result = decoder.feed(sealed(simple_apdu(1011))) + decoder.flush()
    assert len(result) == 1
    item = result[0]
    assert isinstance(item, Reading)
    assert item.power_import_w == 1011
    assert item.voltage_l1_v == Decimal("230.7")
    assert decoder.format == "hdlc+encrypted"


def test_keys_as_hex_text() -> None:
    data = sealed(simple_apdu(5))
    assert reading(data, key=KEY.hex(), auth_key=AUTH.hex().upper()).power_import_w == 5


def test_wrong_key() -> None:
    item = rejected(sealed(simple_apdu()), key=OTHER, auth_key=AUTH)
    assert item.reason.startswith("Wrong key")


def test_wrong_authentication_key() -> None:
    item = rejected(sealed(simple_apdu()), key=KEY, auth_key=OTHER)
    assert item.reason.startswith("Wrong key")


def test_no_key() -> None:
    item = rejected(sealed(simple_apdu()))
    assert "--key" in item.reason
    assert "LGZ0102030405" in item.reason


def test_missing_authentication_key() -> None:
    item = rejected(sealed(simple_apdu()), key=KEY)
    assert "--auth-key" in item.reason


def test_encryption_only() -> None:
    """SC 0x20 (Austria, Kaifa PL): AES-CTR from counter 2, no tag, only the key is needed."""
    data = sealed(simple_apdu(2020), sc=0x20)
    assert reading(data, key=KEY).power_import_w == 2020
    # with an authentication key set, an unauthenticated frame is a downgrade: refused
    assert "not authenticated" in rejected(data, key=KEY, auth_key=AUTH).reason
    assert "--key" in rejected(data).reason
    assert not isinstance(only(data, key=OTHER), Reading)


def test_encryption_only_with_the_suite_bit() -> None:
    assert reading(sealed(simple_apdu(2121), sc=0x21), key=KEY).power_import_w == 2121


def test_authentication_only() -> None:
    data = sealed(simple_apdu(1010), sc=0x10)
    assert simple_apdu(1010) in data  # sent in the clear
    assert reading(data, key=KEY, auth_key=AUTH).power_import_w == 1010
    assert "--auth-key" in rejected(data, key=KEY).reason
    tampered = data.replace(simple_apdu(1010), simple_apdu(9999))
    tampered = hdlc_frame(tampered[1:-1][8:-2])  # same information field, fresh HCS/FCS
    assert rejected(tampered, key=KEY, auth_key=AUTH).reason.startswith("Wrong key")


def test_no_security_is_plain() -> None:
    data = hdlc_frame(LLC + glo_ciphering(simple_apdu(77), key=KEY, security_control=0x00))
    assert reading(data).power_import_w == 77


def test_unauthenticated_frame_is_rejected_when_an_authentication_key_is_set() -> None:
    """With an authentication key the user expects authenticated frames: a frame whose security
    byte says "encrypted only" (e.g. 0x30 damaged into 0x20) has no integrity check at all."""
    data = sealed(simple_apdu(3), sc=0x20)
    assert not isinstance(only(data, key=KEY, auth_key=AUTH), Reading)


def test_tampered_ciphertext_is_rejected() -> None:
    frame = bytearray(glo_ciphering(simple_apdu(3), key=KEY, auth_key=AUTH))
    frame[25] ^= 0x01
    assert rejected(bytes(frame), key=KEY, auth_key=AUTH).reason.startswith("Wrong key")


def test_raw_ciphered_frames_in_a_row() -> None:
    """Luxembourg-style: DB frames straight on the line, no HDLC around them."""
    frames = [
        glo_ciphering(simple_apdu(n), key=KEY, auth_key=AUTH, frame_counter=n) for n in range(3)
    ]
    decoder = hanport.Decoder(key=KEY, auth_key=AUTH)
    result = decoder.feed(b"".join(frames)) + decoder.flush()
    assert [r.power_import_w for r in result if isinstance(r, Reading)] == [0, 1, 2]
    assert decoder.format == "dlms+encrypted"


@pytest.mark.parametrize(("note", "prefix"), [(0, None), (150, 0x81), (400, 0x82)])
def test_length_forms(note: int, prefix: int | None) -> None:
    apdu = simple_apdu(42, note="n" * note)
    frame = glo_ciphering(apdu, key=KEY, auth_key=AUTH)
    if prefix is None:
        assert frame[10] < 0x80
    else:
        assert frame[10] == prefix
    assert frame_length(frame, 0) == len(frame)
    result = items(frame + frame, key=KEY, auth_key=AUTH)
    assert [r.power_import_w for r in result if isinstance(r, Reading)] == [42, 42]


def test_long_length_form_on_a_short_frame() -> None:
    frame = glo_ciphering(simple_apdu(43), key=KEY, auth_key=AUTH, long_form=2)
    assert frame[10] == 0x82
    assert reading(frame, key=KEY, auth_key=AUTH).power_import_w == 43


def test_encrypted_mbus_segments() -> None:
    """Austrian Kaifa over M-Bus: encryption only, the ciphered APDU split over frames."""
    frame = glo_ciphering(
        simple_apdu(555, note="k" * 300),
        key=KEY,
        system_title=b"KFM\x10\x20\x30\x40\x50",
        security_control=0x20,
    )
    decoder = hanport.Decoder(key=KEY)
    result = decoder.feed(mbus_frames(frame, 120)) + decoder.flush()
    assert len(result) == 1
    item = result[0]
    assert isinstance(item, Reading)
    assert item.power_import_w == 555
    assert decoder.format == "mbus+encrypted"


def test_landis_gyr_positional_list_is_known_by_the_system_title() -> None:
    body = structure(
        [
            long_unsigned(231),
            long_unsigned(232),
            long_unsigned(229),
            long_unsigned(123),
            long_unsigned(45),
            long_unsigned(6),
            double_long_unsigned(1500),
            double_long_unsigned(20),
            double_long_unsigned(1234567),
            double_long_unsigned(89),
            double_long_unsigned(0),
            double_long_unsigned(0),
            double_long_unsigned(0),
            octet_string(b"12345678"),
        ]
    )
    apdu = b"\x0f\x00\x00\x00\x01\x00" + body
    data = hdlc_frame(LLC + glo_ciphering(apdu, key=KEY, auth_key=AUTH))
    item = reading(data, key=KEY, auth_key=AUTH)
    assert item.current_l1_a == Decimal("1.23")
    assert item.current_l3_a == Decimal("0.06")
    assert (item.power_import_w, item.power_export_w) == (1500, 20)
    assert (item.energy_import_wh, item.energy_export_wh) == (1234567, 89)
    assert item.meter_id == "12345678"


# ------------------------------------------------------------------------ encrypted P1


LUX_LINES = [
    "1-3:0.2.8(42)",
    "0-0:1.0.0(240115120000W)",
    "0-0:42.0.0(53414731303330373031383739303332)",
    "1-0:1.8.0(000123.456*kWh)",
    "1-0:1.7.0(01.193*kW)",
    "1-0:32.7.0(230.0*V)",
]


def test_encrypted_p1_telegram() -> None:
    """Luxembourg Smarty: a whole P1 telegram inside a DB frame, raw on the P1 line."""
    telegram = p1_telegram(LUX_LINES, header="Lux5\\253694471_M")
    frame = glo_ciphering(
        telegram, key=KEY, auth_key=LUX_AUTH, system_title=b"SAG\x00\x01\x02\x03\x04"
    )
    decoder = hanport.Decoder(key=KEY, auth_key=LUX_AUTH, zone="Europe/Luxembourg")
    result = decoder.feed(frame) + decoder.flush()
    assert len(result) == 1
    item = result[0]
    assert isinstance(item, Reading)
    assert item.meter_model == "Lux5\\253694471_M"
    assert item.energy_import_wh == 123456
    assert item.power_import_w == 1193
    assert item.voltage_l1_v == Decimal("230.0")
    assert item.meter_id == "SAG1030701879032"
    assert decoder.format == "p1+encrypted"


def test_encrypted_p1_telegram_with_a_bad_crc() -> None:
    telegram = p1_telegram(LUX_LINES, crc="bad")
    frame = glo_ciphering(telegram, key=KEY, auth_key=LUX_AUTH)
    item = rejected(frame, key=KEY, auth_key=LUX_AUTH)
    assert item.reason.startswith("Checksum mismatch in P1 telegram")


def test_encrypted_p1_telegram_without_the_key() -> None:
    frame = glo_ciphering(p1_telegram(LUX_LINES), key=KEY, auth_key=LUX_AUTH)
    assert "--key" in rejected(frame).reason
    assert rejected(frame, key=OTHER, auth_key=LUX_AUTH).reason.startswith("Wrong key")


# ------------------------------------------- encrypted but not authenticated (SC 0x20)

KFM_TITLE = b"KFM\x67\x50\x00\x00\x09"


def kaifa_mbus(apdu: bytes) -> bytes:
    """An Austrian Kaifa push: one M-Bus long frame, encryption only (no tag)."""
    ciphered = glo_ciphering(apdu, key=KEY, system_title=KFM_TITLE, security_control=0x20)
    frame = mbus_frames(ciphered)
    assert frame[1] == len(frame) - 6  # one long frame
    return frame


def cancelling(frame: bytes, changes: dict[int, int]) -> bytes:
    """The frame with plaintext byte k xor-ed by changes[k] (the cipher is a stream cipher), and
    one more ciphertext byte moved so that the 8-bit M-Bus checksum still matches."""
    damaged = bytearray(frame)
    start = 9 + 16  # 68 L L 68 C A CI STSAP DTSAP, then DB 08 title(8) length SC FC(4)
    moved = 0
    for index, mask in changes.items():
        before = damaged[start + index]
        damaged[start + index] ^= mask
        moved += damaged[start + index] - before
    compensate = len(damaged) - 3  # the last ciphertext byte
    damaged[compensate] = (damaged[compensate] - moved) % 256
    assert sum(damaged[4:-2]) % 256 == frame[-2]
    return bytes(damaged)


def test_unauthenticated_sender_is_named_in_the_stats() -> None:
    decoder = hanport.Decoder(key=KEY)
    (item,) = decoder.feed(kaifa_mbus(simple_apdu(321, note="ab")))
    assert isinstance(item, Reading)
    assert item.power_import_w == 321
    assert item.verified  # the M-Bus checksum checked the bytes on the line
    assert decoder.stats.unauthenticated_sender == "KFM6750000009"
    authenticated = hanport.Decoder(key=KEY, auth_key=AUTH)
    authenticated.feed(sealed(simple_apdu(1)))
    assert authenticated.stats.unauthenticated_sender is None


def test_cancelling_damage_to_the_structure_of_unauthenticated_data_is_refused() -> None:
    """Two byte changes that cancel in the 8-bit checksum: the list count 3 → 2 leaves the last
    register as trailing bytes. Without a tag, anything but one whole notification is refused."""
    apdu = simple_apdu(321, note="abcdefgh")
    assert apdu[6:8] == b"\x01\x03"  # array of 3 registers
    damaged = cancelling(kaifa_mbus(apdu), {7: 0x03 ^ 0x02})
    decoder = hanport.Decoder(key=KEY)
    result = decoder.feed(damaged) + decoder.flush()
    assert not [item for item in result if isinstance(item, Reading)]
    (item,) = result
    assert isinstance(item, Rejected)
    assert item.reason.startswith("The decrypted frame is not one complete DLMS data-notification")


def test_raw_unauthenticated_apdu_is_unverified() -> None:
    """A DB frame straight on the line, without tag: nothing at all checked its bytes."""
    frame = glo_ciphering(simple_apdu(5), key=KEY, security_control=0x20)
    item = reading(frame, key=KEY)
    assert item.verified is False
    assert item.power_import_w == 5


def test_damaged_mbus_frame_is_not_read_again_as_a_raw_ciphered_apdu() -> None:
    """An encrypted M-Bus frame that fails its checksum is searched again for frames (it may
    have been noise), but the DB 08 inside it must not then be read without the checksum."""
    frame = bytearray(kaifa_mbus(simple_apdu(321, note="abcdefgh")))
    frame[9 + 16 + 30] ^= 0x01  # a plaintext value byte: CTR keeps the structure intact
    result = items(bytes(frame), key=KEY)
    assert not [item for item in result if isinstance(item, Reading)]
    assert [item.reason[:24] for item in result if isinstance(item, Rejected)] == [
        "Checksum mismatch in M-B"
    ]
