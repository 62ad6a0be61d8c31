"""One catalogue per language: `en.toml` and `et.toml` beside this module, read once, on first use.

Each catalogue is a TOML document of tables, one per part of hanport (`[decoder]`, `[sources]`,
`[settings]`, …); a code is `table.key` (`decoder.checksum`). A sentence is a `str.format`
template: `{what}`, `{value!r}`, `{bytes:n}`. The same codes render the CLI's output, the app's
API errors and MQTT's problems, in English or Estonian (docs/translating.md).

Values are written the way the language writes them: a `Decimal` as `230.1` or `230,1` (with a
space between thousands in Estonian), an `int` as it is (a port, a year, an HTTP status) unless
the template asks for `{name:n}` (`4 215 300` in Estonian), and anything that has
`text(language)` (a `Message`, a `HanError`) in the same language as the sentence around it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from string import Formatter

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and pathlib are not imported at run time: the first sentence is quick
    from typing import TypeVar

    _M = TypeVar("_M", bound="Message")

__all__ = ["LANGUAGES", "Message", "catalogue", "fields", "has", "plural", "plural_code", "render"]

LANGUAGES = ("en", "et")
_FOLDER = os.path.dirname(__file__)
_LOADED: dict[str, dict[str, str]] = {}


def catalogue(language: str) -> dict[str, str]:
    """Code → sentence template for `language` (flattened: `decoder.checksum`)."""
    found = _LOADED.get(language)
    if found is None:
        import tomllib  # on first use only: `import hanport` does not read the catalogues

        path = os.path.join(_FOLDER, f"{language}.toml")
        document = {}
        if os.path.exists(path):
            with open(path, "rb") as handle:
                document = tomllib.load(handle)
        found = _LOADED[language] = dict(_flatten(document, ""))
    return found


def has(code: str) -> bool:
    return _template(code, "en") is not None


def render(
    code: str, params: Mapping[str, object], language: str, *, missing: str | None = None
) -> str:
    """The sentence for `code` in `language` (English for a language without a catalogue).

    Raises `KeyError` for a code that is in no catalogue. `missing`, when given, stands for a
    placeholder the parameters lack (an alert's figure a notice does not have shows as "–").
    """
    template = _template(code, language)
    if template is None:
        raise KeyError(code)
    values = _Values({name: _in(value, language) for name, value in params.items()})
    values.missing = missing
    return _FORMATTERS["et" if language == "et" else "en"].vformat(template, (), values)


def plural(code: str, language: str, count: int, /, **params: object) -> str:
    """`code` for any count but one, `code_one` (where the catalogue has it) for exactly one."""
    return render(plural_code(code, count), params, language)


def plural_code(code: str, count: int) -> str:
    """`code_one` when `count` is 1 and the catalogue has that form, else `code`."""
    singular = f"{code}_one"
    return singular if count == 1 and has(singular) else code


def fields(code: str) -> set[str]:
    """The placeholders of `code`'s English sentence."""
    template = _template(code, "en")
    if template is None:
        raise KeyError(code)
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class Message(str):
    """A sentence from the catalogue as a value: `str()` is English, `text(language)` any.

    For what is not an error but is shown to a person: a decoder's reason for dropping a frame,
    a broker problem, a part of a sentence ("the network day price") that another sentence
    takes as a parameter and renders in its own language.
    """

    code: str
    params: Mapping[str, object]

    def __new__(cls, code: str, /, **params: object) -> Message:
        return _message(cls, code, params)

    def text(self, language: str) -> str:
        return render(self.code, self.params, language)

    def __reduce__(self) -> tuple[object, ...]:
        return (_message, (type(self), self.code, dict(self.params)))


def _message(kind: type[_M], code: str, params: Mapping[str, object]) -> _M:
    message = str.__new__(kind, render(code, params, "en"))
    message.code = code
    message.params = params
    return message


def _template(code: str, language: str) -> str | None:
    found = catalogue(language).get(code)
    if found is None and language != "en":
        found = catalogue("en").get(code)
    return found


class _Formatter(Formatter):
    """`str.format` with `{name:n}`: a count with the language's thousands separator."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "n":
            from hanport.i18n import number

            return number(value, self.language)
        return format(value, format_spec)


_FORMATTERS = {language: _Formatter(language) for language in LANGUAGES}


def _in(value: object, language: str) -> object:
    text = getattr(value, "text", None)
    if callable(text):
        return text(language)
    if isinstance(value, Decimal):
        from hanport.i18n import number

        return number(value, language)
    if isinstance(value, float):
        written = format(value, "g")
        return written.replace(".", ",") if language == "et" else written
    return value


class _Values(dict[str, object]):
    missing: str | None = None

    def __missing__(self, name: str) -> object:
        if self.missing is None:
            raise KeyError(name)
        return self.missing


def _flatten(table: Mapping[str, object], prefix: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            found += _flatten(value, f"{prefix}{key}.")
        else:
            found.append((f"{prefix}{key}", str(value)))
    return found
