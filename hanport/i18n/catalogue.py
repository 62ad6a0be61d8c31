"""One catalogue per language: `en.toml` and `et.toml` beside this module, read once, on first use.

Each catalogue is a TOML document of tables, one per part of hanport (`[decoder]`, `[sources]`,
`[store]`, …); a code is `table.key` (`decoder.checksum`). A sentence is a `str.format`
template: `{what}`, `{expected!r}`. The same codes render the CLI's output, the app's API errors
and MQTT's problems, in English or Estonian.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

__all__ = ["LANGUAGES", "catalogue", "has", "render"]

LANGUAGES = ("en", "et")
_FOLDER = Path(__file__).parent
_LOADED: dict[str, dict[str, str]] = {}


def catalogue(language: str) -> dict[str, str]:
    """Code → sentence template for `language` (flattened: `decoder.checksum`)."""
    found = _LOADED.get(language)
    if found is None:
        path = _FOLDER / f"{language}.toml"
        document = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        found = _LOADED[language] = dict(_flatten(document, ""))
    return found


def has(code: str) -> bool:
    return code in catalogue("en") or _legacy(code) is not None


def render(code: str, params: Mapping[str, object], language: str) -> str:
    """The sentence for `code` in `language`, English where that language has none.

    Parameters that can render themselves (`HanError`, or anything with `text(language)`) are
    put in the same language. A code known nowhere is an English sentence already, returned
    as it is (the way errors were written before they had codes).
    """
    template = catalogue(language).get(code) or catalogue("en").get(code)
    if template is None:
        legacy = _legacy(code)
        if legacy is None:
            return _english_sentence(code, language)
        template = legacy.get(language) or legacy["en"]
    values = {name: _in(value, language) for name, value in params.items()}
    return template.format_map(_Values(values))


def _english_sentence(sentence: str, language: str) -> str:
    """A sentence raised before it had a code, translated by pattern where one is known."""
    if language != "et":
        return sentence
    from hanport.i18n.foreign import translate

    return translate(sentence)


def _in(value: object, language: str) -> object:
    text = getattr(value, "text", None)
    return text(language) if callable(text) else value


def _legacy(code: str) -> Mapping[str, str] | None:
    """The texts kept in Python before the catalogues (until each has moved to the TOML)."""
    from hanport.i18n import legacy_texts

    return legacy_texts().get(code)


class _Values(dict[str, object]):
    """A sentence that names a setting says `mqtt.url` unless it is told which."""

    def __missing__(self, name: str) -> object:
        if name == "setting":
            return "mqtt.url"
        raise KeyError(name)


def _flatten(table: Mapping[str, object], prefix: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            found += _flatten(value, f"{prefix}{key}.")
        else:
            found.append((f"{prefix}{key}", str(value)))
    return found
