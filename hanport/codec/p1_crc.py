"""When a P1 telegram may come without its CRC.

DSMR 2.2 and 3.0 meters, and a few others (Iskra IE.7, EasyMeter Q3D), end their telegrams with
a bare `!`. Everywhere else the CRC is the only check on a telegram: a telegram whose digits
were deleted, and a value changed, must not pass as one sent without CRC. So a telegram without
CRC is refused

* in a stream that has already shown CRCs (the meter sends them, so this one lost its CRC);
* when it declares a version that always carries one: `1-3:0.2.8` (DSMR 4.0 and later,
  Luxembourg, Austria) or the Belgian `0-0:96.1.4`;
* when its identification is that of a meter family whose national specification makes the
  CRC mandatory (the Swedish and Finnish recommendations, Lithuania's ESO): `/LGF…`, `/KAM…`,
  `/ADN…`, `/ELL…`, `/ESO…`.

Any other telegram without CRC is accepted and marked `verified=False`.
"""

from __future__ import annotations

import re

__all__ = ["missing_crc"]

_VERSION = re.compile(rb"[\r\n](1-3:0\.2\.8|0-0:96\.1\.4)\(([^)\r\n]{0,16})\)")
_CRC_FAMILIES = frozenset({b"LGF", b"KAM", b"ADN", b"ELL", b"ESO"})


def missing_crc(telegram: bytes, stream_has_crcs: bool) -> tuple[str, dict[str, str]] | None:
    """Why the CRC-less `telegram` is refused (a `[decoder]` code and its parameters), or None
    when it is acceptable."""
    if stream_has_crcs:
        return "decoder.p1_no_crc_seen", {}
    version = _VERSION.search(telegram)
    if version is not None:
        obis, value = version.group(1).decode(), version.group(2).decode("ascii", "replace")
        return "decoder.p1_no_crc_version", {"obis": obis, "value": value}
    family = telegram[1:4]
    if family in _CRC_FAMILIES:
        line = telegram[1 : telegram.find(b"\n")].rstrip(b"\r").decode("ascii", "replace")
        return "decoder.p1_no_crc_family", {"identification": line}
    return None
