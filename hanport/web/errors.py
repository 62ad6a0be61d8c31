"""The API's errors: an HTTP status, a code of the catalogues and its parameters, answered in the
request's language.

    {"error": "Sign in, or send an API token …", "code": "web.sign_in", "params": {}}

The language is the `lang` query parameter (`en` or `et`) when given, else the first of the
`Accept-Language` header's languages hanport has (by their `q`), else English; the app sends
its own language in `Accept-Language`. `params` are the code's parameters as text, for a client
that renders the code itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from urllib.parse import parse_qs

from starlette.exceptions import HTTPException
from starlette.requests import Request

from hanport.errors import HanError
from hanport.i18n.catalogue import render

__all__ = [
    "GENERIC",
    "ApiError",
    "error_body",
    "error_json",
    "error_of",
    "language_of",
    "request_language",
]

_LANGUAGES = ("en", "et")
GENERIC = "web.http_error"
"""The code of an HTTP error raised without one (the framework's own 404 or 405 aside)."""


class ApiError(HTTPException):
    """An API error: `status_code`, `code` (a catalogue key) and `params`; `detail` is English."""

    def __init__(
        self,
        status_code: int,
        code: str,
        /,
        headers: Mapping[str, str] | None = None,
        **params: object,
    ) -> None:
        super().__init__(status_code, render(code, params, "en"), headers)
        self.code = code
        self.params: Mapping[str, object] = params

    def text(self, language: str) -> str:
        return render(self.code, self.params, language)

    @classmethod
    def of(cls, status_code: int, error: HanError) -> ApiError:
        """The answer to a request that a `HanError` refused (an account's name, a setting)."""
        return cls(status_code, error.code, None, **error.params)


def language_of(headers: Iterable[tuple[str, str]], query: str) -> str:
    """`en` or `et` for a request: its `lang` parameter, else its `Accept-Language`."""
    asked = parse_qs(query).get("lang", [""])[-1].strip().lower()
    if asked in _LANGUAGES:
        return asked
    for name, value in headers:
        if name.lower() == "accept-language":
            return _preferred(value)
    return "en"


def _preferred(header: str) -> str:
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, rest = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        quality = 1.0
        for parameter in rest.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if primary in _LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"


def request_language(request: Request) -> str:
    return language_of(request.headers.items(), request.url.query)


def error_of(error: HTTPException, language: str, path: str, method: str) -> dict[str, object]:
    """The JSON body for `error` in `language`."""
    if isinstance(error, ApiError):
        body: dict[str, object] = error_body(error.code, error.text(language), error.params)
    elif error.status_code == 404 and error.detail == HTTPStatus.NOT_FOUND.phrase:
        body = _rendered("web.no_endpoint", language, path=path)
    elif error.status_code == 405:
        body = _rendered("web.method_not_allowed", language, path=path, method=method)
    elif error.detail == _phrase(error.status_code):
        body = _rendered(GENERIC, language, status=error.status_code)
    else:  # an HTTPException of a library, with its own detail: as it is
        body = error_body(GENERIC, str(error.detail), {"status": error.status_code})
    parameter = getattr(error, "parameter", None)
    if parameter is not None:
        body["parameter"] = parameter
    return body


def error_body(code: str, sentence: str, params: Mapping[str, object]) -> dict[str, object]:
    return {"error": sentence, "code": code, "params": {k: str(v) for k, v in params.items()}}


def error_json(code: str, language: str, **params: object) -> bytes:
    """The body of an error answered below the app (the guards), in `language`."""
    return json.dumps(_rendered(code, language, **params)).encode()


def _rendered(code: str, language: str, **params: object) -> dict[str, object]:
    return error_body(code, render(code, params, language), params)


def _phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None
