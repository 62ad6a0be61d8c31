"""hanport's sentences in English and Estonian (`--lang`, or LANG=et_EE…).

Every sentence hanport prints, logs, raises or serves is a code of the catalogues
`hanport/i18n/en.toml` and `et.toml` (`hanport.i18n.catalogue`); errors carry their code and
parameters (`hanport.errors.HanError`) and are rendered in the language of whoever reads them.
`text(code, language, **values)` renders one sentence, `plural()` picks the form for a count,
`number()` writes an exact number the way the language does. docs/translating.md tells how to
add a sentence or a language.
"""

from __future__ import annotations

import os
from decimal import Decimal

from hanport.errors import HanError

__all__ = [
    "default_language",
    "number",
    "plural",
    "reason",
    "sentence",
    "text",
]


def default_language() -> str:
    lang = os.environ.get("HANPORT_LANG") or os.environ.get("LANG", "")
    return "et" if lang.lower().startswith("et") else "en"


def text(code: str, language: str, /, **values: object) -> str:
    """The sentence `code` in `language`; `KeyError` for a code the catalogues do not have."""
    from hanport.i18n.catalogue import render

    return render(code, values, language)


def plural(code: str, language: str, count: int, /, **values: object) -> str:
    """`code` for several, `code_one` for exactly one (English "1 row", "2 rows")."""
    from hanport.i18n.catalogue import plural as chosen

    return chosen(code, language, count, **values)


def sentence(error: BaseException | str, language: str) -> str:
    """What to print for an error: a `HanError` in `language`, anything else as it is."""
    if isinstance(error, HanError):
        return error.text(language)
    return str(error)


def reason(why: object, language: str) -> str:
    """A reason (a `Rejected`, its `reason`, a `Message`) in `language`; text as it is."""
    render = getattr(why, "text", None)
    return render(language) if callable(render) else str(why)


def number(value: object, language: str) -> str:
    """An exact number for people: `230.1`, `4215300` in English; `230,1`, `4 215 300` in
    Estonian. Anything else is returned as text."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return str(value)
    digits = format(value, "f") if isinstance(value, Decimal) else str(value)
    if language != "et":
        return digits
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    whole, dot, fraction = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    grouped = " ".join([whole, *groups])
    return f"{sign}{grouped}{',' if dot else ''}{fraction}"
