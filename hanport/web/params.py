"""Query parameters of the API, checked: a bad one is a 422 with a sentence saying what works
(a code of the catalogues' `[web]` table, answered in the request's language)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo

from hanport.web.errors import ApiError

__all__ = ["BadParameter", "choice", "fields", "meter", "moment", "period"]


class BadParameter(ApiError):
    """A query parameter that cannot work; `parameter` names it (also in the JSON answer)."""

    def __init__(self, name: str, code: str, /, **params: object) -> None:
        super().__init__(422, code, None, **params)
        self.parameter = name


def choice(query: Mapping[str, str], name: str, allowed: Sequence[str], default: str | None) -> str:
    value = query.get(name, default)
    if value is None:
        raise BadParameter(name, "web.parameter_required", name=name, allowed=", ".join(allowed))
    if value not in allowed:
        raise BadParameter(
            name, "web.parameter_not_allowed", name=name, value=value, allowed=", ".join(allowed)
        )
    return value


def meter(query: Mapping[str, str], known: Sequence[str]) -> str:
    """The meter asked for, or the only one there is."""
    wanted = query.get("meter")
    names = ", ".join(repr(m) for m in known)
    if wanted is None:
        if len(known) == 1:
            return known[0]
        if not known:
            raise ApiError(404, "web.no_meter_yet")
        raise BadParameter("meter", "web.which_meter", count=len(known), names=names)
    if wanted not in known:
        if not known:
            raise ApiError(404, "web.no_such_meter_yet", meter=wanted)
        raise ApiError(404, "web.no_such_meter", meter=wanted, names=names)
    return wanted


def moment(query: Mapping[str, str], name: str, zone: tzinfo) -> datetime | None:
    value = query.get(name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "+"))  # a + in a URL arrives as a space
    except ValueError:
        raise BadParameter(name, "web.parameter_moment", name=name, value=value) from None
    if not 1970 <= parsed.year <= 9998:
        raise BadParameter(name, "web.parameter_years", name=name, value=value)
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
        raise BadParameter("to", "web.period_order")
    if longest is not None and end - start > longest:
        raise BadParameter("to", "web.period_too_long", days=longest.days)
    return start, end


def fields(query: Mapping[str, str], allowed: Sequence[str]) -> list[str] | None:
    """The comma-separated `fields`, each checked; None when not given (all of them)."""
    value = query.get("fields")
    if value is None or value == "":
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in allowed:
            raise BadParameter("fields", "web.unknown_field", name=name, allowed=", ".join(allowed))
    return names
