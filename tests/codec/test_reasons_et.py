"""Every sentence the hardened decoder adds has an Estonian translation (from real output)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from encoder import LLC, glo_ciphering, hdlc_frame, hdlc_frames, mbus_frames, p1_telegram
from encoder import simple_apdu as apdu

import hanport
from hanport.i18n import reason
from hanport.model import Rejected

KEY = bytes(range(16))
LINES = ["1-0:1.7.0(0001.011*kW)"]


def reasons(data: bytes, *more: bytes, key: bytes | None = None) -> list[str]:
    decoder = hanport.Decoder(key=key)
    items = [item for chunk in (data, *more) for item in decoder.feed(chunk)] + decoder.flush()
    return [item.reason for item in items if isinstance(item, Rejected)]


def first(data: bytes, *more: bytes, key: bytes | None = None) -> str:
    found = reasons(data, *more, key=key)
    assert found, "no Rejected"
    return found[0]


def _damaged_mbus() -> bytes:
    frame = bytearray(mbus_frames(apdu(1)))
    frame[-1] = 0
    return bytes(frame) + mbus_frames(apdu(2))


def _damaged_hdlc() -> bytes:
    frame = bytearray(hdlc_frame(LLC + apdu(1)))
    frame[-1] = 0
    return bytes(frame) + hdlc_frame(LLC + apdu(2))


def _segments_but_the_last() -> bytes:
    frames = hdlc_frames(LLC + apdu(1, note="x" * 300), 100)
    return frames[: frames.rindex(b"\x7e\x7e") + 1]


def _count_changed() -> bytes:
    """SC 0x20 plaintext whose list count says 2 where 3 registers follow."""
    plain = bytearray(apdu(1, note="ab"))
    plain[7] = 2
    return mbus_frames(glo_ciphering(bytes(plain), key=KEY, security_control=0x20))


CASES: dict[str, tuple[Callable[[], str], str]] = {
    "crc seen": (
        lambda: reasons(
            p1_telegram(LINES, header="XMX5ABC"), p1_telegram(LINES, header="XMX5ABC", crc="none")
        )[0],
        "varem kontrollsummaga",
    ),
    "version": (
        lambda: first(p1_telegram(["1-3:0.2.8(50)", *LINES], header="XMX5ABC", crc="none")),
        "versioonis (1-3:0.2.8 = 50)",
    ),
    "family": (lambda: first(p1_telegram(LINES, crc="none")), "tunnusega LGF5E360"),
    "cut off": (lambda: first(p1_telegram(LINES)[:20] + p1_telegram(LINES)), "katkes"),
    "binary byte": (
        lambda: first(p1_telegram(LINES).replace(b"1.011", b"1\x01011")),
        "pole tekst (0x01)",
    ),
    "no end line": (
        lambda: first(b"/LGF5E360\r\n\r\n" + b"1-0:1.7.0(1*W)\r\n" * 1200),
        "16 384 baidi ulatuses",
    ),
    "hdlc flag": (lambda: first(_damaged_hdlc()), "lõpulippu 7E"),
    "mbus stop": (lambda: first(_damaged_mbus()), "lõpubaiti 16"),
    "interrupted": (lambda: first(_segments_but_the_last() + hdlc_frame(LLC + apdu(2))), "katkes"),
    "unfinished": (lambda: first(_segments_but_the_last()), "viimane kaader saabus"),
    "not one notification": (lambda: first(_count_changed(), key=KEY), "terviklik"),
    "too long": (
        lambda: first(b"".join([hdlc_frame(b"s" * 1000, segmented=True)] * 70)),
        "üle 64 KiB",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_new_reason_has_an_estonian_sentence(case: str) -> None:
    make, estonian = CASES[case]
    english = make()
    translated = reason(english, "et")
    assert translated != english, english
    assert estonian in translated, translated
