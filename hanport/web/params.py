"""Query parameters of the API, checked: a bad one is a 422 with a sentence saying what works."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo

from starlette.exceptions import HTTPException

__all__ = ["BadParameter", "choice", "fields", "meter", "moment", "period"]


class BadParameter(HTTPException):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(422, message)
        self.parameter = name


def choice(query: Mapping[str, str], name: str, allowed: Sequence[str], default: str | None) -> str:
    value = query.get(name, default)
    if value is None:
        raise BadParameter(name, f"The parameter {name} is required: one of {', '.join(allowed)}.")
    if value not in allowed:
        raise BadParameter(name, f"{name}={value!r} is not allowed; use {', '.join(allowed)}.")
    return value


def meter(query: Mapping[str, str], known: Sequence[str]) -> str:
    """The meter asked for, or the only one there is."""
    wanted = query.get("meter")
    names = ", ".join(repr(m) for m in known) or "none yet"
    if wanted is None:
        if len(known) == 1:
            return known[0]
        if not known:
            raise HTTPException(404, "No meter has sent a reading yet.")
        raise BadParameter(
            "meter", f"There are {len(known)} meters; choose one with meter= ({names})."
        )
    if wanted not in known:
        raise HTTPException(404, f"There is no meter {wanted!r}; there are {names}.")
    return wanted


def moment(query: Mapping[str, str], name: str, zone: tzinfo) -> datetime | None:
    value = query.get(name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "+"))  # a + in a URL arrives as a space
    except ValueError:
        raise BadParameter(
            name,
            f"{name}={value!r} is not a date or time like 2026-06-01 or 2026-06-01T12:00+02:00.",
        ) from None
    if not 1970 <= parsed.year <= 9998:
        raise BadParameter(name, f"{name}={value!r} is outside the years 1970 to 9998.")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def period(
    query: Mapping[str, str], zone: tzinfo, default: timedelta, longest: timedelta | None = None
) -> tuple[datetime, datetime]:
    """`from` and `to` (exclusive); missing ones make a period of `default` ending now."""
    end = moment(query, "to", zone)
    start = moment(query, "from", zone)
    if end is None:
        end = datetime.now(zone) if start is None else start + default
    if start is None:
        start = end - default
    if end <= start:
        raise BadParameter("to", "The end (to) must come after the start (from).")
    if longest is not None and end - start > longest:
        raise BadParameter(
            "to", f"Ask for at most {longest.days} days at once here, or use /api/v1/series."
        )
    return start, end


def fields(query: Mapping[str, str], allowed: Sequence[str]) -> list[str] | None:
    """The comma-separated `fields`, each checked; None when not given (all of them)."""
    value = query.get("fields")
    if value is None or value == "":
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in allowed:
            raise BadParameter(
                "fields", f"Unknown field {name!r}; the fields are {', '.join(allowed)}."
            )
    return names
