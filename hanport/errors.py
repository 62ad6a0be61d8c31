"""hanport's errors: a code from the catalogue and its parameters, one sentence in any language.

Every error names what went wrong with a `code` (a key of the catalogues in `hanport/i18n/`,
e.g. `decoder.checksum`) and the `params` its sentence needs. `str(error)` is the English
sentence; `error.text("et")` is the Estonian one; the CLI, the app and MQTT render the same code.
The stream decoder never raises on line data: it returns `Rejected(reason, raw, code, params)`.

    HanError
    ├── FrameError            the bytes are not a complete, well-formed frame
    │   └── ChecksumError     a CRC, HCS, FCS or M-Bus checksum does not match
    ├── DecodeError           the frame is intact but its content cannot be read
    │   └── UnknownLayoutError   a DLMS list this version cannot map to readings
    ├── DecryptionError       the frame is encrypted and the key is missing or wrong
    ├── ConfigError           a setting is missing, misspelt or cannot work (settings.values)
    ├── SourceError           a source URL is wrong, or the source cannot be opened (sources)
    ├── StoreError            the database cannot be opened, read or written (store)
    │   └── BlockError        a stored block of readings cannot be read back
    ├── AccountError          a user name, password, role or token that cannot be used (web)
    └── … each subsystem's own (costs, ev, quality, alerts, backup, service), on this base.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ChecksumError",
    "DecodeError",
    "DecryptionError",
    "FrameError",
    "HanError",
    "UnknownLayoutError",
]


class HanError(Exception):
    """Base of every hanport error: `code` (a catalogue key) and `params`.

    A code that is not in the catalogues is taken as an English sentence as it is (the way
    errors were written before the catalogues; each such raise is being given a code).
    """

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, object] = params

    def __str__(self) -> str:
        return self.text("en")

    def text(self, language: str) -> str:
        """The sentence in `language` ("en" or "et"; English where a text is missing)."""
        from hanport.i18n.catalogue import render

        return render(self.code, self.params, language)


class FrameError(HanError):
    pass


class ChecksumError(FrameError):
    def __init__(self, what: str, expected: int, computed: int) -> None:
        super().__init__(
            "decoder.checksum", what=what, expected=f"{expected:04X}", computed=f"{computed:04X}"
        )
        self.expected = expected
        self.computed = computed


class DecodeError(HanError):
    pass


class UnknownLayoutError(DecodeError):
    pass


class DecryptionError(HanError):
    pass
