"""hanport's errors: a code from the catalogue and its parameters, one sentence in any language.

Every error names what went wrong with a `code` (a key of the catalogues in `hanport/i18n/`,
e.g. `decoder.checksum`) and the `params` its sentence needs. `str(error)` is the English
sentence; `error.text("et")` is the Estonian one; the CLI, the app and MQTT render the same code
(docs/translating.md). The stream decoder never raises on line data: it returns
`Rejected(reason, raw, code, params)`.

    HanError
    ├── FrameError              the bytes are not a complete, well-formed frame (codec)
    │   └── ChecksumError       a CRC, HCS, FCS or M-Bus checksum does not match
    ├── DecodeError             the frame is intact but its content cannot be read (codec)
    │   ├── TruncatedError      DLMS data that ends inside a value (codec.axdr)
    │   └── UnknownLayoutError  a DLMS list this version cannot map to readings
    ├── DecryptionError         the frame is encrypted and the key is missing or wrong (codec)
    │   └── KeyFormatError      a key not given as 16 bytes or 32 hex digits (a ValueError too)
    ├── ConfigError             a setting is missing, misspelt or cannot work (settings.values)
    │   ├── SettingError        one from hanport.toml or HANPORT_* (settings.values)
    │   ├── SettingProblem      one of [quality] (quality.settings)
    │   └── CostSettingError    one of [prices] or [tariff] (costs.errors; also a CostError)
    ├── UsageError              a command-line flag that cannot work (cli.flags)
    ├── ExportError             `hanport export` cannot export what was asked (cli.export)
    ├── SourceError             a source URL is wrong, or the source cannot be opened (sources)
    ├── StoreError              the database cannot be opened, read or written (store)
    │   └── UnusableDatabase    the file cannot be used as hanport's database (store.connection)
    ├── AccountError            a user name, password, role or token that cannot be used (web)
    ├── MqttProblem             the MQTT broker refused, failed or went away (mqtt.problems)
    │   └── SetupProblem        the MQTT client cannot even be set up (its TLS files)
    ├── CostError               prices and tariffs (costs.errors)
    │   ├── PriceDataError      a price file or answer that cannot be read as prices
    │   ├── PriceFetchError     a price provider that cannot be reached or refuses
    │   ├── TariffError         a tariff component not known for a moment
    │   └── DsoFileError        a grid operator's consumption file that cannot be read
    ├── EvError                 EV charging cannot start (ev.errors: the OCPP listener)
    ├── ChannelError            an alert channel could not deliver (alerts.channels)
    ├── InstallError            `hanport service install` cannot go on (service.installer)
    └── BackupProblem           backup, restore and `db check` (backup.errors)
        ├── BackupError         a backup cannot be made
        ├── RestoreError        a backup cannot be restored
        └── CheckError          a database cannot be checked

Two more carry codes without being `HanError`s: `hanport.web.errors.ApiError`, an HTTP error of
the app's API (a Starlette `HTTPException`, rendered in the request's language), and
`hanport.store.blocks.BlockError` (a stored block of readings that cannot be read back; the
store's own, a `ValueError` until it has its code).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ChecksumError",
    "DecodeError",
    "DecryptionError",
    "FrameError",
    "HanError",
    "KeyFormatError",
    "UnknownLayoutError",
]


class HanError(Exception):
    """Base of every hanport error: `code` (a catalogue key) and `params`."""

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, object] = params

    def __str__(self) -> str:
        return self.text("en")

    def text(self, language: str) -> str:
        """The sentence in `language` ("en" or "et"; English for any other)."""
        from hanport.i18n.catalogue import render

        return render(self.code, self.params, language)


class FrameError(HanError):
    pass


class ChecksumError(FrameError):
    """`part` names what the checksum covers: a code of the `[decoder]` table (`decoder.p1`)."""

    def __init__(self, part: str, expected: int, computed: int) -> None:
        from hanport.i18n.catalogue import Message

        super().__init__(
            "decoder.checksum",
            what=Message(part),
            expected=f"{expected:04X}",
            computed=f"{computed:04X}",
        )
        self.expected = expected
        self.computed = computed


class DecodeError(HanError):
    pass


class UnknownLayoutError(DecodeError):
    pass


class DecryptionError(HanError):
    pass


class KeyFormatError(DecryptionError, ValueError):
    """A key given as something other than 16 bytes or 32 hexadecimal digits."""

    def __init__(self, name: str) -> None:
        super().__init__("decoder.key_format", name=name)
