"""General-glo-ciphering (DLMS security suite 0): AES-128-GCM with a 12-byte tag.

    DB | 08 | system title (8) | length | SC | frame counter (4) | ciphertext | [tag (12)]

SC bit 0x20: encrypted; bit 0x10: authenticated (AAD = SC ‖ authentication key). The nonce
is system title ‖ frame counter. `cryptography` is imported only when a frame needs it.
"""

from __future__ import annotations

from hanport.codec.axdr import read_length
from hanport.codec.p1 import NEED_MORE, NOT_A_FRAME
from hanport.codec.record import Record
from hanport.errors import DecodeError, DecryptionError, KeyFormatError

__all__ = [
    "GLO_CIPHERING",
    "CipheredApdu",
    "aes_key",
    "ciphered_extent",
    "decrypt",
    "frame_ciphered",
    "frame_length",
    "key_bytes",
    "parse_ciphered",
]

GLO_CIPHERING = 0xDB
MAX_CIPHERED = 8192
_TAG_LENGTH = 12
_ENCRYPTED = 0x20
_AUTHENTICATED = 0x10


class CipheredApdu(Record):
    """The parts of a general-glo-ciphering APDU; `payload` is ciphertext (and tag)."""

    __slots__ = ("frame_counter", "payload", "security_control", "system_title")

    def __init__(
        self, system_title: bytes, security_control: int, frame_counter: bytes, payload: bytes
    ) -> None:
        self.system_title = system_title
        self.security_control = security_control
        self.frame_counter = frame_counter
        self.payload = payload

    @property
    def sender(self) -> str:
        """The system title as text: a 3-letter maker code and a serial, e.g. `LGZ…`."""
        maker = self.system_title[:3]
        prefix = maker.decode("ascii") if maker.isalpha() else maker.hex().upper()
        return prefix + self.system_title[3:].hex().upper()


def frame_length(data: bytes | bytearray, start: int) -> int | None:
    """Total length of the ciphered APDU at `start` as its header announces it; None when the
    header is incomplete or cannot be one (see `frame_ciphered`)."""
    end = _announced_end(data, start)
    return None if end < 0 else end - start


def frame_ciphered(buf: bytes | bytearray, start: int) -> int:
    """End of the raw ciphered APDU (`DB 08 …`) at `start`, NEED_MORE or NOT_A_FRAME.

    Bounded: the length field must announce 5 … MAX_CIPHERED bytes and the security control
    byte must be one a meter sends (suite 0–2; no broadcast-key or compression bit), so that
    line noise with a long or invalid length never keeps the decoder waiting for more.
    """
    end = _announced_end(buf, start)
    return end if end <= len(buf) else NEED_MORE


def ciphered_extent(buf: bytes | bytearray, start: int) -> int:
    """End of the bytes the ciphered header at `start` announces (capped at the end of `buf`),
    or `start` when these bytes are no such header."""
    end = _announced_end(buf, start)
    return min(end, len(buf)) if end >= 0 else start


def _announced_end(buf: bytes | bytearray, start: int) -> int:
    size = len(buf)
    if start + 2 > size:
        return NEED_MORE
    if buf[start + 1] != 0x08:
        return NOT_A_FRAME
    header = start + 10
    if header >= size:
        return NEED_MORE
    first = buf[header]
    if first < 0x80:
        length, pos = first, header + 1
    else:
        width = first & 0x7F
        if width not in (1, 2):
            return NOT_A_FRAME
        pos = header + 1 + width
        if pos > size:
            return NEED_MORE
        length = int.from_bytes(buf[header + 1 : pos], "big")
    if not 5 <= length <= MAX_CIPHERED:
        return NOT_A_FRAME
    if pos >= size:
        return NEED_MORE
    if buf[pos] & 0xC0 or buf[pos] & 0x0F > 2:
        return NOT_A_FRAME
    return pos + length


def key_bytes(key: bytes | str) -> bytes | None:
    """The 16-byte AES key in `key` (16 bytes, or the 32 hexadecimal digits a grid operator
    gives, in either case, pairs may be separated by spaces); None when it is neither.

    The one check of a key's form: the decoder, the command line (`--key`) and the settings
    (`meter.key`) all use it, each saying in its own words where the wrong key came from."""
    if isinstance(key, bytes):
        return key if len(key) == 16 else None
    try:
        raw = bytes.fromhex(key)
    except ValueError:
        return None
    return raw if len(raw) == 16 else None


def aes_key(key: bytes | str | None, name: str) -> bytes | None:
    """A key as given to the `Decoder` → bytes; `KeyFormatError` (a ValueError) otherwise."""
    if key is None:
        return None
    found = key_bytes(key)
    if found is None:
        raise KeyFormatError(name)
    return found


def parse_ciphered(apdu: bytes) -> CipheredApdu:
    if len(apdu) < 16 or apdu[0] != GLO_CIPHERING or apdu[1] != 8:
        raise DecodeError("decoder.not_glo_ciphering")
    length, pos = read_length(apdu, 10)
    if pos + length > len(apdu) or length < 5:
        raise DecodeError("decoder.ciphered_short")
    return CipheredApdu(
        apdu[2:10], apdu[pos], apdu[pos + 1 : pos + 5], apdu[pos + 5 : pos + length]
    )


def decrypt(ciphered: CipheredApdu, key: bytes | None, auth_key: bytes | None) -> bytes:
    """The plaintext APDU or P1 telegram. Raises DecryptionError with what to do."""
    sc = ciphered.security_control
    if auth_key is not None and not sc & _AUTHENTICATED:
        raise DecryptionError("decoder.not_authenticated")
    if not sc & (_ENCRYPTED | _AUTHENTICATED):
        return ciphered.payload
    if sc & _ENCRYPTED and key is None:
        raise DecryptionError("decoder.no_key", title=ciphered.sender)
    if sc & _AUTHENTICATED and auth_key is None:
        raise DecryptionError("decoder.no_auth_key")
    nonce = ciphered.system_title + ciphered.frame_counter
    if sc & _AUTHENTICATED:
        assert auth_key is not None
        return _decrypt_gcm(ciphered, key, auth_key, nonce)
    assert key is not None
    return _decrypt_ctr(ciphered.payload, key, nonce)


def _decrypt_ctr(payload: bytes, key: bytes, nonce: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    decryptor = Cipher(algorithms.AES(key), modes.CTR(nonce + b"\x00\x00\x00\x02")).decryptor()
    return decryptor.update(payload) + decryptor.finalize()


def _decrypt_gcm(ciphered: CipheredApdu, key: bytes | None, auth_key: bytes, nonce: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    payload = ciphered.payload
    if len(payload) < _TAG_LENGTH:
        raise DecodeError("decoder.tag_short")
    body, tag = payload[:-_TAG_LENGTH], payload[-_TAG_LENGTH:]
    aad = bytes([ciphered.security_control]) + auth_key
    encrypted = bool(ciphered.security_control & _ENCRYPTED)
    if not encrypted:
        aad += body
    cipher_key = key if key is not None else auth_key
    mode = modes.GCM(nonce, tag, min_tag_length=_TAG_LENGTH)
    decryptor = Cipher(algorithms.AES(cipher_key), mode).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        plaintext = decryptor.update(body if encrypted else b"") + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("decoder.wrong_key") from None
    return plaintext if encrypted else body
